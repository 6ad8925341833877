import { countText } from '../../../../core/format.ts';
import type { CardBooking } from '../../../../core/api/contract.ts';
import { personSpan, severityOf, type Conflict } from '../../../../core/conflicts.ts';
import type { Customer, Provider, Service, Slot } from '../../../../core/model.ts';
import { isClosed } from '../../../../core/status.ts';
import { lateNote } from '../../../../core/assistant/running-late.ts';
import { dayBoundsMs, toMs, type LocalDate } from '../../../../core/time.ts';
import { fmtHours, fmtTimeRange } from './time-format.ts';
import type { CardModel } from './card-html.ts';
import type { BookingMark, BookingMarks } from '../sync/use-booking-marks.ts';

/**
 * Pure card logic: what each booking's card shows and where it stands, which providers get a row, and
 * each row's load. No DOM and no FullCalendar: `calendar/` turns these into the calendar's events
 * and resources, `card-html.ts` into the cards' HTML. Unit test: board-model.test.ts.
 */
export interface BoardContext {
  zone: string;
  autoResize: boolean;
  nowMs: number;
  customers: ReadonlyMap<string, Customer>;
  services: ReadonlyMap<string, Service>;
  selectedId: string | null;
  /** Other desktops' marks (features/sync): changed while offline, open elsewhere. */
  marks?: BookingMarks;
}

/** A job's start has passed and nobody is on the way yet (docs: "spot a running-behind job"). */
export function isRunningLate(b: Pick<CardBooking, 'slot' | 'status'>, nowMs: number): boolean {
  if (!b.slot) return false;
  if (b.status === 'en_route' || b.status === 'in_progress' || isClosed(b.status)) return false;
  return toMs(b.slot.start) < nowMs;
}

const unique = (list: string[]) => [...new Set(list)];
const markOf = (ctx: BoardContext, id: string): BookingMark | undefined => ctx.marks?.get(id);

export function cardOf(b: CardBooking, conflicts: readonly Conflict[] | undefined, ctx: BoardContext): CardModel {
  const span = personSpan(b, ctx.autoResize);
  const customer = b.customerId ? (ctx.customers.get(b.customerId)?.name ?? '') : '';
  const service = b.serviceId ? (ctx.services.get(b.serviceId)?.name ?? '') : '';
  const assigned = b.slot?.assignees.length ?? 0;
  return {
    id: b.id,
    title: b.title,
    customer,
    service,
    time: span ? fmtTimeRange(span.start, span.end, ctx.zone) : 'No date',
    arrival: b.arrivalWindow
      ? `Arrive ${fmtTimeRange(toMs(b.arrivalWindow.start), toMs(b.arrivalWindow.end), ctx.zone)}`
      : null,
    priority: b.priority,
    status: b.status,
    staged: b.staged,
    late: isRunningLate(b, ctx.nowMs),
    lateNote: lateNote(b),
    severity: severityOf(conflicts),
    reasons: unique((conflicts ?? []).map((c) => c.message)),
    team: b.teamSize > 1 || assigned > 1 ? `${assigned}/${b.teamSize}` : null,
    selected: ctx.selectedId === b.id,
    editable: !isClosed(b.status),
    offlineBy: markOf(ctx, b.id)?.offlineBy ?? [],
    viewers: markOf(ctx, b.id)?.viewers ?? [],
  };
}

/**
 * What a card shows and the slot it stands for. Kept beside the calendar (`CalendarSync.lookOf`), not in
 * its events: each change to an event is one calendar action over every event it holds, while a look
 * changes far more often than a place (Save, conflicts, selection, running late, other desktops' marks).
 */
export interface CardLook {
  card: CardModel;
  slot: Slot;
}

/**
 * A card on the timeline: one per booking (a team job is one card on every assignee's row). `sig` names
 * what the calendar itself reads (a change is a calendar action); `lookSig` what only the card shows.
 */
export interface CardPlacement {
  id: string;
  title: string;
  start: string;
  end: string;
  resourceIds: string[];
  startEditable: boolean;
  durationEditable: boolean;
  sig: string;
  lookSig: string;
  look: CardLook;
}

/** Where a booking's card stands, or null when it has none (no date, nobody assigned, cancelled). */
export function cardPlacement(b: CardBooking, conflicts: readonly Conflict[] | undefined, ctx: BoardContext): CardPlacement | null {
  if (!b.slot || b.slot.assignees.length === 0 || b.status === 'cancelled') return null;
  const span = personSpan(b, ctx.autoResize)!;
  const card = cardOf(b, conflicts, ctx);
  const start = b.slot.start;
  const end = new Date(span.end).toISOString();
  const resourceIds = b.slot.assignees;
  // With auto-resize the card shows the per-person share of the labor, not the slot: resizing means nothing.
  const durationEditable = card.editable && !ctx.autoResize;
  return {
    id: b.id,
    title: b.title,
    start,
    end,
    resourceIds,
    startEditable: card.editable,
    durationEditable,
    sig: JSON.stringify([b.title, start, end, resourceIds, card.editable, durationEditable]),
    lookSig: JSON.stringify([card, b.slot]),
    look: { card, slot: b.slot },
  };
}

/** A provider's time off inside [fromMs, toMs): shaded on their row. */
export interface TimeOffBlock {
  id: string;
  providerId: string;
  start: string;
  end: string;
  reason: string;
  sig: string;
}

export function timeOffBlocks(providers: readonly Provider[], fromMs: number, toMs_: number): TimeOffBlock[] {
  const out: TimeOffBlock[] = [];
  for (const p of providers) {
    for (const off of p.timeOff) {
      if (toMs(off.start) >= toMs_ || toMs(off.end) <= fromMs) continue;
      out.push({ id: `off:${p.id}:${off.id}`, providerId: p.id, start: off.start, end: off.end, reason: off.reason || 'Time off', sig: JSON.stringify([off, p.id]) });
    }
  }
  return out;
}

/** Active providers, plus inactive ones that still hold a visible booking (so no card is ever hidden). */
export function rowProviders(providers: readonly Provider[], inactiveInView: ReadonlySet<string>): Provider[] {
  return providers.filter((p) => p.active || inactiveInView.has(p.id));
}

/** Inactive providers holding a booking in `bookings`. */
export function inactiveWithBookings(providers: readonly Provider[], bookings: readonly CardBooking[]): string[] {
  const used = new Set(bookings.flatMap((b) => b.slot?.assignees ?? []));
  return providers.filter((p) => !p.active && used.has(p.id)).map((p) => p.id);
}

export interface Load {
  jobs: number;
  hours: number;
}

/** Jobs starting on `day` per provider and the hours they occupy that person (auto-resize aware). */
export function loadsOn(day: LocalDate, bookings: readonly CardBooking[], ctx: Pick<BoardContext, 'zone' | 'autoResize'>): Map<string, Load> {
  const [from, to] = dayBoundsMs(day, ctx.zone);
  const out = new Map<string, Load>();
  for (const b of bookings) {
    if (!b.slot || b.status === 'cancelled') continue;
    const span = personSpan(b, ctx.autoResize)!;
    if (span.start < from || span.start >= to) continue;
    for (const id of b.slot.assignees) {
      const load = out.get(id) ?? { jobs: 0, hours: 0 };
      load.jobs += 1;
      load.hours += (span.end - span.start) / 3_600_000;
      out.set(id, load);
    }
  }
  return out;
}

export const loadText = (load: Load | undefined): string =>
  load ? `${countText(load.jobs, 'job')} · ${fmtHours(load.hours)} h` : '0 jobs · 0 h';

/** The slot a moved card stands for: same duration, new start, new people. */
export function movedSlot(slot: Slot, newStartMs: number, assignees: string[]): Slot {
  const duration = toMs(slot.end) - toMs(slot.start);
  return {
    start: new Date(newStartMs).toISOString(),
    end: new Date(newStartMs + duration).toISOString(),
    assignees,
  };
}

/** A moved card's assignees: the person it left replaced by the one it joined (a team keeps the others). */
export function reassigned(assignees: readonly string[], from: string | undefined, to: string | undefined): string[] {
  if (!from || !to || from === to) return [...assignees];
  return [...new Set(assignees.map((a) => (a === from ? to : a)))];
}

export type Direction = 'left' | 'right' | 'up' | 'down';

/**
 * The arrow keys' selection: along a row to the previous/next card by start, or to the nearest card in
 * time on the row above/below (rows without cards are skipped). No selection: the first card of the
 * first row with cards. Null: nowhere to go.
 */
export function nextSelection(
  bookings: readonly CardBooking[],
  rowOrder: readonly string[],
  current: { id: string | null; row: string | null },
  dir: Direction,
): { id: string; row: string } | null {
  const byRow = new Map<string, CardBooking[]>(rowOrder.map((id) => [id, []]));
  for (const b of bookings) {
    if (!b.slot || b.status === 'cancelled') continue;
    for (const a of b.slot.assignees) byRow.get(a)?.push(b);
  }
  for (const list of byRow.values()) list.sort((a, b) => a.slot!.start.localeCompare(b.slot!.start));
  const rows = rowOrder.filter((id) => byRow.get(id)!.length > 0);
  if (rows.length === 0) return null;
  const selected = bookings.find((b) => b.id === current.id && b.slot);
  if (!selected) return { id: byRow.get(rows[0]!)![0]!.id, row: rows[0]! };
  let row = current.row && selected.slot!.assignees.includes(current.row) ? current.row : selected.slot!.assignees[0]!;
  if (!rows.includes(row)) row = rows[0]!;
  if (dir === 'left' || dir === 'right') {
    const list = byRow.get(row)!;
    const i = list.findIndex((b) => b.id === selected.id);
    const next = list[Math.max(0, Math.min(list.length - 1, i + (dir === 'left' ? -1 : 1)))];
    return next ? { id: next.id, row } : null;
  }
  const i = rows.indexOf(row) + (dir === 'up' ? -1 : 1);
  if (i < 0 || i >= rows.length) return null;
  const nextRow = rows[i]!;
  const start = toMs(selected.slot!.start);
  const next = [...byRow.get(nextRow)!].sort((a, b) => Math.abs(toMs(a.slot!.start) - start) - Math.abs(toMs(b.slot!.start) - start))[0];
  return next ? { id: next.id, row: nextRow } : null;
}
