/**
 * One loaded room: its Y.Doc, its awareness, and the connections in it.
 *
 * Every change to the document, from a client or from the server's own commands (the archiver), goes
 * through `publish`: the update is encoded into a message once, the same bytes are sent to every other
 * connection, and the update is queued in this event-loop turn's SQLite batch. Acks go out after that
 * batch commits.
 *
 * A client update is applied while its emitted updates are held back: if Yjs throws half-way (it reads
 * the delete set after integrating structs), the update linked an item outside the parent it claims
 * (`item-links.ts`), or it left a record its schema refuses or made a change its writer's role may not
 * (`core/doc/update-rules.ts`), nothing was broadcast or persisted, and the room's document is reloaded
 * from disk, so the failed update leaves no trace.
 */
import { errorFields, silentLog, type Log } from '../log';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { isRosterInitialized } from '../../../core/doc/roster';
import { docSchemaVersion, isNewerFormat, markSchemaVersion } from '../../../core/doc/schema-version';
import { refusalOf, type Refusal } from '../../../core/doc/update-rules';
import { CLAMPS_MAP, clampsFor, stampsWritten } from '../../../core/doc/clamps';
import type { Clock } from '../../../core/clock';
import type { RoomName } from '../../../core/sync/rooms';
import { CLOSE_UPDATE_REFUSED, updateRefusedReason } from '../../../core/sync/update-refused';
import { CLOSE_INVALID, CLOSE_POLICY, type Connection } from './connection';
import { clientsOf, findMisplacedItem } from './item-links';
import type { SyncLimits } from './limits';
import type { RejectReason, SyncMetrics } from './metrics';
import { encodeAwarenessMessage, encodeSyncStep1, encodeUpdateMessage } from './protocol';
import type { Fanout } from './fanout';
import type { RoomLogStore } from './room-log';

/** Transaction origin of the update that fills a freshly loaded document (never re-persisted). */
export const LOAD_ORIGIN = 'load';
/** Origin of what another node published (sync/fanout.ts): stored by that node, so only forwarded here. */
export const REMOTE_ORIGIN = 'remote';

/** Why a client's update was not kept: the connection is closed with `code` and `message`. */
export interface UpdateRefusal {
  code: number;
  reason: RejectReason;
  message: string;
}

const unapplicable = (message: string): UpdateRefusal => ({ code: CLOSE_INVALID, reason: 'unapplicable', message });

export interface RoomHost {
  readonly store: RoomLogStore;
  /** Other nodes, when the server runs on many (`--redis-url`). */
  readonly fanout: Fanout | null;
  readonly metrics: SyncMetrics;
  readonly limits: SyncLimits;
  /** Called when the room's last connection leaves, and when its log wants compacting. */
  roomIdle(room: Room): void;
  compactSoon(room: Room): void;
  /** Whether the room's log has grown enough to be folded into its snapshot. */
  compactionDue(room: Room): boolean;
  /** The room's document can no longer be trusted and not be reloaded: close its connections, forget it. */
  discard(room: Room, why: unknown): void;
  /** Called for every change the room publishes (the notification worker learns of changes here). */
  published(room: Room): void;
  readonly log: Log;
  /** The server's clock: stamps far ahead of it are clamped (`core/doc/clamps.ts`). */
  readonly clock: Clock;
  /** The document format this server knows (`core/doc/schema-version.ts`; `DOC_SCHEMA_VERSION` but in tests). */
  readonly knownDocFormat: number;
}

/**
 * A room's document from its snapshot and log, merged into one update and applied once (far cheaper than
 * row by row). Should merging ever fail, the parts are applied one by one instead: Yjs' merge and apply
 * read updates with different code.
 */
export function loadDoc(store: RoomLogStore, name: string, log: Log = silentLog): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  const parts = store.load(name);
  if (parts.length === 0) return doc;
  let merged: Uint8Array | null = null;
  try {
    merged = parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
  } catch (error) {
    log.error({ event: 'room_merge_failed', room: name, ...errorFields(error) }, 'merging the stored updates failed; applying them one by one');
  }
  if (merged) Y.applyUpdate(doc, merged, LOAD_ORIGIN);
  else doc.transact(() => parts.forEach((part) => Y.applyUpdate(doc, part, LOAD_ORIGIN)), LOAD_ORIGIN);
  return doc;
}

export class Room {
  doc: Y.Doc;
  readonly awareness: Awareness;
  /** Each connection with the awareness client ids it speaks for. */
  readonly conns = new Map<Connection, Set<number>>();
  /** When the last update was published (compaction waits for a quiet room). */
  lastUpdateAt = 0;
  compactScheduled = false;
  idleTimer: NodeJS.Timeout | null = null;
  /** While a client update is being applied: the updates Yjs emitted for it, held back. */
  private held: Uint8Array[] | null = null;
  private destroyed = false;

  constructor(
    readonly name: string,
    readonly id: RoomName,
    private readonly host: RoomHost,
  ) {
    this.doc = loadDoc(host.store, name, host.log);
    this.doc.on('update', this.onDocUpdate);
    if (id.doc === 'roster') this.raiseFormatMark();
    this.awareness = new Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  /**
   * An organization set up by an older server is marked with this server's document format when its roster
   * loads (`core/doc/schema-version.ts`): desktops older than the format then go read-only instead of
   * writing the old layout, which this server's rules refuse.
   */
  private raiseFormatMark(): void {
    const known = this.host.knownDocFormat;
    if (!isRosterInitialized(this.doc) || !isNewerFormat(known, docSchemaVersion(this.doc))) return;
    this.doc.transact(() => markSchemaVersion(this.doc, known), 'server');
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  attach(conn: Connection): void {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    this.conns.set(conn, new Set());
    conn.send(encodeSyncStep1(this.doc));
    const states = this.awareness.getStates();
    if (states.size > 0) conn.send(encodeAwarenessMessage(this.awareness, [...states.keys()]));
  }

  detach(conn: Connection): void {
    const controlled = this.conns.get(conn);
    if (!controlled) return;
    this.conns.delete(conn);
    if (controlled.size > 0) removeAwarenessStates(this.awareness, [...controlled], null);
    if (this.conns.size === 0) this.host.roomIdle(this);
  }

  /**
   * Applies a client's (already structurally checked) update. Returns null, or why it was refused; on
   * refusal the document is as before.
   */
  applyClientUpdate(conn: Connection, update: Uint8Array): UpdateRefusal | null {
    const held: Uint8Array[] = [];
    const { pendingStructs, pendingDs } = this.doc.store;
    let failure: unknown = null;
    let refusal: Refusal | null = null;
    let clients: number[];
    try {
      clients = clientsOf(update);
    } catch {
      return unapplicable('Update could not be applied');
    }
    const { role } = conn.principal;
    // Read before applying: whether the organization had settings decides if a non-admin may write them.
    const writer = {
      role,
      rosterInitialized: role !== 'admin' && this.id.doc === 'roster' && isRosterInitialized(this.doc),
      knownDocFormat: this.host.knownDocFormat,
    };
    this.held = held;
    const stamps: string[] = [];
    const checkTransaction = (transaction: Y.Transaction) => {
      const misplaced = findMisplacedItem(transaction, clients);
      if (misplaced) failure ??= new Error(`Item ${misplaced.id.client}:${misplaced.id.clock} is linked outside its parent`);
      else if (failure === null) refusal ??= refusalOf(this.id.doc, transaction, writer);
      if (failure === null && refusal === null) stamps.push(...stampsWritten(transaction));
    };
    this.doc.on('afterTransaction', checkTransaction);
    try {
      Y.applyUpdate(this.doc, update, conn);
    } catch (error) {
      failure = error;
    } finally {
      this.held = null;
      this.doc.off('afterTransaction', checkTransaction);
    }
    if (failure !== null || refusal !== null) {
      // Most bad updates throw while Yjs reads them, before anything is integrated: no reload needed.
      const touched =
        held.length > 0 || this.doc.store.pendingStructs !== pendingStructs || this.doc.store.pendingDs !== pendingDs;
      if (touched) this.reload();
      return failure !== null ? unapplicable('Update could not be applied') : this.refused(conn, refusal!);
    }
    for (const emitted of held) this.publish(emitted, conn);
    this.clampStampsAhead(stamps);
    if (this.pendingBytes() > this.host.limits.maxPendingBytes) {
      // History the update depends on never arrived; drop what waits for it rather than hold it forever.
      // The client sends it again in its next sync handshake.
      this.doc.store.pendingStructs = null;
      this.doc.store.pendingDs = null;
      return { code: CLOSE_POLICY, reason: 'unapplicable', message: 'Too much data waiting for missing history' };
    }
    return null;
  }

  /**
   * The clock-skew guard (`core/doc/clamps.ts`): stamps of the update set well ahead of this server's clock
   * are recorded as clamped to it, in the server's own transaction, published to every connection.
   */
  private clampStampsAhead(stamps: readonly string[]): void {
    if (stamps.length === 0) return;
    const clamps = clampsFor(stamps, this.host.clock());
    if (clamps.size === 0) return;
    const map = this.doc.getMap<number>(CLAMPS_MAP);
    this.doc.transact(() => {
      for (const [stamp, wall] of clamps) if (!map.has(stamp)) map.set(stamp, wall);
    }, 'server');
    this.host.log.info({ event: 'stamps_clamped', room: this.name, count: clamps.size }, 'clamped stamps set ahead of the server clock');
  }

  /** One log line per refused update: who tried what, so an admin can follow it up. */
  private refused(conn: Connection, refusal: Refusal): UpdateRefusal {
    const { userId, role } = conn.principal;
    this.host.log.warn({ event: 'update_refused', room: this.name, userId, role, rule: refusal.rule, reason: refusal.message }, 'refused an update');
    return {
      code: CLOSE_UPDATE_REFUSED,
      reason: refusal.rule === 'forbidden' ? 'forbidden' : 'invalid_record',
      message: updateRefusedReason(refusal.message),
    };
  }

  private pendingBytes(): number {
    const store = this.doc.store;
    return (store.pendingStructs?.update.byteLength ?? 0) + (store.pendingDs?.byteLength ?? 0);
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === LOAD_ORIGIN) return;
    if (this.held) this.held.push(update);
    else this.publish(update, origin);
  };

  private publish(update: Uint8Array, origin: unknown): void {
    const message = encodeUpdateMessage(update);
    const buffer = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
    for (const conn of this.conns.keys()) {
      if (conn !== origin) conn.send(buffer);
    }
    const host = this.host;
    if (origin === REMOTE_ORIGIN) {
      // Stored by the node that took it; only this node's clients and listeners need it.
      this.lastUpdateAt = Date.now();
      host.published(this);
      return;
    }
    host.store.append(this.name, update);
    host.fanout?.publishUpdate(this.name, update);
    host.metrics.updateApplied();
    this.lastUpdateAt = Date.now();
    if (isConnection(origin, this)) origin.ackWhenDurable();
    host.published(this);
    if (!this.compactScheduled && host.compactionDue(this)) {
      host.compactSoon(this);
    }
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (isConnection(origin, this)) {
      const controlled = this.conns.get(origin);
      if (controlled) {
        for (const id of added) controlled.add(id);
        for (const id of removed) controlled.delete(id);
      }
    }
    const changed = [...added, ...updated, ...removed];
    if (origin !== REMOTE_ORIGIN && this.host.fanout) this.host.fanout.publishAwareness(this.name, encodeAwarenessUpdate(this.awareness, changed));
    const message = encodeAwarenessMessage(this.awareness, changed);
    const buffer = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
    // The sender gets its own state back too: a stock provider reconnects after 30 s without a message.
    for (const conn of this.conns.keys()) conn.send(buffer);
  };

  /** An update another node published for this room. */
  applyRemoteUpdate(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
  }

  /** Awareness another node's clients sent. */
  applyRemoteAwareness(update: Uint8Array): void {
    applyAwarenessUpdate(this.awareness, update, REMOTE_ORIGIN);
  }

  /** Awareness client ids a connection speaks for. */
  controlledBy(conn: Connection): ReadonlySet<number> | undefined {
    return this.conns.get(conn);
  }

  /**
   * Replaces the in-memory document with the stored one (after an update failed mid-apply). Everything
   * published before is on disk or in the batch that `load` commits first. The awareness keeps the old
   * document only for its client id, so it is not destroyed with it.
   */
  private reload(): void {
    this.host.metrics.roomReloads++;
    let fresh: Y.Doc;
    try {
      fresh = loadDoc(this.host.store, this.name, this.host.log);
    } catch (error) {
      // A shared database cannot be read synchronously: the room is dropped, unsaved to nowhere (all it
      // published is stored), and its clients reconnect to a fresh load.
      this.host.discard(this, error);
      return;
    }
    this.doc.off('update', this.onDocUpdate);
    this.doc = fresh;
    this.doc.on('update', this.onDocUpdate);
  }

  /**
   * The whole state for a snapshot. The desktop encodes its snapshot from a fresh copy
   * (`garbageCollected` in doc-log.ts) because its live doc keeps deleted content for its UndoManager.
   * The server's documents run with gc on and no undo manager, so the live doc already holds only live
   * values: measured on 5,000 overwrites, the fresh copy came out byte-identical (70 KB) and 20x slower.
   */
  encodeState(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc);
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.off('update', this.onDocUpdate);
    this.doc.destroy();
  }
}

function isConnection(origin: unknown, room: Room): origin is Connection {
  return typeof origin === 'object' && origin !== null && room.conns.has(origin as Connection);
}
