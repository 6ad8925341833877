/**
 * Backups of the desktop workspace (issue 18): file names, the automatic schedule and its retention, and
 * the shapes the API answers. No I/O here; electron/backend/store/workspace-backup.ts does the files.
 */

/**
 * - `manual`: "Back up now" / File → Back up workspace… into the backups folder.
 * - `automatic`: the daily backup; only these are pruned to the retention count.
 * - `pre-restore`: the workspace as it was just before a restore replaced it.
 * - `before-sync`: the workspace as it was before a sync sign-in replaced it with the organization's
 *   (`workspace-backup-<time>.sqlite` next to the workspace file, written by the sync client).
 */
export const BACKUP_KINDS = ['manual', 'automatic', 'pre-restore', 'before-sync'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

const PREFIX: Record<BackupKind, string> = {
  manual: 'backup-',
  automatic: 'auto-',
  'pre-restore': 'pre-restore-',
  'before-sync': 'workspace-backup-',
};

/** How many automatic backups are kept (a desktop-local setting, in the workspace's meta table). */
export const BACKUP_KEEP = { min: 1, max: 100, default: 7 } as const;
/** An automatic backup is taken once this long has passed since the last one. */
export const AUTOMATIC_BACKUP_EVERY_MS = 24 * 3_600_000;

export interface BackupEntry {
  /** The file's name: what `backup:restore {name}` takes. */
  name: string;
  kind: BackupKind;
  /** When it was taken (ISO instant, from the name). */
  at: string;
  /** Bytes. */
  size: number;
}

export interface BackupSettings {
  /** Automatic backups kept; older ones are deleted (never manual or pre-restore ones). */
  keep: number;
  lastAutomaticAt: string | null;
  /** The folder backups are written to. */
  dir: string;
}

/** Why a file cannot be restored. */
export const RESTORE_REFUSALS = ['missing', 'not-sqlite', 'damaged', 'not-crewline', 'newer', 'unreadable-documents', 'empty'] as const;
export type RestoreRefusal = (typeof RESTORE_REFUSALS)[number];

/** What a checked backup holds: shown before the user confirms a restore. */
export interface BackupSummary {
  organization: string;
  providers: number;
  bookings: number;
  archivedBookings: number;
  schemaVersion: number;
  /** The sync server and organization the workspace was linked to when backed up, if any. */
  linkedTo: { serverUrl: string; orgId: string } | null;
}

/**
 * What happens to the sync link on restore (docs/architecture.md, "Backup and restore"):
 * - `not-linked`: the workspace was not linked and stays so.
 * - `kept`: the backup was made while linked to the same server and organization: syncing resumes, and
 *   the organization's later changes merge back in (the documents are one history).
 * - `unlinked`: the backup is of another organization, of another server or of no link at all: the restored
 *   workspace is not linked, so it never syncs into the current link's organization unasked. Signing in
 *   again offers upload (into an empty organization) or replace, as for any unlinked workspace.
 */
export type RestoreSync = 'not-linked' | 'kept' | 'unlinked';

export interface RestoreResult {
  restoredFrom: string;
  summary: BackupSummary;
  /** The copy of the workspace taken just before it was replaced. */
  preRestoreBackup: BackupEntry;
  /** Staged board edits of the replaced workspace (kept in the pre-restore copy, not in the restored one). */
  discardedDrafts: number;
  sync: RestoreSync;
}

/** `2026-11-24T14:00:00.000Z` -> `2026-11-24T14-00-00-000Z`: sorts by time, valid on every file system. */
const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[:.]/g, '-');
const STAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z(?:-(\d+))?\.sqlite$/;

/** A backup's file name; `n` > 1 tells apart two taken in the same millisecond. */
export function backupFileName(kind: BackupKind, atMs: number, n = 1): string {
  return `${PREFIX[kind]}${stamp(atMs)}${n > 1 ? `-${n}` : ''}.sqlite`;
}

/** The kind and time of a backup file, or null for any other name. */
export function parseBackupFileName(name: string): { kind: BackupKind; atMs: number } | null {
  // Longest prefix first: `workspace-backup-` would otherwise never be reached after `backup-`.
  const kinds = [...BACKUP_KINDS].sort((a, b) => PREFIX[b].length - PREFIX[a].length);
  for (const kind of kinds) {
    if (!name.startsWith(PREFIX[kind])) continue;
    const m = STAMP.exec(name.slice(PREFIX[kind].length));
    if (!m) return null;
    const atMs = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
    return Number.isNaN(atMs) ? null : { kind, atMs };
  }
  return null;
}

/**
 * An automatic backup is due when none was taken, a day has passed since the last, or the clock now reads
 * before the last one (it was set back: waiting until it catches up could mean weeks without a backup).
 */
export function automaticBackupDue(lastMs: number | null, nowMs: number): boolean {
  return lastMs === null || nowMs - lastMs >= AUTOMATIC_BACKUP_EVERY_MS || nowMs < lastMs;
}

/** The automatic backups beyond the newest `keep`, to delete; every other kind is kept. */
export function automaticBackupsToPrune(entries: readonly Pick<BackupEntry, 'name' | 'kind' | 'at'>[], keep: number): string[] {
  return entries
    .filter((e) => e.kind === 'automatic')
    .sort((a, b) => b.at.localeCompare(a.at) || b.name.localeCompare(a.name))
    .slice(Math.max(keep, BACKUP_KEEP.min))
    .map((e) => e.name);
}

/** A number of automatic backups to keep, or the reason it is not one. */
export function checkKeep(value: number): string | null {
  if (!Number.isInteger(value)) return 'Must be a whole number';
  if (value < BACKUP_KEEP.min) return `At least ${BACKUP_KEEP.min}`;
  if (value > BACKUP_KEEP.max) return `At most ${BACKUP_KEEP.max}`;
  return null;
}
