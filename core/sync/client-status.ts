import type { Role } from '../model';

/**
 * What the desktop's sync client (electron/backend/sync) tells the console, through the API contract.
 *
 * - `signed-out`: no token (never signed in, or signed out); a linked workspace keeps its link and its
 *   unconfirmed actions, and resumes on the next sign-in.
 * - `connecting`: the first attempt after start or sign-in is under way.
 * - `offline`: the server cannot be reached; it keeps retrying with backoff, edits are kept locally.
 * - `syncing`: connected, and the handshake is not finished or `pending` actions are unconfirmed.
 * - `synced`: connected, handshake done, every local action confirmed by the server.
 * - `error`: syncing stopped and needs the user (`error.code` 'auth': the token was refused, sign in
 *   again; 'store': the workspace could not save a change from the server, reopen it; 'server': the
 *   server refused what this desktop sent: over its message size limit, or a change its document rules
 *   refuse).
 */
export const SYNC_STATES = ['signed-out', 'connecting', 'offline', 'syncing', 'synced', 'error'] as const;
export type SyncState = (typeof SYNC_STATES)[number];

export interface SyncUser {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export interface SyncStatus {
  state: SyncState;
  /** Local actions (commands, Saves, undos) the server has not confirmed yet: a true count, from acks. */
  pending: number;
  /** True once the workspace has been linked to an organization (uploaded to it, or replaced by it). */
  linked: boolean;
  serverUrl: string | null;
  orgId: string | null;
  user: SyncUser | null;
  error: { code: 'auth' | 'store' | 'server'; message: string } | null;
  /** When the server last confirmed everything (ISO instant), or null. */
  lastSyncedAt: string | null;
}

/** Another console connected to the same organization right now (awareness). */
export interface PresencePeer {
  /** Awareness client id: one per open console, so one person can appear twice. */
  clientId: number;
  userId: string;
  name: string;
  role: string;
  /** The job this console has open in its job panel, if any. */
  openJobId: string | null;
  color: string | null;
}

/** A history entry of a booking that arrived in a reconnect: "changed by X while you were offline". */
export interface OfflineChange {
  bookingId: string;
  entryId: string;
  by: { id: string; name: string };
  at: string;
  action: string;
  summary: string;
}

export interface SignInResult {
  orgId: string;
  user: SyncUser;
  /**
   * False when the workspace was already linked to this organization: syncing resumed, nothing to ask.
   * True: ask the user, then call `sync:link` (upload when `orgEmpty`, else replace).
   */
  needsLink: boolean;
  /** The organization on the server has no settings, providers, customers, services or bookings. */
  orgEmpty: boolean;
  /** The local workspace has nothing in it either (then replacing loses nothing worth a question). */
  localEmpty: boolean;
  /** Staged board edits that a replace would discard. */
  stagedCount: number;
}

export interface LinkResult {
  mode: 'upload' | 'replace';
  /** Replace: the copy of the old workspace file, kept next to it. */
  backupPath: string | null;
  /** Replace: staged board edits that were discarded with the old workspace. */
  discardedDrafts: number;
}
