import { countText } from '../../../../core/format.ts';
import type { RequestOutput } from '../../../../core/api/contract.ts';
import type { Slot } from '../../../../core/model.ts';
import type { Result } from '../../../../core/result.ts';
import type { BoardClient, Notify, SaveChoice } from './board-state.ts';
import type { BoardReads } from './board-reads.ts';
import { forecastStage } from './drop-forecast.ts';

/**
 * The store's staging part: board edits staged (never committed until Save), the window's own undo and
 * redo stacks of staged edits, Save and discard. Each edit's answer is applied as a delta by the store.
 * It counts its own requests in flight so the store can tell our own `draft:changed` and
 * `schedule:changed` events from other clients' (board-store.ts `connect`). Tested through the store
 * (board-store.test.ts).
 */

/**
 * One staged board edit (a drop, or a whole filled day), so Ctrl+Z can step back through staged edits
 * before committed history: one step however many jobs it moved.
 */
interface StagedStep {
  edits: StagedEdit[];
}
interface StagedEdit {
  id: string;
  /** The staged slot before this edit; `undefined` when the booking had no staged edit (discard restores it). */
  before: Slot | null | undefined;
  after: Slot | null;
}

/** Queue membership changes only when a job leaves or joins "nobody assigned". */
const touchesQueue = (before: Slot | null, after: Slot | null) => !before?.assignees.length || !after?.assignees.length;

export class Staging {
  /** Own `draft:stage`/`draft:discard` requests on their way: their `draft:changed` needs no re-read. */
  stagesInFlight = 0;
  /** Own Saves on their way. */
  savesInFlight = 0;
  /** The bookings `schedule:changed` named while our own Save was on its way. */
  changedDuringSave = new Set<string>();
  private undoStack: StagedStep[] = [];
  private redoStack: StagedStep[] = [];

  constructor(
    private readonly store: BoardReads,
    private readonly client: BoardClient,
    private readonly notify: Notify,
  ) {}

  private bookingOf(id: string) {
    return this.store.getState().view?.bookings.find((x) => x.id === id) ?? this.store.getState().queue.find((x) => x.id === id);
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

  /**
   * Stages a new slot for a booking; `revert` puts the calendar's card back if the backend refuses. With
   * `painted`, the answer is forecast (drop-forecast.ts) and applied at once, and `painted` is called once
   * it is on the board; the answer then only corrects what differs, and a refusal puts the forecast back.
   */
  async stage(id: string, slot: Slot | null, revert?: () => void, painted?: () => void): Promise<boolean> {
    const before = this.stagedSlotOf(id);
    const oldSlot = this.slotOf(id);
    const view = this.store.readRange();
    const board = this.store.getState().view;
    // Sent first: the backend works while the forecast is made, and a read the forecast triggers reaches it after the edit.
    const answer = this.staging(() => this.client.request('draft:stage', view ? { id, slot, view } : { id, slot }));
    const forecast = painted && slot ? forecastStage(board, view, this.store.conflictWorld(), id, slot) : null;
    if (forecast) {
      this.store.applyDelta(forecast.delta, [id], oldSlot?.assignees ?? []);
      painted?.();
    }
    const result = await answer;
    if (!result.ok) {
      revert?.();
      if (forecast) {
        this.store.applyDelta(forecast.undo, [id], slot?.assignees ?? []);
        this.store.refresh(); // other edits may have landed on those rows meanwhile
      }
      this.notify(result.error.message, 'error');
      return false;
    }
    this.undoStack.push({ edits: [{ id, before, after: slot }] });
    this.redoStack = [];
    this.store.update({ stagedCount: result.value.stagedCount });
    if (result.value.view) this.store.applyDelta(result.value.view, [id], oldSlot?.assignees ?? []);
    else this.store.refresh();
    if (touchesQueue(oldSlot, slot)) void this.store.refreshQueue();
    return true;
  }

  /**
   * Stages several slots as one edit, all or none: one undo step. For the schedule assistant's filled day
   * and reordered route.
   */
  async stageMany(slots: ReadonlyArray<{ id: string; slot: Slot | null }>): Promise<boolean> {
    if (this.store.getState().readOnly || slots.length === 0) return false;
    const edits = slots.map(({ id, slot }) => ({ id, before: this.stagedSlotOf(id), after: slot }));
    const oldSlots = slots.map(({ id }) => this.slotOf(id));
    const view = this.store.readRange();
    const result = await this.staging(() =>
      this.client.request('draft:stageMany', view ? { slots: [...slots], view } : { slots: [...slots] }),
    );
    if (!result.ok) {
      this.notify(result.error.message, 'error');
      return false;
    }
    this.undoStack.push({ edits });
    this.redoStack = [];
    this.store.update({ stagedCount: result.value.stagedCount });
    const rowsBefore = oldSlots.flatMap((s) => s?.assignees ?? []);
    if (result.value.view) this.store.applyDelta(result.value.view, slots.map((e) => e.id), rowsBefore);
    else this.store.refresh();
    if (slots.some(({ slot }, i) => touchesQueue(oldSlots[i] ?? null, slot))) void this.store.refreshQueue();
    return true;
  }

  unassign(id: string): Promise<boolean> | undefined {
    if (this.store.getState().readOnly) return;
    const slot = this.slotOf(id);
    if (!slot || slot.assignees.length === 0) {
      this.notify('This job has nobody assigned', 'info');
      return;
    }
    return this.stage(id, { ...slot, assignees: [] });
  }

  /**
   * Undo/redo of one staged step: each job back to the slot staged before (or the saved one), with its
   * delta. Several jobs go in one all-or-none request.
   */
  private async restage(targets: ReadonlyArray<{ id: string; slot: Slot | null | undefined }>): Promise<boolean> {
    const ids = targets.map((t) => t.id);
    const oldSlots = ids.map((id) => this.slotOf(id));
    const view = this.store.readRange();
    const one = targets.length === 1 ? targets[0]! : null;
    const result = await this.staging(() => {
      if (one && one.slot === undefined) return this.client.request('draft:discard', { id: one.id, view });
      if (one) return this.client.request('draft:stage', { id: one.id, slot: one.slot!, view });
      const slots = targets.map(({ id, slot }) => (slot === undefined ? { id, discard: true as const } : { id, slot }));
      return this.client.request('draft:stageMany', view ? { slots, view } : { slots });
    });
    if (!result.ok) {
      this.notify(result.error.message, 'error');
      return false;
    }
    this.store.update({ stagedCount: result.value.stagedCount });
    const delta = result.value.view;
    if (delta) {
      this.store.applyDelta(delta, ids, oldSlots.flatMap((s) => s?.assignees ?? []));
      const touched = ids.some((id, i) => touchesQueue(oldSlots[i] ?? null, delta.bookings.find((b) => b.id === id)?.slot ?? null) || delta.gone.includes(id));
      if (touched) void this.store.refreshQueue();
    } else this.store.refresh();
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
    if (this.store.getState().readOnly) return;
    const step = this.undoStack.pop();
    if (step) {
      if (!(await this.restage(step.edits.map((e) => ({ id: e.id, slot: e.before }))))) {
        this.undoStack.push(step);
        return;
      }
      this.redoStack.push(step);
      this.notify('Undid a board edit', 'info');
      return;
    }
    const r = await this.client.request('history:undo', {});
    if (!r.ok) this.notify(r.error.message, 'error');
    else if (r.value.staged > 0) {
      // What was saved may have been sent to people: taking it back is a change they are told of on Save.
      this.notify(`The last Save is staged back (${countText(r.value.staged, 'job')}): Save to apply it and choose who is told`, 'info');
    } else this.notify(r.value.done ? 'Undone' : 'Nothing to undo', 'info');
    this.store.refreshSoon();
  }

  async redo(): Promise<void> {
    if (this.store.getState().readOnly) return;
    const step = this.redoStack.pop();
    if (step) {
      if (!(await this.restage(step.edits.map((e) => ({ id: e.id, slot: e.after }))))) {
        this.redoStack.push(step);
        return;
      }
      this.undoStack.push(step);
      this.notify('Redid a board edit', 'info');
      return;
    }
    const r = await this.client.request('history:redo', {});
    if (!r.ok) this.notify(r.error.message, 'error');
    else this.notify(r.value.done ? 'Redone' : 'Nothing to redo', 'info');
    this.store.refreshSoon();
  }

  // -------------------------------------------------------------------------------------------------
  // Save and discard.

  /** Ctrl+S, the menu and the header's Save: not while a Save is under way (its edits are still staged). */
  openSave(): void {
    if (this.store.getState().readOnly) return;
    if (this.savesInFlight > 0) this.notify('Saving…', 'info');
    else if (this.store.getState().stagedCount > 0) this.store.update({ dialog: 'save' });
    else this.notify('No unsaved changes', 'info');
  }

  /**
   * Save: the answer carries the saved bookings as they now are. The store's `schedule:changed` for our
   * own Save arrives before that answer; it needs no re-read unless it names a booking the answer does not
   * cover (another client's change in the same moment).
   */
  private async saveDraft(choice: SaveChoice): Promise<Result<RequestOutput<'draft:save'>>> {
    const view = this.store.readRange();
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
      this.store.applyDelta(d, [], []);
      if ([...heard].some((id) => !covered.has(id))) this.store.refresh();
    } else if (heard.size > 0 || result.ok) this.store.refresh();
    return result;
  }

  /** The Save dialog's confirm: it closes at once; a refused Save brings it back with the reason. */
  async confirmSave(choice: SaveChoice): Promise<boolean> {
    this.store.update({ dialog: null, saveRetry: null, saving: true });
    let result;
    try {
      result = await this.saveDraft(choice);
    } finally {
      this.store.update({ saving: false });
    }
    if (!result.ok) {
      this.store.update({ saveRetry: { error: result.error.message, choice }, dialog: 'save' });
      return false;
    }
    this.undoStack = [];
    this.redoStack = [];
    const saved = result.value.saved;
    this.notify(`Saved ${countText(saved, 'change')}`, 'success');
    return true;
  }

  async discardAll(): Promise<void> {
    this.store.update({ dialog: null });
    const r = await this.client.request('draft:discard', {});
    if (!r.ok) {
      this.notify(r.error.message, 'error');
      return;
    }
    this.undoStack = [];
    this.redoStack = [];
    this.store.update({ stagedCount: r.value.stagedCount });
    this.notify('Changes discarded', 'info');
    this.store.refreshSoon();
  }
}
