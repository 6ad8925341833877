import type { BoardDelta, BoardView } from '../../../../core/api/contract.ts';
import type { ConflictWorld } from '../../../../core/conflicts.ts';
import type { Result } from '../../../../core/result.ts';
import { addDays, dayBoundsMs, toMs, weekdayOf, WEEKDAYS, type LocalDate } from '../../../../core/time.ts';
import { Staging } from './board-staging.ts';
import type { BoardClient, BoardState, BoardStoreOptions, CalendarPort, DeltaSink, VisibleRange } from './board-state.ts';
import { isoOf } from './time-format.ts';
import type { Roster } from './use-roster.ts';

/**
 * The reading half of the board's store (issue 21, part 1), the base of `BoardStore` (board-store.ts):
 * the one state object and its subscribers (`useSyncExternalStore`), reads of the visible range
 * (`board:getRange`, sequenced so that a late answer never overwrites a newer one, refreshes coalesced),
 * the backend's invalidations and the edits' deltas (`BoardDelta`). Staging and Save (board-staging.ts)
 * write through it; selection, dialogs and navigation are BoardStore's. Tested through BoardStore
 * (board-store.test.ts).
 */

type BoardRead = Promise<Result<BoardView>>;

export class BoardReads {
  private state: BoardState;
  private readonly listeners = new Set<() => void>();
  protected roster: Roster;
  /** Attached by the calendar bridge while the calendar exists. */
  calendar: CalendarPort | null = null;
  private deltaSink: DeltaSink | null = null;

  /** The first read, sent before the calendar exists; the first `refreshBoard` of that range takes it. */
  private prefetch: { from: string; to: string; stale: boolean; answer: BoardRead } | null = null;
  private boardSeq = 0;
  private readsInFlight = 0;
  private queueSeq = 0;
  /** The last queue read whose answer was taken: behind `queueSeq` while one is on its way. */
  private queueAnswered = 0;
  private inFlight = false;
  private dirty = false;
  private lastRefreshAt = -Infinity;
  protected readonly staging: Staging;
  private readonly clock: () => number;

  constructor(
    protected readonly client: BoardClient,
    roster: Roster,
    protected readonly options: BoardStoreOptions,
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
      visible: true,
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

  /** The conflict engine's inputs as the board holds them, to forecast an edit's answer (drop-forecast.ts). */
  conflictWorld(): ConflictWorld {
    return { settings: this.roster.settings, providers: this.roster.providersById, services: this.roster.services };
  }

  protected get zone(): string {
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
    this.queueAnswered = seq;
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

}
