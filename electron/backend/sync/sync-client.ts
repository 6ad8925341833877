import { clearDemoMark, readDemoMark } from '../store/demo-mark';
import { dirname, join } from 'node:path';
import * as Y from 'yjs';
import { z } from 'zod';
import { fail, ok, type Result } from '../../../core/index';
import type { LinkResult, PresencePeer, SignInResult, SyncStatus, SyncUser } from '../../../core/sync/client-status';
import { roomName } from '../../../core/sync/rooms';
import { DOC_NAMES, type DocName } from '../store/doc-log';
import type { LocalStore } from '../store/local-store';
import { actorOfLinkedUser, type SyncLinkSettings } from '../store/sync-link';
import { historyInsertsDuring } from './history-inserts';
import { lostWriteMarksDuring } from './lost-write-marks';
import { rosterLostWriteMarksDuring } from './roster-lost-write-marks';
import type { RosterRecordKind } from '../../../core/doc/roster-lost-writes';
import { fetchOrgSnapshot, isOrgEmpty } from './org-snapshot';
import { RoomConnection } from './room-connection';
import { login, logout, normaliseServerUrl, type LoginResponse } from './server-api';
import type { TokenVault } from './token-vault';

export interface SyncClientOptions {
  store: LocalStore;
  vault: TokenVault;
  /** Where the backup of a replaced workspace goes; default: next to the workspace file. */
  backupDir?: string;
  /** Longest wait between reconnect attempts (y-websocket backs off exponentially up to this). */
  maxBackoffMs?: number;
  /** How long sign-in and link wait for the organization's documents. */
  snapshotTimeoutMs?: number;
  /** Tests and the bench only: runs inside the store write of each incoming sync message, before it applies. */
  beforeApply?: (doc: DocName, kind: 'step2' | 'update') => void;
  /**
   * Told right before and after a reconnect's handshake applies to the schedule document: seconds of work
   * for a day's changes from others, during which this thread answers nothing (the host's router then
   * answers what the read tables can: ../backend-entry-remote.ts).
   */
  onLongApply?: (applying: boolean) => void;
}

interface SyncClientEvents {
  status: SyncStatus;
  presence: PresencePeer[];
  /** Booking ids whose offline-change markers were added. */
  offlineChanges: string[];
  /** Roster records that got lost-write marks (`roster-lost-write-marks.ts`). */
  rosterLostWrites: Array<{ kind: RosterRecordKind; id: string }>;
}

/** A successful sign-in waiting for the user's upload/replace decision. */
interface PendingLink {
  httpUrl: string;
  syncUrl: string;
  token: string;
  orgId: string;
  user: SyncUser;
}

/** Awareness state each console publishes; others' states are checked against it (they are input). */
const presenceState = z.object({
  user: z.object({ id: z.string().max(100), name: z.string().max(200), role: z.string().max(20) }),
  openJobId: z.string().max(100).nullable().optional(),
  color: z.string().max(20).nullable().optional(),
});

const PRESENCE_COLORS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#4d7c0f'];

/**
 * The desktop's sync client (docs/design.md §7; docs/architecture.md "Sync client"): signs in to a Crewline
 * server, links the workspace to the organization (upload into an empty one, or replace the workspace
 * with a backup kept), then keeps both documents in sync through two y-websocket rooms that run on the
 * store's own documents. Incoming changes are store writes with origin 'remote' (so the board's
 * `schedule:changed` refresh follows), local actions are counted until the server acks them, and the
 * schedule room's awareness carries presence.
 */
export class SyncClient {
  private readonly store: LocalStore;
  private readonly vault: TokenVault;
  private rooms: Record<DocName, RoomConnection> | null = null;
  private token: string | null = null;
  private pendingLink: PendingLink | null = null;
  private error: SyncStatus['error'] = null;
  private lastSyncedAt: string | null = null;
  private openJobId: string | null = null;
  private lastStatus = '';
  private busy = false;
  private stopped = false;
  private readonly listeners: { [E in keyof SyncClientEvents]: Set<(payload: SyncClientEvents[E]) => void> } = {
    status: new Set(),
    presence: new Set(),
    offlineChanges: new Set(),
    rosterLostWrites: new Set(),
  };
  private readonly unsubscribeStore: () => void;
  /** The store's clock: link and backup stamps read the same "now" as everything else on this desktop. */
  private readonly now = () => new Date(this.store.clock());

  constructor(private readonly options: SyncClientOptions) {
    this.store = options.store;
    this.vault = options.vault;
    const link = this.store.syncLink.get();
    // Edits made while signed out or offline are still this person's: history must name them.
    if (link) this.store.setActor(actorOfLinkedUser(link.user));
    // Every write may change the pending count (local actions add, nothing else removes).
    this.unsubscribeStore = this.store.onChange(() => this.refresh());
  }

  /** Resumes syncing when the workspace is linked and a token is kept; otherwise stays signed out. */
  async start(): Promise<void> {
    this.stopped = false;
    if (this.rooms) return;
    const link = this.store.syncLink.get();
    const token = link ? await this.vault.load() : null;
    if (link && token && !this.stopped && !this.rooms) this.connect(link, token);
    this.refresh();
  }

  /** Leaves the rooms (others see this console go); the workspace, link and token stay for next time. */
  stop(): void {
    this.stopped = true;
    this.closeRooms();
    this.refresh();
  }

  /** `stop`, and stop listening to the store (before closing it). */
  close(): void {
    this.stop();
    this.unsubscribeStore();
    for (const set of Object.values(this.listeners)) set.clear();
  }

  on<E extends keyof SyncClientEvents>(event: E, listener: (payload: SyncClientEvents[E]) => void): () => void {
    const set = this.listeners[event] as Set<(payload: SyncClientEvents[E]) => void>;
    set.add(listener);
    return () => set.delete(listener);
  }

  status(): SyncStatus {
    const link = this.store.syncLink.get();
    const shown = this.pendingLink ?? link;
    return {
      state: this.state(),
      pending: link ? this.store.pendingActions.count() : 0,
      linked: link !== null,
      serverUrl: this.pendingLink?.httpUrl ?? link?.serverUrl ?? null,
      orgId: shown?.orgId ?? null,
      user: shown?.user ?? null,
      error: this.error,
      lastSyncedAt: this.lastSyncedAt,
    };
  }

  private state(): SyncStatus['state'] {
    if (this.error) return 'error';
    if (!this.rooms) return 'signed-out';
    const rooms = Object.values(this.rooms);
    if (rooms.every((r) => r.synced) && this.store.pendingActions.count() === 0) return 'synced';
    // The server is reachable as soon as one room is: the other is on its way.
    if (rooms.some((r) => r.connected)) return 'syncing';
    return rooms.some((r) => r.failedAttempts > 0) ? 'offline' : 'connecting';
  }

  /**
   * Signs in. When the workspace is already linked to the user's organization, syncing resumes at once
   * (`needsLink: false`). Otherwise nothing local changes yet: the answer says whether the organization
   * on the server is empty, and `link` does what the user then chooses.
   */
  async signIn(input: { serverUrl: string; email: string; password: string }): Promise<Result<SignInResult>> {
    return this.signInWith(input.serverUrl, (httpUrl) => login(httpUrl, input.email.trim(), input.password), input.email.trim());
  }

  /**
   * `signIn` with another way to get the server's `{token, user}` answer — an invite or setup code
   * redeemed (`sync:redeemCode`, electron/backend/api/sync-api.ts): everything after it is the same.
   */
  async signInWith(serverUrl: string, authenticate: (httpUrl: string) => Promise<Result<LoginResponse>>, email = ''): Promise<Result<SignInResult>> {
    return this.exclusive<SignInResult>(async () => {
      const urls = normaliseServerUrl(serverUrl);
      if (!urls.ok) return urls;
      const answer = await authenticate(urls.value.httpUrl);
      if (!answer.ok) return answer;
      const { token, user: remote } = answer.value;
      if (remote.role === 'technician') {
        return fail('forbidden', 'Technicians use the field page on their phone; the console needs an admin, dispatcher or viewer account');
      }
      const user: SyncUser = { id: remote.id, name: remote.name, email: remote.email ?? email, role: remote.role };
      const base = { orgId: remote.orgId, user, localEmpty: isOrgEmpty(this.store.docs), stagedCount: this.store.drafts.count() };
      const link = this.store.syncLink.get();
      if (link && link.orgId === remote.orgId) {
        const resumed: SyncLinkSettings = { ...link, serverUrl: urls.value.httpUrl, user };
        this.store.syncLink.set(resumed);
        this.pendingLink = null;
        await this.adoptToken(token, user);
        this.connect(resumed, token);
        this.refresh();
        return ok({ ...base, needsLink: false, orgEmpty: false });
      }
      const snapshot = await fetchOrgSnapshot({ syncUrl: urls.value.syncUrl, token, orgId: remote.orgId, timeoutMs: this.options.snapshotTimeoutMs });
      if (!snapshot.ok) return snapshot;
      this.pendingLink = { ...urls.value, token, orgId: remote.orgId, user };
      this.refresh();
      return ok({ ...base, needsLink: true, orgEmpty: snapshot.value.empty });
    });
  }

  /**
   * After a sign-in that needs it: `upload` merges this workspace into the (still) empty organization;
   * `replace` backs up the workspace file, then makes the workspace the organization's (staged board
   * edits are discarded with it, and counted in the answer).
   */
  async link({ mode, confirmDemo = false }: { mode: 'upload' | 'replace'; confirmDemo?: boolean }): Promise<Result<LinkResult>> {
    return this.exclusive<LinkResult>(async () => {
      const pending = this.pendingLink;
      if (!pending) return fail('conflict', 'Sign in first: there is no organization waiting to be linked');
      if (mode === 'upload' && pending.user.role === 'viewer') {
        return fail('forbidden', 'A viewer cannot upload a workspace: the server ignores a viewer’s changes');
      }
      const demo = readDemoMark(this.store.db);
      if (mode === 'upload' && demo && !confirmDemo) {
        return fail(
          'conflict',
          `This workspace holds the demo company “${demo.name}”: uploading it puts demo data into your organization. Start your company first, or confirm that you want the demo there.`,
          { details: { demo: demo.name } },
        );
      }
      const snapshot = await fetchOrgSnapshot({ syncUrl: pending.syncUrl, token: pending.token, orgId: pending.orgId, timeoutMs: this.options.snapshotTimeoutMs });
      if (!snapshot.ok) return snapshot;
      const link: SyncLinkSettings = { serverUrl: pending.httpUrl, orgId: pending.orgId, user: pending.user, linkedAt: this.now().toISOString() };
      let result: LinkResult;
      if (mode === 'upload') {
        if (!snapshot.value.empty) {
          return fail('conflict', 'Someone has put data into this organization since you signed in: replace this workspace with it instead');
        }
        this.closeRooms();
        this.store.db.transaction(() => {
          this.store.pendingActions.clear();
          this.store.offlineChanges.clear();
          this.store.syncLink.set(link);
          // The upload is one action: confirmed once the server's state vector covers all of this one.
          this.store.pendingActions.record(
            DOC_NAMES.flatMap((doc) =>
              [...Y.decodeStateVector(Y.encodeStateVector(this.store.docs[doc]))].map(([clientId, clock]) => ({ doc, clientId, clock })),
            ),
          );
        })();
        result = { mode, backupPath: null, discardedDrafts: 0 };
      } else {
        const backupPath = join(this.options.backupDir ?? dirname(this.store.path), backupFileName(this.now()));
        this.store.backupTo(backupPath);
        const discardedDrafts = this.store.drafts.count();
        this.closeRooms();
        this.store.replaceDocuments(snapshot.value.states, link);
        clearDemoMark(this.store.db);
        result = { mode, backupPath, discardedDrafts };
      }
      this.pendingLink = null;
      await this.adoptToken(pending.token, pending.user);
      this.connect(link, pending.token);
      this.refresh();
      return ok(result);
    });
  }

  /** Stops syncing and forgets the token (revoking it on the server if it can be reached). */
  async signOut(): Promise<Result<{ signedOut: true }>> {
    const token = this.token;
    const link = this.store.syncLink.get();
    this.closeRooms();
    this.token = null;
    this.pendingLink = null;
    this.error = null;
    await this.vault.clear();
    this.refresh();
    if (token && link) await logout(link.serverUrl, token);
    return ok({ signedOut: true });
  }

  /** Which job this console has open, for the others' presence lists. */
  setPresence(openJobId: string | null): void {
    this.openJobId = openJobId;
    if (this.rooms) for (const room of Object.values(this.rooms)) room.awareness.setLocalStateField('openJobId', openJobId);
  }

  /**
   * The server and bearer token of the current sign-in, for the Team screen's admin requests
   * (electron/backend/api/team-api.ts); null while signed out or stopped. Kept in this process only.
   */
  serverSession(): { serverUrl: string; token: string; user: SyncUser } | null {
    const link = this.store.syncLink.get();
    if (!this.token || !link) return null;
    return { serverUrl: link.serverUrl, token: this.token, user: link.user };
  }

  /** The other consoles connected to the organization now (this one excluded). */
  presence(): PresencePeer[] {
    const awareness = this.rooms?.schedule.awareness;
    if (!awareness || !this.rooms?.schedule.connected) return [];
    const peers: PresencePeer[] = [];
    for (const [clientId, raw] of awareness.getStates()) {
      if (clientId === awareness.clientID) continue;
      const state = presenceState.safeParse(raw);
      if (!state.success) continue;
      const { user, openJobId, color } = state.data;
      peers.push({ clientId, userId: user.id, name: user.name, role: user.role, openJobId: openJobId ?? null, color: color ?? null });
    }
    return peers.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId);
  }

  private async adoptToken(token: string, user: SyncUser): Promise<void> {
    await this.vault.save(token);
    this.store.setActor(actorOfLinkedUser(user));
    this.error = null;
  }

  private connect(link: SyncLinkSettings, token: string): void {
    this.closeRooms();
    const urls = normaliseServerUrl(link.serverUrl);
    if (!urls.ok) {
      this.error = { code: 'auth', message: `The saved server address is not valid (${link.serverUrl}): sign in again` };
      return;
    }
    this.token = token;
    this.error = null;
    // Sync needs the whole schedule document in memory.
    this.store.loadDocuments();
    const docs = this.store.docs;
    const make = (doc: DocName) =>
      new RoomConnection({
        syncUrl: urls.value.syncUrl,
        room: roomName(link.orgId, doc),
        token,
        doc: docs[doc],
        apply: (kind, apply) => this.applyIncoming(doc, kind, apply),
        onAck: (serverState) => {
          this.store.pendingActions.confirm(doc, serverState);
          this.refresh();
        },
        onChange: () => this.refresh(),
        maxBackoffMs: this.options.maxBackoffMs,
      });
    const rooms = { roster: make('roster'), schedule: make('schedule') };
    this.rooms = rooms;
    const local = {
      user: { id: link.user.id, name: link.user.name, role: link.user.role },
      openJobId: this.openJobId,
      color: colorFor(link.user.id),
    };
    // Both rooms carry the state (the server echoes its renewals, which keeps y-websocket's 30 s
    // watchdog quiet); the presence list is read from the schedule room only.
    for (const room of Object.values(rooms)) room.awareness.setLocalState(local);
    rooms.schedule.awareness.on('change', () => {
      if (this.rooms === rooms) this.emit('presence', this.presence());
    });
    for (const room of Object.values(rooms)) room.connect();
  }

  /**
   * One incoming sync message as one store write. A reconnect's handshake (step 2) brings what others
   * did while this desktop was away: the history entries it adds become offline-change markers, in the
   * same write. Any message (live or handshake) that brings the winner over a write of ours marks that
   * write lost (`lost-write-marks.ts`).
   */
  private applyIncoming(doc: DocName, kind: 'step2' | 'update', apply: () => void): void {
    const long = kind === 'step2' && doc === 'schedule';
    if (long) this.options.onLongApply?.(true);
    try {
      this.applyMessage(doc, kind, apply);
    } finally {
      if (long) this.options.onLongApply?.(false);
    }
  }

  private applyMessage(doc: DocName, kind: 'step2' | 'update', apply: () => void): void {
    let marked: string[] = [];
    const rosterMarked: Array<{ kind: RosterRecordKind; id: string }> = [];
    this.store.receive(doc, (target) => {
      this.options.beforeApply?.(doc, kind);
      if (doc === 'roster') {
        for (const r of rosterLostWriteMarksDuring(target, this.store.replica.id, apply)) {
          this.store.rosterLostWrites.add(r.kind, r.id, r.marks);
          const withdrawn = this.store.rosterLostWrites.withdraw(r.kind, r.id, r.withdrawn);
          if (r.marks.length > 0 || withdrawn > 0) rosterMarked.push({ kind: r.kind, id: r.id });
        }
        return;
      }
      if (doc !== 'schedule') return apply();
      // Lost writes of ours are marked whether the winner came live or in a handshake.
      const lost = lostWriteMarksDuring(target, this.store.replica.id, () => {
        if (kind !== 'step2') return apply();
        const inserts = historyInsertsDuring(target, apply);
        for (const [bookingId, entries] of inserts) this.store.offlineChanges.add(bookingId, entries);
        marked = [...inserts.keys()];
      });
      for (const [bookingId, entries] of lost.marks) this.store.offlineChanges.add(bookingId, entries);
      const withdrawnFrom = [...lost.withdrawn].filter(([bookingId, ids]) => this.store.offlineChanges.withdraw(bookingId, ids) > 0).map(([bookingId]) => bookingId);
      marked = [...new Set([...marked, ...lost.marks.keys(), ...withdrawnFrom])];
    });
    if (marked.length > 0) this.emit('offlineChanges', marked);
    if (rosterMarked.length > 0) this.emit('rosterLostWrites', rosterMarked);
  }

  private closeRooms(): void {
    const rooms = this.rooms;
    this.rooms = null;
    this.token = null;
    if (!rooms) return;
    for (const room of Object.values(rooms)) room.destroy();
    this.emit('presence', []);
  }

  /** Recomputes the status; stops for good on an auth refusal or a store failure; emits on change. */
  private refresh(): void {
    const rooms = this.rooms ? Object.values(this.rooms) : [];
    const refused = rooms.find((r) => r.refusedWith !== null);
    const failed = rooms.find((r) => r.failure !== null);
    if ((refused || failed) && !this.error) {
      const failure = failed?.failure;
      this.error = refused
        ? { code: 'auth', message: `The server no longer accepts this sign-in (${refused.refusedWith}): sign in again` }
        : failure!.code === 'store'
          ? { code: 'store', message: `The workspace could not save a change from the server (${failure!.message}): reopen it` }
          : { code: 'server', message: failure!.message };
      // Not from inside the provider's close handling that called us: leave the rooms a moment later.
      const stale = this.rooms;
      queueMicrotask(() => {
        if (this.rooms === stale) this.closeRooms();
      });
      // A refused token is useless: forget it, so the next start does not try it again.
      if (refused) void this.vault.clear();
    }
    let status = this.status();
    const key = JSON.stringify({ ...status, lastSyncedAt: null });
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    if (status.state === 'synced') {
      this.lastSyncedAt = this.now().toISOString();
      status = { ...status, lastSyncedAt: this.lastSyncedAt };
    }
    this.emit('status', status);
  }

  private emit<E extends keyof SyncClientEvents>(event: E, payload: SyncClientEvents[E]): void {
    for (const listener of this.listeners[event]) (listener as (p: SyncClientEvents[E]) => void)(payload);
  }

  /** Sign-in and link talk to the server for a while; a second one meanwhile would race the first. */
  private async exclusive<T>(fn: () => Promise<Result<T>>): Promise<Result<T>> {
    if (this.busy) return fail('conflict', 'A sign-in is already in progress');
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }
}


function colorFor(id: string): string {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PRESENCE_COLORS[hash % PRESENCE_COLORS.length]!;
}

/** `workspace-backup-2026-11-23T14-05-09-123Z.sqlite`: sorts by time, valid on every file system. */
export function backupFileName(at: Date): string {
  return `workspace-backup-${at.toISOString().replace(/[:.]/g, '-')}.sqlite`;
}
