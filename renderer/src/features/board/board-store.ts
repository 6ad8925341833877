import type { BackendClient, BoardBooking, BoardDelta, BoardView, RequestOutput } from '../../../../core/api/contract.ts';
import type { Slot } from '../../../../core/model.ts';
import type { Result } from '../../../../core/result.ts';
import { addDays, dayBoundsMs, localDateOf, toMs, weekdayOf, WEEKDAYS, type LocalDate } from '../../../../core/time.ts';
import { nextSelection, type Direction } from './board-model.ts';
import { isoOf } from './time-format.ts';
import type { Roster } from './use-roster.ts';

/**
 * The board's state in plain TypeScript, outside React (issue 21, part 1): reads of the visible range
 * (`board:getRange`, sequenced so that a late answer never overwrites a newer one, refreshes coalesced),
 * the edits' deltas (`BoardDelta`), staging with its undo stack, selection, dialogs and Save. Components
 * read it through `useSyncExternalStore` (`useBoardState`); the calendar bridge (calendar-bridge.ts)
 * applies deltas to the calendar and answers navigation (`CalendarPort`). It talks to the backend only
 * through `BoardClient`, so board-store.test.ts drives it with a fake one.
 */

export type BoardViewKind = 'day' | 'week' | 'range';

export interface VisibleRange {
  kind: BoardViewKind;
  title: string;
  firstDay: LocalDate;
  lastDay: LocalDate;
}

/** Who is told of a Save (the Save dialog's choices). */
export interface SaveChoice {
  notifyProviders: boolean;
  notifyCustomers: boolean;
}

/** A refused Save: its reason, and the choices made for it. */
export interface SaveRetry {
  error: string;
  choice: SaveChoice;
}

export type BoardDialog = 'save' | 'discard' | 'search' | 'send-day' | 'new-booking' | null;

/** What a new booking starts from: a range dragged out on a technician's row, or nothing (button, N, menu). */
export interface NewBookingSeed {
  start?: string;
  minutes?: number;
  assignees?: string[];
}

export interface BoardState {
  range: VisibleRange | null;
  view: BoardView | null;
  queue: BoardBooking[];
  queueText: string;
  stagedCount: number;
  /** A Save is under way: its edits stay staged until it answers. */
  saving: boolean;
  saveRetry: SaveRetry | null;
  selectedId: string | null;
  /** The row the selected card was chosen on (a team job is on several). */
  selectedRow: string | null;
  panelId: string | null;
  dialog: BoardDialog;
  newBookingSeed: NewBookingSeed;
  providerFilter: { id: string; name: string } | null;
  connected: boolean;
  /** The first read has answered (the calendar is built then, with its cards). */
  firstReadDone: boolean;
  readOnly: boolean;
}

/** The backend as the board uses it: the contract's client, and the connection state when it has one. */
export type BoardClient = Pick<BackendClient, 'request' | 'on'> & { onConnectionChange?(listener: (connected: boolean) => void): () => void };

/** Navigation and reveal, answered by the calendar (calendar-bridge.ts); absent before it is built. */
export interface CalendarPort {
  day(date?: LocalDate): void;
  week(): void;
  gotoDate(date: LocalDate): void;
  prev(): void;
  next(): void;
  /** A custom range [first, last] (inclusive), at most `MAX_RANGE_DAYS`. */
  range(first: LocalDate, last: LocalDate): void;
  /** Brings the booking's card on screen (its row may not be mounted yet). */
  reveal(id: string, row: string | null): void;
}

/**
 * A delta about to be committed: `base` is the view it was computed on, `next` the view after it, `rows`
 * the providers whose load changed. The bridge applies it to the calendar straight away, in this task.
 */
export type DeltaSink = (base: BoardView, next: BoardView, delta: BoardDelta, rows: ReadonlySet<string>) => void;

export type Notify = (message: string, kind: 'info' | 'error' | 'success') => void;

export interface BoardStoreOptions {
  notify: Notify;
  /** The route sheets of a day (a hash change in the app). */
  openRouteSheets?: (day: LocalDate) => void;
  /** Milliseconds, monotonic: when the last refresh started (for the fallback re-read). */
  clock?: () => number;
}

/** The board re-reads at most this span at once (the backend refuses more than 62 days). */
export const MAX_RANGE_DAYS = 62;

/** One staged board edit, so Ctrl+Z can step back through staged edits before committed history. */
interface StagedStep {
  id: string;
  /** The staged slot before this edit; `undefined` when the booking had no staged edit (discard restores it). */
  before: Slot | null | undefined;
  after: Slot | null;
}

type BoardRead = Promise<Result<BoardView>>;

/** Queue membership changes only when a job leaves or joins "nobody assigned". */
const touchesQueue = (before: Slot | null, after: Slot | null) => !before?.assignees.length || !after?.assignees.length;

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
  private stagesInFlight = 0;
  private savesInFlight = 0;
  /** The bookings `schedule:changed` named while our own Save was on its way. */
  private changedDuringSave = new Set<string>();
  private undoStack: StagedStep[] = [];
  private redoStack: StagedStep[] = [];
  private readonly clock: () => number;

  constructor(
    private readonly client: BoardClient,
    roster: Roster,
    private readonly options: BoardStoreOptions,
  ) {
    this.roster = roster;
    this.clock = options.clock ?? (() => performance.now());
    this.state = {
      range: null,
      view: null,
      queue: [],
      queueText: '',
      stagedCount: 0,
      saving: false,
      saveRetry: null,
      selectedId: null,
      selectedRow: null,
      panelId: null,
      dialog: null,
      newBookingSeed: {},
      providerFilter: null,
      connected: true,
      firstReadDone: false,
      readOnly: false,
    };
  }

  // -------------------------------------------------------------------------------------------------
  // The external-store protocol (`useSyncExternalStore`).

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): BoardState => this.state;

  private set(patch: Partial<BoardState>): void {
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
  start(opening: { view: 'resourceTimelineDay' | 'resourceTimelineWeek'; date: LocalDate }): void {
    if (this.prefetch || this.state.firstReadDone) return;
    const week = opening.view === 'resourceTimelineWeek';
    const first = week ? addDays(opening.date, -WEEKDAYS.indexOf(weekdayOf(opening.date))) : opening.date;
    const last = week ? addDays(first, 6) : opening.date;
    const { from, to } = this.readRangeOf(first, last);
    const early = { from, to, stale: false, answer: this.client.request('board:getRange', { from, to }) };
    this.prefetch = early;
    void early.answer.then((result) => {
      // `refreshBoard` for the calendar's range takes the same answer again: an unchanged view.
      if (result.ok && !early.stale && this.state.view === null) this.commitView(result.value);
      this.set({ firstReadDone: true });
    });
  }

  /** Listens to the backend's invalidations; returns the unsubscribe. Events only invalidate (docs §6). */
  connect(): () => void {
    const offs = [
      this.client.on('schedule:changed', (p) => {
        if (this.prefetch) this.prefetch.stale = true;
        if (this.savesInFlight > 0) for (const id of p.ids) this.changedDuringSave.add(id);
        else this.refresh();
      }),
      this.client.on('draft:changed', (p) => {
        if (this.prefetch) this.prefetch.stale = true;
        this.set({ stagedCount: p.stagedCount });
        if (this.stagesInFlight === 0 && this.savesInFlight === 0) this.refresh();
      }),
    ];
    if (this.client.onConnectionChange) {
      offs.push(
        this.client.onConnectionChange((up) => {
          this.set({ connected: up });
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

  setReadOnly(readOnly: boolean): void {
    this.set({ readOnly });
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
    this.set({ range: next });
    if (!prev || prev.firstDay !== next.firstDay || prev.lastDay !== next.lastDay) void this.refreshBoard();
  }

  private commitView(view: BoardView): void {
    this.set({ view, stagedCount: view.stagedCount });
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
    if (result.ok) this.set({ queue: result.value });
  }

  setQueueText(queueText: string): void {
    this.set({ queueText });
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
  // Staging (never committed until Save) and its undo stack.

  private bookingOf(id: string) {
    return this.state.view?.bookings.find((x) => x.id === id) ?? this.state.queue.find((x) => x.id === id);
  }

  slotOf(id: string): Slot | null {
    return this.bookingOf(id)?.slot ?? null;
  }

  private stagedSlotOf(id: string): Slot | null | undefined {
    const b = this.bookingOf(id);
    return b?.staged ? b.slot : undefined;
  }

  /** A request that answers a delta: counted, so its own `draft:changed` does not trigger a re-read. */
  private async staging<T>(send: () => Promise<T>): Promise<T> {
    this.stagesInFlight++;
    try {
      return await send();
    } finally {
      this.stagesInFlight--;
    }
  }

  /** Stages a new slot for a booking; `revert` puts the calendar's card back if the backend refuses. */
  async stage(id: string, slot: Slot | null, revert?: () => void): Promise<boolean> {
    const before = this.stagedSlotOf(id);
    const oldSlot = this.slotOf(id);
    const view = this.readRange();
    const result = await this.staging(() => this.client.request('draft:stage', view ? { id, slot, view } : { id, slot }));
    if (!result.ok) {
      revert?.();
      this.options.notify(result.error.message, 'error');
      return false;
    }
    this.undoStack.push({ id, before, after: slot });
    this.redoStack = [];
    this.set({ stagedCount: result.value.stagedCount });
    if (result.value.view) this.applyDelta(result.value.view, [id], oldSlot?.assignees ?? []);
    else this.refresh();
    if (touchesQueue(oldSlot, slot)) void this.refreshQueue();
    return true;
  }

  unassign(id: string): Promise<boolean> | undefined {
    if (this.state.readOnly) return;
    const slot = this.slotOf(id);
    if (!slot || slot.assignees.length === 0) {
      this.options.notify('This job has nobody assigned', 'info');
      return;
    }
    return this.stage(id, { ...slot, assignees: [] });
  }

  /** Undo/redo of one staged edit: back to the slot staged before (or the saved one), with its delta. */
  private async restage(id: string, slot: Slot | null | undefined): Promise<boolean> {
    const oldSlot = this.slotOf(id);
    const view = this.readRange();
    const result = await this.staging(() =>
      slot === undefined ? this.client.request('draft:discard', { id, view }) : this.client.request('draft:stage', { id, slot, view }),
    );
    if (!result.ok) {
      this.options.notify(result.error.message, 'error');
      return false;
    }
    this.set({ stagedCount: result.value.stagedCount });
    const delta = result.value.view;
    if (delta) {
      this.applyDelta(delta, [id], oldSlot?.assignees ?? []);
      const now = delta.bookings.find((b) => b.id === id)?.slot ?? null;
      if (touchesQueue(oldSlot, now) || delta.gone.includes(id)) void this.refreshQueue();
    } else this.refresh();
    return true;
  }

  /** Staged edits this window can step back through (newest last). */
  get undoDepth(): number {
    return this.undoStack.length;
  }

  get redoDepth(): number {
    return this.redoStack.length;
  }

  /**
   * Ctrl+Z: while this session has staged board edits, step back through them (the slot staged before, or
   * the saved one); with none left, undo the last committed action (`history:undo`, e.g. a whole Save).
   * The staged-edit stack lives in this window only (not across reloads).
   */
  async undo(): Promise<void> {
    if (this.state.readOnly) return;
    const step = this.undoStack.pop();
    if (step) {
      if (!(await this.restage(step.id, step.before))) {
        this.undoStack.push(step);
        return;
      }
      this.redoStack.push(step);
      this.options.notify('Undid a board edit', 'info');
      return;
    }
    const r = await this.client.request('history:undo', {});
    if (!r.ok) this.options.notify(r.error.message, 'error');
    else if (r.value.staged > 0) {
      // What was saved may have been sent to people: taking it back is a change they are told of on Save.
      this.options.notify(`The last Save is staged back (${r.value.staged} ${r.value.staged === 1 ? 'job' : 'jobs'}): Save to apply it and choose who is told`, 'info');
    } else this.options.notify(r.value.done ? 'Undone' : 'Nothing to undo', 'info');
    this.refreshSoon();
  }

  async redo(): Promise<void> {
    if (this.state.readOnly) return;
    const step = this.redoStack.pop();
    if (step) {
      if (!(await this.restage(step.id, step.after))) {
        this.redoStack.push(step);
        return;
      }
      this.undoStack.push(step);
      this.options.notify('Redid a board edit', 'info');
      return;
    }
    const r = await this.client.request('history:redo', {});
    if (!r.ok) this.options.notify(r.error.message, 'error');
    else this.options.notify(r.value.done ? 'Redone' : 'Nothing to redo', 'info');
    this.refreshSoon();
  }

  // -------------------------------------------------------------------------------------------------
  // Save and discard.

  /** Ctrl+S, the menu and the header's Save: not while a Save is under way (its edits are still staged). */
  openSave(): void {
    if (this.state.readOnly) return;
    if (this.savesInFlight > 0) this.options.notify('Saving…', 'info');
    else if (this.state.stagedCount > 0) this.set({ dialog: 'save' });
    else this.options.notify('No unsaved changes', 'info');
  }

  /**
   * Save: the answer carries the saved bookings as they now are. The store's `schedule:changed` for our
   * own Save arrives before that answer; it needs no re-read unless it names a booking the answer does not
   * cover (another client's change in the same moment).
   */
  private async saveDraft(choice: SaveChoice): Promise<Result<RequestOutput<'draft:save'>>> {
    const view = this.readRange();
    this.savesInFlight++;
    let result;
    try {
      result = await this.client.request('draft:save', view ? { ...choice, view } : choice);
    } finally {
      this.savesInFlight--;
    }
    const heard = this.changedDuringSave;
    this.changedDuringSave = new Set();
    if (result.ok && result.value.view) {
      const d = result.value.view;
      const covered = new Set([...d.bookings.map((b) => b.id), ...d.gone]);
      this.applyDelta(d, [], []);
      if ([...heard].some((id) => !covered.has(id))) this.refresh();
    } else if (heard.size > 0 || result.ok) this.refresh();
    return result;
  }

  /** The Save dialog's confirm: it closes at once; a refused Save brings it back with the reason. */
  async confirmSave(choice: SaveChoice): Promise<boolean> {
    this.set({ dialog: null, saveRetry: null, saving: true });
    let result;
    try {
      result = await this.saveDraft(choice);
    } finally {
      this.set({ saving: false });
    }
    if (!result.ok) {
      this.set({ saveRetry: { error: result.error.message, choice }, dialog: 'save' });
      return false;
    }
    this.undoStack = [];
    this.redoStack = [];
    const saved = result.value.saved;
    this.options.notify(`Saved ${saved} ${saved === 1 ? 'change' : 'changes'}`, 'success');
    return true;
  }

  async discardAll(): Promise<void> {
    this.set({ dialog: null });
    const r = await this.client.request('draft:discard', {});
    if (!r.ok) {
      this.options.notify(r.error.message, 'error');
      return;
    }
    this.undoStack = [];
    this.redoStack = [];
    this.set({ stagedCount: r.value.stagedCount });
    this.options.notify('Changes discarded', 'info');
    this.refreshSoon();
  }

  /** Scheduled, saved jobs starting on the day the board shows (a day view only). */
  sendDayCount(): number {
    const { view, range } = this.state;
    if (!view || !range || range.kind !== 'day') return 0;
    const [from, to] = dayBoundsMs(range.firstDay, this.zone);
    return view.bookings.filter((b) => b.status === 'scheduled' && !b.staged && b.slot && toMs(b.slot.start) >= from && toMs(b.slot.start) < to).length;
  }

  async sendDay(): Promise<void> {
    this.set({ dialog: null });
    const range = this.state.range;
    if (!range) return;
    const r = await this.client.request('commands:run', { name: 'sendDayToTech', input: { date: range.firstDay } });
    if (!r.ok) {
      this.options.notify(r.error.message, 'error');
      return;
    }
    const sent = (r.value as { sent: string[] }).sent.length;
    this.options.notify(sent === 0 ? 'No Scheduled jobs to send on this day' : `Sent ${sent} ${sent === 1 ? 'job' : 'jobs'} to techs`, sent ? 'success' : 'info');
    this.refreshSoon();
  }

  // -------------------------------------------------------------------------------------------------
  // Selection, panel, dialogs, filter.

  select(id: string | null, row: string | null = null): void {
    this.set({ selectedId: id, selectedRow: row });
  }

  openPanel(id: string | null = this.state.selectedId): void {
    if (id) this.set({ panelId: id });
  }

  closePanel(): void {
    this.set({ panelId: null });
  }

  /** A queue card opened: selected (no row) and its panel open. */
  openFromQueue(id: string): void {
    this.set({ selectedId: id, selectedRow: null, panelId: id });
  }

  /** Escape: closes the panel, or else clears the selection. */
  escape(): void {
    if (this.state.panelId) this.closePanel();
    else this.select(null);
  }

  openDialog(dialog: Exclude<BoardDialog, 'save' | 'new-booking' | null>): void {
    this.set({ dialog });
  }

  closeDialog(): void {
    this.set({ dialog: null, saveRetry: null });
  }

  openNewBooking(seed: NewBookingSeed = {}): void {
    if (this.state.readOnly) return;
    this.set({ newBookingSeed: seed, dialog: 'new-booking' });
  }

  setProviderFilter(providerFilter: { id: string; name: string } | null): void {
    this.set({ providerFilter, dialog: null });
  }

  /** The rows the board shows, in order (the provider filter applied). */
  rowOrder(): string[] {
    const filter = this.state.providerFilter;
    const providers = filter ? this.roster.providers.filter((p) => p.id === filter.id) : this.roster.providers;
    return providers.map((p) => p.id);
  }

  /** The arrow keys: the next card in that direction, selected and brought on screen. */
  moveSelection(dir: Direction): void {
    const { view, selectedId, selectedRow } = this.state;
    if (!view) return;
    const next = nextSelection(view.bookings, this.rowOrder(), { id: selectedId, row: selectedRow }, dir);
    if (!next) return;
    this.select(next.id, next.row);
    this.calendar?.reveal(next.id, next.row);
  }

  /** Opens a booking chosen elsewhere (search, bookings list, a new booking): its date, card and panel. */
  async jumpTo(id: string): Promise<void> {
    this.set({ dialog: null });
    const r = await this.client.request('bookings:get', { id });
    if (!r.ok) {
      this.options.notify(r.error.message, 'error');
      return;
    }
    const slot = r.value.booking.slot;
    if (slot) {
      const date = localDateOf(toMs(slot.start), this.zone);
      if (this.state.range?.kind === 'range') this.calendar?.day(date);
      else this.calendar?.gotoDate(date);
      const filter = this.state.providerFilter;
      if (slot.assignees.length && filter && !slot.assignees.includes(filter.id)) this.set({ providerFilter: null });
    }
    const row = slot?.assignees[0] ?? null;
    this.set({ selectedId: id, selectedRow: row, panelId: id });
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
