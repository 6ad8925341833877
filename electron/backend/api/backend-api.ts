import {
  fail,
  findConcurrentMoves,
  ok,
  sameSlot,
  toMs,
  type BackendClient,
  type EventName,
  type EventPayloads,
  type Handlers,
  type Recipient,
  type RequestName,
  type Result,
  type SavePreview,
  type Slot,
  validateRequest,
  withStagedSlot,
} from '../../../core/index';
import { newerFormatRefusal } from '../../../core/doc/schema-version';
import type { LocalStore } from '../store/local-store';
import { boardDelta, boardRange, checkRange, conflictsOfOne, queue, stagedBookings } from './board-view';
import { checkOnTables, runDraftRequest, type StagingTables } from './draft-staging';
import { routeSheets } from './route-sheets';
import { saveNotices } from '../../../core/notifications/save-audience';
import { effectiveStatus } from '../../../core/status';
import type { SyncClient } from '../sync/sync-client';
import { syncHandlers } from './sync-api';
import { rosterLostWriteHandlers } from './roster-lost-writes-api';
import { notificationHandlers } from './notifications-api';
import { teamHandlers } from './team-api';
import { importHandlers } from './import-api';
import { workspaceHandlers } from './workspace-api';
import type { WorkspaceSetup } from '../workspace';
import { backupHandlers } from './backup-api';
import { WorkspaceBackups } from '../store/workspace-backup';
import { seriesHandlers } from './series-api';
import { fillDayHandlers } from './fill-day-api';
import { routeOrderHandlers } from './route-order-api';
import { suggestHandlers } from './suggest-api';
import { updateHandlers } from './updates-api';

export interface BackendInfo {
  version: string;
  transport: 'ipc' | 'websocket';
}

/** The undo mark of a Save: each job's slot before it. */
const SAVED_SLOTS = 'savedSlots';
interface SavedSlot {
  id: string;
  slot: Slot | null;
}

type Listener = (event: EventName, payload: EventPayloads[EventName]) => void;

/**
 * The backend behind the contract: one handler per request, over the local store. Transports (IPC,
 * WebSocket) validate inputs first and call `handle`; they forward `subscribe` events to the renderer.
 */
export class BackendApi {
  private readonly listeners = new Set<Listener>();
  readonly handlers: Handlers;

  /**
   * `sync`: the desktop's sync client, where this host syncs (the `sync:*` requests refuse otherwise).
   * `host.setup`: first run and the demo (`workspace:*`), where this host owns its workspace's opening.
   * `host.backups`: the host's (which runs the automatic ones); by default one without a schedule.
   */
  constructor(
    private readonly store: LocalStore,
    info: BackendInfo,
    sync: SyncClient | null = null,
    host: { setup?: WorkspaceSetup | null; backups?: WorkspaceBackups } = {},
  ) {
    const backups = host.backups ?? new WorkspaceBackups(store, { sync });
    store.onChange(({ changed }) => {
      const roster = [...changed.providers, ...changed.customers, ...changed.services, ...changed.settings];
      if (roster.length) this.emit('roster:changed', { ids: roster });
      if (changed.bookings.length) {
        this.dropUnsaveableDrafts(changed.bookings);
        this.emit('schedule:changed', { ids: changed.bookings });
      }
    });
    this.handlers = {
      'app:getInfo': () => ok({ version: info.version, workspace: store.path, transport: info.transport, now: store.clock() }),
      'settings:get': () => ok(store.queries.settings()),
      'providers:list': ({ includeInactive }) => ok(store.queries.providers({ includeInactive: includeInactive ?? true })),
      'customers:list': () => ok(store.queries.customers()),
      'services:list': () => ok(store.queries.services()),
      'board:getRange': ({ from, to }) => {
        const checked = checkRange({ from, to });
        if (!checked.ok) return checked;
        return ok(boardRange(store, toMs(from), toMs(to)));
      },
      'queue:list': ({ text }) => ok(queue(store, text)),
      'bookings:get': ({ id }) => {
        const saved = store.queries.booking(id);
        if (!saved) return fail('not_found', `Booking ${id} does not exist`, { fieldErrors: { id: 'No booking with this id' } });
        const drafts = store.drafts.list();
        const booking = drafts.has(id) ? withStagedSlot(saved, drafts.get(id)!) : { ...saved, staged: false };
        const history = store.queries.history(id);
        return ok({
          booking,
          savedSlot: saved.slot,
          history,
          conflicts: conflictsOfOne(store, booking),
          concurrentMoves: findConcurrentMoves(saved, history),
          customer: saved.customerId ? (store.queries.customer(saved.customerId) ?? null) : null,
          service: saved.serviceId ? (store.queries.services().find((s) => s.id === saved.serviceId) ?? null) : null,
        });
      },
      'bookings:list': ({ text, status, providerId, from, to }) => {
        const staged = stagedBookings(store);
        return ok(
          store.queries
            .list({ text, status, providerId, fromMs: from ? toMs(from) : undefined, toMs: to ? toMs(to) : undefined })
            .map((b) => staged.get(b.id) ?? { ...b, staged: false }),
        );
      },
      'search:query': ({ text }) => ok(store.queries.search(text)),
      'commands:run': ({ name, input }) => {
        const id = (input as { id?: unknown } | null)?.id;
        if (name === 'sendToTech' && typeof id === 'string' && store.drafts.list().has(id)) {
          // Sending would dispatch the saved time and technician while the board shows another one.
          return fail('conflict', 'This job has unsaved board changes: save or discard them before sending it to the technician');
        }
        return store.execute(name, input) as Result<unknown>;
      },
      'draft:stage': (input) => this.staged(runDraftRequest(this.stagingTables, 'draft:stage', input)),
      'draft:stageMany': (input) => this.staged(runDraftRequest(this.stagingTables, 'draft:stageMany', input)),
      'draft:discard': (input) => this.staged(runDraftRequest(this.stagingTables, 'draft:discard', input)),
      'draft:preview': (choice) => ok(this.preview(choice)),
      'draft:save': ({ notifyProviders, notifyCustomers, moveArrivalWindows, view }) => {
        const range = view ? checkRange(view) : undefined;
        if (range && !range.ok) return range;
        const staged = [...store.drafts.list().keys()];
        const changes = this.stagedChanges();
        const before: SavedSlot[] = changes.map(({ id }) => ({ id, slot: store.queries.booking(id)!.slot }));
        if (changes.length === 0) {
          // Every staged edit came to match the saved schedule (e.g. another desktop made the same move).
          if (store.drafts.count() > 0) {
            store.drafts.discard();
            this.draftChanged();
            return fail('validation', 'Nothing to save: the staged changes already match the saved schedule');
          }
          return fail('validation', 'There are no staged changes to save');
        }
        // Commit and clear the draft in one SQLite transaction: never both saved and still staged.
        const result = store.batch(() => {
          const saved = store.execute('saveChanges', { changes, notifyProviders, notifyCustomers, moveArrivalWindows, beforeLink: !store.syncLink.linked });
          if (saved.ok) {
            store.drafts.discard();
            // Only a Save that wrote something left an undo step of its own to mark.
            if ((saved.value as { saved: number }).saved > 0) store.markLastAction(SAVED_SLOTS, before);
          }
          return saved;
        });
        if (!result.ok) return result;
        this.draftChanged();
        // The board already showed and judged these slots: only the staged cards' mark changes.
        return ok(range ? { ...result.value, view: boardDelta(store, staged, [], range.value.from, range.value.to, 'edited') } : result.value);
      },
      'routeSheets:get': (request) => routeSheets(store, request),
      // The desktop shell answers this itself (electron/main/ipc.ts): it needs the window to print.
      'routeSheets:savePdf': () =>
        fail('forbidden', 'Save as PDF is part of the desktop app; in a browser, use Print and choose “Save as PDF” as the printer'),
      'history:undo': () => newerFormatRefusal(store.docs.roster, store.knownDocFormat) ?? this.undo(),
      'history:redo': () => newerFormatRefusal(store.docs.roster, store.knownDocFormat) ?? ok({ done: store.redo() }),
      ...syncHandlers(store, sync, (event, payload) => this.emit(event, payload)),
      ...rosterLostWriteHandlers(store, sync, (event, payload) => this.emit(event, payload)),
      ...teamHandlers(sync),
      ...notificationHandlers(sync),
      ...importHandlers(store),
      ...workspaceHandlers(host.setup ?? null, backups),
      ...backupHandlers(store, backups, (event, payload) => this.emit(event, payload)),
      ...seriesHandlers(store),
      ...fillDayHandlers(store, (event, payload) => this.emit(event, payload)),
      ...routeOrderHandlers(store),
      ...suggestHandlers(store),
      ...updateHandlers(),
    };
  }

  /**
   * The staged edits that still change something: one made before another desktop saved the same slot is
   * left out of the preview and Save, so nobody is told of a change that is not one.
   */
  private stagedChanges(): Array<{ id: string; slot: Slot | null }> {
    const changes: Array<{ id: string; slot: Slot | null }> = [];
    for (const [id, slot] of this.store.drafts.list()) {
      const saved = this.store.queries.booking(id);
      if (saved && !sameSlot(saved.slot, slot)) changes.push({ id, slot });
    }
    return changes;
  }

  /**
   * Undo of a Save does not rewrite what technicians and customers were told: it stages the jobs' slots
   * from before the Save, to be saved (with the choice of who is told) like any board edit. A job closed or
   * gone since, or whose old slot is no longer allowed, is left as it is. Any other action undoes as usual.
   */
  private undo(): Result<{ done: boolean; staged: number }> {
    const { store } = this;
    const saved = store.nextUndoMark<SavedSlot[]>(SAVED_SLOTS);
    if (!saved) return ok({ done: store.undo(), staged: 0 });
    let staged = 0;
    for (const { id, slot } of saved) {
      const booking = store.queries.booking(id);
      if (!booking || booking.status === 'cancelled' || booking.status === 'completed') continue;
      if (sameSlot(booking.slot, slot)) {
        store.drafts.discard(id);
        continue;
      }
      // The checks any staged edit passes (./draft-staging.ts).
      if (!checkOnTables(store, store.context(), { id, slot }).ok) continue;
      store.drafts.stage(id, slot);
      staged++;
    }
    store.dropNextUndo();
    this.draftChanged();
    return ok({ done: true, staged });
  }

  /** Runs a handler; any exception becomes an `internal` error instead of a dropped request. */
  async handle(name: RequestName, input: unknown): Promise<Result<unknown>> {
    try {
      const handler = this.handlers[name] as (input: unknown) => Result<unknown> | Promise<Result<unknown>>;
      return await handler(input);
    } catch (error) {
      return fail('internal', error instanceof Error ? error.message : String(error));
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  /**
   * A staged edit of a job that was cancelled, completed or archived (here or on another desktop) can
   * never be saved, and would make the whole Save fail: drop it, and say so through `draft:changed`.
   */
  private dropUnsaveableDrafts(bookingIds: readonly string[]): void {
    const drafts = this.store.drafts.list();
    let dropped = false;
    for (const id of bookingIds) {
      if (!drafts.has(id)) continue;
      const booking = this.store.queries.booking(id);
      if (booking && booking.status !== 'cancelled' && booking.status !== 'completed') continue;
      this.store.drafts.discard(id);
      dropped = true;
    }
    if (dropped) this.draftChanged();
  }

  private get stagingTables(): StagingTables {
    const store = this.store;
    return { queries: store.queries, drafts: store.drafts, admitContext: () => store.context() };
  }

  /** A staged edit's answer; its new staged count is announced first, as every draft change is. */
  private staged<T extends { stagedCount: number }>(result: Result<T>): Result<T> {
    if (result.ok) this.emit('draft:changed', { stagedCount: result.value.stagedCount });
    return result;
  }

  private draftChanged() {
    const stagedCount = this.store.drafts.count();
    this.emit('draft:changed', { stagedCount });
    return { stagedCount };
  }

  /** Who Save would notify, and about what: removed technicians are told too. */
  private preview({ notifyProviders, notifyCustomers }: { notifyProviders: boolean; notifyCustomers: boolean }): SavePreview {
    const { queries } = this.store;
    const providers = new Map<string, Recipient>();
    const customers = new Map<string, Recipient>();
    const changes: SavePreview['changes'] = [];
    for (const { id, slot } of this.stagedChanges()) {
      const saved = queries.booking(id)!;
      const staged = withStagedSlot(saved, slot);
      changes.push({ id, title: saved.title, from: saved.slot, to: staged.slot });
      // The same function the server's worker calls on the Save's request: the preview is who it messages.
      for (const notice of saveNotices({ before: saved.slot, after: slot, customerId: saved.customerId, notifyProviders, notifyCustomers, status: effectiveStatus(saved.status, saved.slot) })) {
        const { kind, id: personId } = notice.recipient;
        const person = kind === 'provider' ? queries.provider(personId) : queries.customer(personId);
        if (!person) continue;
        const list = kind === 'provider' ? providers : customers;
        const entry = list.get(person.id) ?? { kind, id: person.id, name: person.name, channels: channelList(person.channels), bookings: [] };
        entry.bookings.push(saved.title);
        list.set(person.id, entry);
      }
    }
    return { changes, providers: [...providers.values()], customers: [...customers.values()] };
  }
}

const channelList = (channels: Record<string, boolean>) =>
  Object.entries(channels)
    .filter(([, on]) => on)
    .map(([name]) => name);

/** An in-process client over a BackendApi, validating like a transport does (tests, tools). */
export function directClient(api: BackendApi): BackendClient {
  return {
    async request(name, input) {
      const checked = validateRequest(name, input);
      if (!checked.ok) return checked as never;
      return (await api.handle(checked.value.name, checked.value.input)) as never;
    },
    on(event, listener) {
      return api.subscribe((e, payload) => {
        if (e === event) listener(payload as never);
      });
    },
  };
}
