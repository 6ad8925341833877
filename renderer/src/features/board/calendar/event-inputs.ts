/**
 * The card model (board-model.ts) as FullCalendar events and resources: the cards, time off, the rows
 * with their business hours, and the week overview's summary cells. What goes in here is data only; the
 * calendar is kept in step with it by calendar-sync.ts.
 */
import type { EventInput } from 'fullcalendar';
import type { ResourceInput } from 'fullcalendar-scheduler';
import type { CardBooking } from '../../../../../core/api/contract.ts';
import type { Conflict } from '../../../../../core/conflicts.ts';
import type { Provider } from '../../../../../core/model.ts';
import { dayBoundsMs, WEEKDAYS, type LocalDate } from '../../../../../core/time.ts';
import { cardPlacement, rowProviders, timeOffBlocks, type BoardContext, type CardLook, type CardPlacement } from '../board-model.ts';
import { loadCellId, loadSentence, type LoadFigure } from '../board-load.ts';
import { loadCellHtml } from '../load-html.ts';
import { fmtDate, isoOf } from '../time-format.ts';

/** Our bookkeeping in an event input; `CalendarSync` keeps it out of the calendar. */
export interface InputMeta {
  /** Where the event is and what the calendar itself reads of it: a change is a calendar action. */
  sig: string;
  /** What the card shows: a change repaints the card, the calendar is not told. */
  lookSig?: string;
  look?: CardLook;
}

export const metaOf = (input: EventInput) => input.extendedProps as InputMeta;

export function placementInput(p: CardPlacement): EventInput {
  return {
    id: p.id,
    title: p.title,
    start: p.start,
    end: p.end,
    resourceIds: p.resourceIds,
    startEditable: p.startEditable,
    durationEditable: p.durationEditable,
    resourceEditable: p.startEditable,
    extendedProps: { kind: 'booking', sig: p.sig, lookSig: p.lookSig, look: p.look },
  };
}

/** The card as one FullCalendar event (one event for a team job, on every assignee's row). */
export function bookingEventInput(b: CardBooking, conflicts: readonly Conflict[] | undefined, ctx: BoardContext): EventInput | null {
  const p = cardPlacement(b, conflicts, ctx);
  return p ? placementInput(p) : null;
}

export function timeOffEventInputs(providers: readonly Provider[], fromMs: number, toMs_: number): EventInput[] {
  return timeOffBlocks(providers, fromMs, toMs_).map((off) => ({
    id: off.id,
    resourceId: off.providerId,
    start: off.start,
    end: off.end,
    title: off.reason,
    display: 'background',
    extendedProps: { kind: 'timeoff', reason: off.reason, providerId: off.providerId, sig: off.sig },
  }));
}

/** FullCalendar business hours per provider (0 = Sunday there, `mon` first in ours). */
function businessHoursOf(p: Provider): ResourceInput['businessHours'] {
  const list = WEEKDAYS.flatMap((day, i) => p.weeklyHours[day].map((iv) => ({ daysOfWeek: [(i + 1) % 7], startTime: iv.start, endTime: iv.end })));
  // No hours at all: shade everything (an interval on no weekday).
  return list.length > 0 && p.active ? list : [{ daysOfWeek: [], startTime: '00:00', endTime: '00:01' }];
}

/** Active providers, plus inactive ones that still hold a visible booking (so no card is ever hidden). */
export function resourceInputs(providers: readonly Provider[], inactiveInView: ReadonlySet<string>): ResourceInput[] {
  return rowProviders(providers, inactiveInView).map((p) => ({
    id: p.id,
    title: p.name,
    sortOrder: p.sortOrder,
    businessHours: businessHoursOf(p),
    extendedProps: { color: p.color, skills: p.skills, active: p.active, capacity: null },
  }));
}


/** The week overview's cells: one summary event per provider and day, not editable, opened by a click. */
export function loadCellInputs(figures: ReadonlyMap<string, LoadFigure[]>, names: ReadonlyMap<string, Provider>, zone: string): EventInput[] {
  const out: EventInput[] = [];
  for (const [providerId, days] of figures) {
    const name = names.get(providerId)?.name ?? '';
    for (const f of days) {
      const sentence = loadSentence(name, dayLabel(f.date, zone), f);
      const html = loadCellHtml(f, sentence);
      out.push({
        id: loadCellId(providerId, f.date),
        resourceId: providerId,
        // Instants, not all-day dates: the day is the organization's local day (and `updateEvent` reads instants).
        start: isoOf(dayBoundsMs(f.date, zone)[0]),
        end: isoOf(dayBoundsMs(f.date, zone)[1]),
        title: sentence,
        editable: false,
        startEditable: false,
        durationEditable: false,
        resourceEditable: false,
        interactive: true,
        extendedProps: { kind: 'load', band: f.band, html, sig: html },
      });
    }
  }
  return out;
}

export const dayLabel = (day: LocalDate, zone: string) => fmtDate(dayBoundsMs(day, zone)[0] + 12 * 3_600_000, zone);