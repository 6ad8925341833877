import { countText } from '../../../../core/format.ts';
import type { Slot } from '../../../../core/model.ts';
import { addDays, dayBoundsMs, localDateOf, toMs, type LocalDate } from '../../../../core/time.ts';
import { runCommand } from '../forms/backend.ts';
import { BoardReads } from './board-reads.ts';
import { nextSelection, type Direction } from './board-model.ts';
import { MAX_RANGE_DAYS, type AssistantPanel, type BoardDialog, type NewBookingSeed, type SaveChoice } from './board-state.ts';

export * from './board-state.ts';

/**
 * The board's state in plain TypeScript, outside React (issue 21, part 1). Its reading half, `BoardReads`
 * (board-reads.ts), holds the state object, the sequenced reads of the visible range and the edits'
 * deltas; staging with its undo stack and Save is board-staging.ts; this class adds what the dispatcher
 * does: stage and Save (through the staging), selection, the job panel, dialogs, the provider filter,
 * the assistant's panel and navigation; the types are in board-state.ts. Components read it through
 * `useSyncExternalStore` (`useBoardState`); the calendar bridge (calendar/calendar-bridge.ts) applies
 * deltas to the calendar and answers navigation (`CalendarPort`). It talks to the backend only through
 * `BoardClient`, so board-store.test.ts drives it with a fake one.
 */
export class BoardStore extends BoardReads {
  /**
   * The row the selected card was chosen on (a team job is on several), for the arrow keys. Not state:
   * nothing renders it, and a drop sets it (no render of the board in the middle of a drop).
   */
  private row: string | null = null;

  /** Opens the schedule assistant's panel (not on a view-only board: its results are edits). */
  openAssistant(panel: AssistantPanel): void {
    if (this.getState().readOnly) return;
    this.update({ assistant: panel });
  }

  closeAssistant(): void {
    this.update({ assistant: null });
  }

  setReadOnly(readOnly: boolean): void {
    this.update({ readOnly });
  }

  /**
   * Shown or hidden behind another screen (the board stays mounted: App.tsx). Hiding closes the board's
   * modal dialogs and the assistant's panels, as leaving the board always did: a modal left open behind
   * another screen would make that screen inert (a desktop menu command can change screens under one).
   */
  setVisible(visible: boolean): void {
    this.update(visible ? { visible } : { visible, dialog: null, saveRetry: null, assistant: null });
  }

  /**
   * The one rule for the board's listeners on the window, the document and the desktop menu: they act only
   * while the board is on screen, so a key or a menu command on another screen never reaches the hidden
   * board (its reads and deltas go on: they keep it current for its next show).
   */
  whileVisible<A extends unknown[]>(handler: (...args: A) => void): (...args: A) => void {
    return (...args) => {
      if (this.getState().visible) handler(...args);
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Staging, undo and Save (board-staging.ts).

  slotOf(id: string): Slot | null {
    return this.staging.slotOf(id);
  }
  stage(id: string, slot: Slot | null, revert?: () => void, painted?: () => void): Promise<boolean> {
    return this.staging.stage(id, slot, revert, painted);
  }

  /** Several slots staged as one edit, all or none: one undo step (the schedule assistant's results). */
  stageMany(slots: ReadonlyArray<{ id: string; slot: Slot | null }>): Promise<boolean> {
    return this.staging.stageMany(slots);
  }
  unassign(id: string): Promise<boolean> | undefined {
    return this.staging.unassign(id);
  }
  undo(): Promise<void> {
    return this.staging.undo();
  }
  redo(): Promise<void> {
    return this.staging.redo();
  }
  get undoDepth(): number {
    return this.staging.undoDepth;
  }
  get redoDepth(): number {
    return this.staging.redoDepth;
  }
  openSave(): void {
    this.staging.openSave();
  }
  confirmSave(choice: SaveChoice): Promise<boolean> {
    return this.staging.confirmSave(choice);
  }
  discardAll(): Promise<void> {
    return this.staging.discardAll();
  }

  /** Scheduled, saved jobs starting on the day the board shows (a day view only). */
  sendDayCount(): number {
    const { view, range } = this.getState();
    if (!view || !range || range.kind !== 'day') return 0;
    const [from, to] = dayBoundsMs(range.firstDay, this.zone);
    return view.bookings.filter((b) => b.status === 'scheduled' && !b.staged && b.slot && toMs(b.slot.start) >= from && toMs(b.slot.start) < to).length;
  }

  async sendDay(): Promise<void> {
    this.update({ dialog: null });
    const range = this.getState().range;
    if (!range) return;
    const r = await runCommand(this.client, 'sendDayToTech', { date: range.firstDay });
    if (!r.ok) {
      this.options.notify(r.error.message, 'error');
      return;
    }
    const sent = r.value.sent.length;
    this.options.notify(sent === 0 ? 'No Scheduled jobs to send on this day' : `Sent ${countText(sent, 'job')} to techs`, sent ? 'success' : 'info');
    this.refreshSoon();
  }

  // -------------------------------------------------------------------------------------------------
  // Selection, panel, dialogs, filter.

  select(id: string | null, row: string | null = null): void {
    this.row = row;
    this.update({ selectedId: id });
  }

  /** The row the selection continues from (a card dropped on another row). */
  get selectedRow(): string | null {
    return this.row;
  }

  setSelectedRow(row: string): void {
    this.row = row;
  }

  openPanel(id: string | null = this.getState().selectedId): void {
    if (id) this.update({ panelId: id });
  }

  closePanel(): void {
    this.update({ panelId: null });
  }

  /** A queue card opened: selected (no row) and its panel open. */
  openFromQueue(id: string): void {
    this.row = null;
    this.update({ selectedId: id, panelId: id });
  }

  /** Escape: closes the panel, or else clears the selection. */
  escape(): void {
    if (this.getState().panelId) this.closePanel();
    else this.select(null);
  }

  openDialog(dialog: Exclude<BoardDialog, 'save' | 'new-booking' | null>): void {
    this.update({ dialog });
  }

  closeDialog(): void {
    this.update({ dialog: null, saveRetry: null });
  }

  openNewBooking(seed: NewBookingSeed = {}): void {
    if (this.getState().readOnly) return;
    this.update({ newBookingSeed: seed, dialog: 'new-booking' });
  }

  setProviderFilter(providerFilter: { id: string; name: string } | null): void {
    this.update({ providerFilter, dialog: null });
  }

  /** The rows the board shows, in order (the provider filter applied). */
  rowOrder(): string[] {
    const filter = this.getState().providerFilter;
    const providers = filter ? this.roster.providers.filter((p) => p.id === filter.id) : this.roster.providers;
    return providers.map((p) => p.id);
  }

  /** The arrow keys: the next card in that direction, selected and brought on screen. */
  moveSelection(dir: Direction): void {
    const { view, selectedId } = this.getState();
    if (!view) return;
    const next = nextSelection(view.bookings, this.rowOrder(), { id: selectedId, row: this.row }, dir);
    if (!next) return;
    this.select(next.id, next.row);
    this.calendar?.reveal(next.id, next.row);
  }

  /** Opens a booking chosen elsewhere (search, bookings list, a new booking): its date, card and panel. */
  async jumpTo(id: string): Promise<void> {
    this.update({ dialog: null });
    const r = await this.client.request('bookings:get', { id });
    if (!r.ok) {
      this.options.notify(r.error.message, 'error');
      return;
    }
    const slot = r.value.booking.slot;
    if (slot) {
      const date = localDateOf(toMs(slot.start), this.zone);
      // A range, or the week overview (no cards to reveal): the job's day view.
      const kind = this.getState().range?.kind;
      if (kind === 'range' || kind === 'load') this.calendar?.day(date);
      else this.calendar?.gotoDate(date);
      const filter = this.getState().providerFilter;
      if (slot.assignees.length && filter && !slot.assignees.includes(filter.id)) this.update({ providerFilter: null });
    }
    const row = slot?.assignees[0] ?? null;
    this.row = row;
    this.update({ selectedId: id, panelId: id });
    this.calendar?.reveal(id, row);
  }

  // -------------------------------------------------------------------------------------------------
  // Navigation (answered by the calendar).

  /** The day whose load the rows show and whose route sheets print: in a week, today when in view. */
  loadDay(today: LocalDate): LocalDate {
    const r = this.getState().range;
    if (!r) return today;
    if (r.kind === 'day') return r.firstDay;
    return today >= r.firstDay && today <= r.lastDay ? today : r.firstDay;
  }

  goRange(first: LocalDate, last: LocalDate): void {
    if (first === last) {
      this.calendar?.day(first);
      return;
    }
    let end = last;
    if (addDays(first, MAX_RANGE_DAYS - 1) < last) {
      end = addDays(first, MAX_RANGE_DAYS - 1);
      this.options.notify(`Showing ${MAX_RANGE_DAYS} days at most`, 'info');
    }
    this.calendar?.range(first, end);
  }

  openRouteSheets(today: LocalDate): void {
    this.options.openRouteSheets?.(this.loadDay(today));
  }
}
