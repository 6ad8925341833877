import type { BoardDelta, BoardView } from '../../../../core/api/contract.ts';
import type { Slot } from '../../../../core/model.ts';
import type { Result } from '../../../../core/result.ts';
import { addDays, dayBoundsMs, localDateOf, toMs, weekdayOf, WEEKDAYS, type LocalDate } from '../../../../core/time.ts';
import { runCommand } from '../forms/backend.ts';
import { nextSelection, type Direction } from './board-model.ts';
import { Staging } from './board-staging.ts';
import {
  MAX_RANGE_DAYS,
  type AssistantPanel,
  type BoardClient,
  type BoardDialog,
  type BoardState,
  type BoardStoreOptions,
  type CalendarPort,
  type DeltaSink,
  type NewBookingSeed,
  type SaveChoice,
  type VisibleRange,
} from './board-state.ts';
import { isoOf } from './time-format.ts';
import type { Roster } from './use-roster.ts';

export * from './board-state.ts';

/**
 * The board's state in plain TypeScript, outside React (issue 21, part 1): reads of the visible range
 * (`board:getRange`, sequenced so that a late answer never overwrites a newer one, refreshes coalesced),
 * the edits' deltas (`BoardDelta`), staging with its undo stack and Save (its part in board-staging.ts),
 * selection and dialogs; the types are in board-state.ts. Components read it through
 * `useSyncExternalStore` (`useBoardState`); the calendar bridge (calendar/calendar-bridge.ts) applies deltas to the
 * calendar and answers navigation (`CalendarPort`). It talks to the backend only through `BoardClient`,
 * so board-store.test.ts drives it with a fake one.
 *
 * Over ~400 lines (about 470) on purpose: reads, deltas, selection and navigation all guard one state
 * object and one read sequence; the part that stands alone (staging, undo, Save) is board-staging.ts.
 */

type BoardRead = Promise<Result<BoardView>>;


export class BoardStore {
  private state: BoardState;
  private readonly listeners = new Set<() => void>();
  private roster: Roster;
  /** Attached by the calendar bridge while the calendar exists. */
  calendar: CalendarPort | null = null;
  private deltaSink: DeltaSink | null = null;

  /** The first read, sent before the calendar exists; the first `refreshBoard` of that range takes it. */
  private prefetch: { from: string; to: string; stale: boolean; answer: BoardRead } | null = null;
  private boardSeq = 0;
  private readsInFlight = 0;
  private queueSeq = 0;
  private inFlight = false;
  private dirty = false;
  private lastRefreshAt = -Infinity;
  private readonly staging: Staging;
  /**
   * The row the selected card was chosen on (a team job is on several), for the arrow keys. Not state:
   * nothing renders it, and a drop sets it (no render of the board in the middle of a drop).
   */
  private row: string | null = null;
  private readonly clock: () => number;

  constructor(
    private readonly client: BoardClient,
    roster: Roster,
    private readonly options: BoardStoreOptions,
  ) {
    this.roster = roster;
    this.clock = options.clock ?? (() => performance.now());
    this.staging = new Staging(this, client, options.notify);
    this.state = {
      range: null,
      view: null,
      queue: [],
      queueText: '',
      stagedCount: 0,
      saving: false,
      saveRetry: null,
      selectedId: null,
      panelId: null,
      dialog: null,
      newBookingSeed: {},
      providerFilter: null,
      connected: true,
      firstReadDone: false,
      readOnly: false,
      assistant: null,
    };
  }

  // -------------------------------------------------------------------------------------------------
  // The external-store protocol (`useSyncExternalStore`).

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): BoardState => this.state;

  /** Changes the state and tells the subscribers (also for the store's own parts: board-staging.ts). */
  update(patch: Partial<BoardState>): void {
    let changed = false;
    for (const key of Object.keys(patch) as Array<keyof BoardState>) if (this.state[key] !== patch[key]) changed = true;
    if (!changed) return;
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) listener();
  }

  private get zone(): string {
    return this.roster.settings.timeZone;
  }

  /** Receives each delta before it is committed (the calendar bridge); null detaches. */
  onDelta(sink: DeltaSink | null): void {
    this.deltaSink = sink;
  }

  // -------------------------------------------------------------------------------------------------
  // Lifecycle.

  /**
   * Starts the first read at once, while the calendar is still being built: the range the calendar will
   * show is known from the opening date and view (a week starts on Monday). Its answer is committed
   * (unless an event said the board changed meanwhile) and marks `firstReadDone`.
   */
  start(opening: { view: 'resourceTimelineDay' | 'resourceTimelineWeek' | 'resourceTimelineWeekLoad'; date: LocalDate }): void {
    if (this.prefetch || this.state.firstReadDone) return;
    const week = opening.view !== 'resourceTimelineDay';
    const first = week ? addDays(opening.date, -WEEKDAYS.indexOf(weekdayOf(opening.date))) : opening.date;
    const last = week ? addDays(first, 6) : opening.date;
    const { from, to } = this.readRangeOf(first, last);
    const early = { from, to, stale: false, answer: this.client.request('board:getRange', { from, to }) };
    this.prefetch = early;
    void early.answer.then((result) => {
      // `refreshBoard` for the calendar's range takes the same answer again: an unchanged view.
      if (result.ok && !early.stale && this.state.view === null) this.commitView(result.value);
      this.update({ firstReadDone: true });
    });
  }

  /** Listens to the backend's invalidations; returns the unsubscribe. Events only invalidate (docs §6). */
  connect(): () => void {
    const offs = [
      this.client.on('schedule:changed', (p) => {
        if (this.prefetch) this.prefetch.stale = true;
        if (this.staging.savesInFlight > 0) for (const id of p.ids) this.staging.changedDuringSave.add(id);
        else this.refresh();
      }),
      this.client.on('draft:changed', (p) => {
        if (this.prefetch) this.prefetch.stale = true;
        this.update({ stagedCount: p.stagedCount });
        if (this.staging.stagesInFlight === 0 && this.staging.savesInFlight === 0) this.refresh();
      }),
    ];
    if (this.client.onConnectionChange) {
      offs.push(
        this.client.onConnectionChange((up) => {
          this.update({ connected: up });
          if (up) this.refresh(); // re-query what is visible after a reconnect
        }),
      );
    }
    return () => offs.forEach((off) => off());
  }

  setRoster(roster: Roster): void {
    if (roster === this.roster) return;
    this.roster = roster;
    void this.refreshBoard();
    void this.refreshQueue();
  }

  /** Opens the schedule assistant's panel (not on a view-only board: its results are edits). */
  openAssistant(panel: AssistantPanel): void {
    if (this.state.readOnly) return;
    this.update({ assistant: panel });
  }

  closeAssistant(): void {
    this.update({ assistant: null });
  }

  setReadOnly(readOnly: boolean): void {
    this.update({ readOnly });
  }

  // -------------------------------------------------------------------------------------------------
  // Reading: the visible range (full local days) and the queue.

  private readRangeOf(first: LocalDate, last: LocalDate) {
    return { from: isoOf(dayBoundsMs(first, this.zone)[0]), to: isoOf(dayBoundsMs(last, this.zone)[1]) };
  }

  /** The range the board reads (full local days): what `board:getRange` and the edit deltas cover. */
  readRange(r: VisibleRange | null = this.state.range): { from: string; to: string } | undefined {
    return r ? this.readRangeOf(r.firstDay, r.lastDay) : undefined;
  }

  /** The calendar shows another range: read it (a new title alone reads nothing). */
  setRange(next: VisibleRange): void {
    const prev = this.state.range;
    if (prev && prev.kind === next.kind && prev.firstDay === next.firstDay && prev.lastDay === next.lastDay && prev.title === next.title) return;
    this.update({ range: next });
    if (!prev || prev.firstDay !== next.firstDay || prev.lastDay !== next.lastDay) void this.refreshBoard();
  }

  private commitView(view: BoardView): void {
    this.update({ view, stagedCount: view.stagedCount });
  }

  /** Reads the visible range; an answer older than the last read or edit is dropped. */
  async refreshBoard(): Promise<void> {
    const wanted = this.readRange();
    if (!wanted) return;
    const seq = ++this.boardSeq;
    this.readsInFlight++;
    const early = this.prefetch;
    this.prefetch = null;
    let result: Result<BoardView>;
    try {
      result =
        early && !early.stale && early.from === wanted.from && early.to === wanted.to
          ? await early.answer
          : await this.client.request('board:getRange', wanted);
    } finally {
      this.readsInFlight--;
    }
    if (seq !== this.boardSeq) return; // a newer read (or an edit's delta) is newer than this answer
    if (!result.ok) {
      this.options.notify(result.error.message, 'error');
      return;
    }
    this.commitView(result.value);
  }

  async refreshQueue(): Promise<void> {
    const seq = ++this.queueSeq;
    const text = this.state.queueText.trim();
    const result = await this.client.request('queue:list', text ? { text } : {});
    if (seq !== this.queueSeq) return;
    if (result.ok) this.update({ queue: result.value });
  }

  setQueueText(queueText: string): void {
    this.update({ queueText });
  }

  /** One read at a time: an invalidation arriving while a read is on its way asks for exactly one more. */
  refresh(): void {
    if (this.inFlight) {
      this.dirty = true;
      return;
    }
    this.inFlight = true;
    this.lastRefreshAt = this.clock();
    void Promise.all([this.refreshBoard(), this.refreshQueue()]).finally(() => {
      this.inFlight = false;
      if (this.dirty) {
        this.dirty = false;
        this.refresh();
      }
    });
  }

  /**
   * After our own edit the backend's `draft:changed` / `schedule:changed` event triggers the re-read; this
   * is only a fallback in case that event never comes (e.g. a dropped connection).
   */
  refreshSoon(delayMs = 400): void {
    const asked = this.clock();
    setTimeout(() => {
      if (this.lastRefreshAt < asked) this.refresh();
    }, delayMs);
  }

  // -------------------------------------------------------------------------------------------------
  // Deltas.

  /**
   * An edit's answer carries what changed on the board (`BoardDelta`): apply it to the bookings it names.
   * A delta for a range the board no longer shows is dropped for a fresh read, and so is a full read that
   * was on its way when the delta arrived (it would bring back the board before the edit).
   */
  applyDelta(delta: BoardDelta, edited: readonly string[], rowsBefore: Iterable<string>): void {
    const base = this.state.view;
    const expected = this.readRange();
    if (!base || !expected) return;
    if (toMs(expected.from) !== toMs(delta.from) || toMs(expected.to) !== toMs(delta.to)) {
      this.refresh();
      return;
    }
    const readAlready = this.readsInFlight > 0;
    ++this.boardSeq;
    const ids = new Set([...delta.bookings.map((b) => b.id), ...delta.gone]);
    const conflicts = { ...base.conflicts };
    for (const id of ids) delete conflicts[id];
    Object.assign(conflicts, delta.conflicts);
    const next: BoardView = { bookings: [...base.bookings.filter((b) => !ids.has(b.id)), ...delta.bookings], conflicts, stagedCount: delta.stagedCount };
    // Loads change on the rows the edited bookings left or joined.
    const rows = new Set(rowsBefore);
    for (const b of delta.bookings) if (edited.includes(b.id)) for (const a of b.slot?.assignees ?? []) rows.add(a);
    this.deltaSink?.(base, next, delta, rows);
    this.commitView(next);
    if (readAlready) this.refresh(); // that read was dropped: read again after this edit
  }

  // -------------------------------------------------------------------------------------------------
  // Staging, undo and Save (board-staging.ts).

  slotOf(id: string): Slot | null {
    return this.staging.slotOf(id);
  }
  stage(id: string, slot: Slot | null, revert?: () => void): Promise<boolean> {
    return this.staging.stage(id, slot, revert);
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
    const { view, range } = this.state;
    if (!view || !range || range.kind !== 'day') return 0;
    const [from, to] = dayBoundsMs(range.firstDay, this.zone);
    return view.bookings.filter((b) => b.status === 'scheduled' && !b.staged && b.slot && toMs(b.slot.start) >= from && toMs(b.slot.start) < to).length;
  }

  async sendDay(): Promise<void> {
    this.update({ dialog: null });
    const range = this.state.range;
    if (!range) return;
    const r = await runCommand(this.client, 'sendDayToTech', { date: range.firstDay });
    if (!r.ok) {
      this.options.notify(r.error.message, 'error');
      return;
    }
    const sent = r.value.sent.length;
    this.options.notify(sent === 0 ? 'No Scheduled jobs to send on this day' : `Sent ${sent} ${sent === 1 ? 'job' : 'jobs'} to techs`, sent ? 'success' : 'info');
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

  openPanel(id: string | null = this.state.selectedId): void {
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
    if (this.state.panelId) this.closePanel();
    else this.select(null);
  }

  openDialog(dialog: Exclude<BoardDialog, 'save' | 'new-booking' | null>): void {
    this.update({ dialog });
  }

  closeDialog(): void {
    this.update({ dialog: null, saveRetry: null });
  }

  openNewBooking(seed: NewBookingSeed = {}): void {
    if (this.state.readOnly) return;
    this.update({ newBookingSeed: seed, dialog: 'new-booking' });
  }

  setProviderFilter(providerFilter: { id: string; name: string } | null): void {
    this.update({ providerFilter, dialog: null });
  }

  /** The rows the board shows, in order (the provider filter applied). */
  rowOrder(): string[] {
    const filter = this.state.providerFilter;
    const providers = filter ? this.roster.providers.filter((p) => p.id === filter.id) : this.roster.providers;
    return providers.map((p) => p.id);
  }

  /** The arrow keys: the next card in that direction, selected and brought on screen. */
  moveSelection(dir: Direction): void {
    const { view, selectedId } = this.state;
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
      const kind = this.state.range?.kind;
      if (kind === 'range' || kind === 'load') this.calendar?.day(date);
      else this.calendar?.gotoDate(date);
      const filter = this.state.providerFilter;
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
    const r = this.state.range;
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
