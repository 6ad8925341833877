/**
 * The calendar's handlers as BoardStore actions: clicks, drops, resizes, a queue card received, a span
 * drawn out, the dates shown, and what each card shows (`eventClass`, `eventContent`, read from the
 * card looks `CalendarSync` keeps).
 */
import type {
  CalendarOptions,
  DateSelectInfo,
  DatesSetInfo,
  EventClickInfo,
  EventDisplayInfo,
  EventDragStopInfo,
  EventDropInfo,
  EventReceiveInfo,
  EventResizeDoneInfo,
} from 'fullcalendar';
import { localDateOf, type LocalDate } from '../../../../../core/time.ts';
import { movedSlot, reassigned, type CardLook } from '../board-model.ts';
import { loadCellOf } from '../board-load.ts';
import { rememberBoardPlace, type BoardPlace, type BoardViewType } from '../board-place.ts';
import type { BoardStore, BoardViewKind, VisibleRange } from '../board-store.ts';
import { cardClassNames, cardHtml, pendingCardHtml } from '../card-html.ts';
import type { RenderHold } from '../render-hold.ts';
import { isoOf } from '../time-format.ts';

/** A card the calendar is dragging or resizing (its release holds the calendar's rendering), and where the queue was when it started. */
export interface CardGesture {
  active: boolean;
  queueRect: DOMRect | null;
}

/** What the handlers need of the bridge (calendar-bridge.ts). */
export interface HandlerHost {
  readonly store: BoardStore;
  readonly renderHold: RenderHold;
  readonly gesture: CardGesture;
  lookOf(id: string): CardLook | undefined;
  queueEl(): HTMLElement | null;
  /** A range the board was left on, taken once: widened again once the calendar shows its first day. */
  takeReopenRange(): BoardPlace | null;
  day(date?: LocalDate): void;
  unselect(): void;
}

const kindOf = (viewType: string): BoardViewKind =>
  viewType === 'resourceTimelineDay' ? 'day' : viewType === 'resourceTimelineWeek' ? 'week' : viewType === 'resourceTimelineWeekLoad' ? 'load' : 'range';

export function calendarHandlers(host: HandlerHost, zone: string): CalendarOptions {
  const { store, renderHold: hold, gesture } = host;
  const lookOf = (id: string) => host.lookOf(id);
  return {
    eventClass: (info: EventDisplayInfo) =>
      info.event.extendedProps.kind === 'load' ? `cl-loadcell-event cl-loadcell-event--${String(info.event.extendedProps.band)}` : cardClassNames(lookOf(info.event.id)?.card, info.isMirror),
    eventContent: (info: EventDisplayInfo) => {
      if (info.event.extendedProps.kind === 'load') return { html: String(info.event.extendedProps.html) };
      const card = lookOf(info.event.id)?.card;
      return { html: card ? cardHtml(card) : pendingCardHtml(info.event.id, info.event.title) };
    },
    datesSet: (info: DatesSetInfo) => {
      const from = info.view.activeStart.getTime();
      const to = info.view.activeEnd.getTime();
      const next: VisibleRange = { kind: kindOf(info.view.type), title: info.view.title, firstDay: localDateOf(from, zone), lastDay: localDateOf(Math.max(from, to - 1), zone) };
      store.setRange(next);
      rememberBoardPlace({ view: info.view.type as BoardViewType, firstDay: next.firstDay, lastDay: next.lastDay });
      const reopen = host.takeReopenRange();
      if (reopen) {
        // Not from inside FullCalendar's own datesSet: a view change there would re-enter it.
        setTimeout(() => store.goRange(reopen.firstDay, reopen.lastDay), 0);
      }
    },
    eventClick: (info: EventClickInfo) => {
      info.jsEvent.preventDefault();
      const cell = loadCellOf(info.event.id);
      if (cell) {
        host.day(cell.day); // a week-overview cell opens its day
        return;
      }
      const row = info.el.closest<HTMLElement>('[data-lane-provider-id]')?.dataset.laneProviderId ?? null;
      store.select(info.event.id, row);
      store.openPanel(info.event.id);
    },
    eventDrop: (info: EventDropInfo) => {
      const slot = lookOf(info.event.id)?.slot;
      if (!slot || !info.event.start) {
        info.revert();
        return;
      }
      const to = info.newResource?.id;
      if (to) store.setSelectedRow(to);
      const assignees = reassigned(slot.assignees, info.oldResource?.id, to);
      // Forecast: the final state paints with FullCalendar's own drop (drop-forecast.ts).
      const { painted, done } = hold.claimPainted();
      void store.stage(info.event.id, movedSlot(slot, info.event.start.getTime(), assignees), info.revert, painted).finally(done);
    },
    eventResize: (info: EventResizeDoneInfo) => {
      const slot = lookOf(info.event.id)?.slot;
      if (!slot || !info.event.start || !info.event.end) {
        info.revert();
        return;
      }
      const next = { start: isoOf(info.event.start.getTime()), end: isoOf(info.event.end.getTime()), assignees: slot.assignees };
      const { painted, done } = hold.claimPainted();
      void store.stage(info.event.id, next, info.revert, painted).finally(done);
    },
    eventReceive: (info: EventReceiveInfo) => {
      const resource = info.event.getResources()[0];
      const start = info.event.start;
      const durationMs = Number(info.event.extendedProps.durationMs) || 3_600_000;
      if (!resource || !start) {
        info.revert();
        return;
      }
      store.select(info.event.id, resource.id);
      const slot = { start: isoOf(start.getTime()), end: isoOf(start.getTime() + durationMs), assignees: [resource.id] };
      void store.stage(info.event.id, slot, info.revert).finally(hold.claim());
    },
    // Dragging across free time on a row books that technician for that time (one day at most).
    selectAllow: (span: { start: Date; end: Date }) => localDateOf(span.start.getTime(), zone) === localDateOf(span.end.getTime() - 1, zone),
    select: (info: DateSelectInfo) => {
      host.unselect();
      if (!info.resource) return;
      store.openNewBooking({ start: isoOf(info.start.getTime()), minutes: Math.round((info.end.getTime() - info.start.getTime()) / 60_000), assignees: [info.resource.id] });
    },
    // A queue card landed on the calendar (`eventReceive` follows in the same task).
    drop: () => hold.settle(),
    // The queue's place is read when a drag starts (layout is settled then), not on release.
    eventDragStart: () => {
      gesture.active = true;
      gesture.queueRect = host.queueEl()?.getBoundingClientRect() ?? null;
    },
    eventDragStop: (info: EventDragStopInfo) => {
      gesture.active = false;
      hold.settle();
      const rect = gesture.queueRect;
      const { clientX: x, clientY: y } = info.jsEvent;
      if (rect && x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom) void store.unassign(info.event.id)?.finally(hold.claim());
    },
    eventResizeStart: () => {
      gesture.active = true;
    },
    eventResizeStop: () => {
      gesture.active = false;
      hold.settle();
    },
  };
}
