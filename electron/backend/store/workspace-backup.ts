import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import {
  automaticBackupDue,
  automaticBackupsToPrune,
  BACKUP_KEEP,
  backupFileName,
  checkKeep,
  parseBackupFileName,
  type BackupEntry,
  type BackupKind,
  type BackupSettings,
  type BackupSummary,
  type RestoreRefusal,
  type RestoreResult,
  type RestoreSync,
} from '../../../core/backup/backups';
import { fail, fieldError, isRosterInitialized, ok, readSettings, rosterMaps, scheduleMaps, type Result } from '../../../core/index';
import { DocLog, DOC_NAMES, type DocName } from './doc-log';
import type { LocalStore } from './local-store';
import { SCHEMA_VERSION } from './schema';
import { syncLinkSchema, type SyncLinkSettings } from './sync-link';
import type { Stamp } from '../../../core/doc/hlc';
import { lastStampIn } from './workspace-replica';

/** Desktop-local backup settings live in the workspace's `meta` table, never in the synced documents. */
const META_KEEP = 'backup_keep';
const META_LAST_AUTOMATIC = 'backup_last_automatic';
/** A workspace has at least these (schema version 1 on). */
const WORKSPACE_TABLES = ['doc_updates', 'doc_snapshots', 'meta', 'archive_bookings'] as const;
const ARCHIVE_COLUMNS = 'id, title, customer_id, status, start_ms, end_ms, archived_at, data, history';
const SQLITE_HEADER = 'SQLite format 3\0';

/** What restore pauses and resumes: the desktop's SyncClient (its rooms hold the old documents). */
export interface SyncControl {
  stop(): void;
  start(): Promise<void>;
}

export interface WorkspaceBackupsOptions {
  /** Where backups go; default: `backups/` next to the workspace file. */
  dir?: string;
  sync?: SyncControl | null;
  log?: (line: string) => void;
}

/** A restore source: a listed backup by name, or any file by its full path. */
export type BackupSource = { name?: string | undefined; path?: string | undefined };

/** A checked backup: everything a restore writes, read while checking so the file is read once. */
interface Candidate {
  summary: BackupSummary;
  states: Record<DocName, Uint8Array>;
  archive: unknown[][];
  link: SyncLinkSettings | null;
  /** The backup's last stamp: the restored workspace's clock must not stamp earlier. */
  lastStamp: Stamp;
}

/**
 * Backups of the workspace file (issue 18): made with `LocalStore.backupTo` (VACUUM INTO, then checked),
 * listed, checked before a restore, restored, and taken automatically once a day with a retention count.
 * A restore that is refused changes nothing: every check runs on a private copy of the file before the
 * workspace is touched.
 */
export class WorkspaceBackups {
  readonly dir: string;
  private readonly sync: SyncControl | null;
  private readonly log: (line: string) => void;
  private timer: ReturnType<typeof setInterval> | null = null;
  private firstTimer: ReturnType<typeof setTimeout> | null = null;
  private staging = 0;

  constructor(
    private readonly store: LocalStore,
    options: WorkspaceBackupsOptions = {},
  ) {
    this.dir = resolve(options.dir ?? join(dirname(store.path), 'backups'));
    this.sync = options.sync ?? null;
    this.log = options.log ?? (() => undefined);
  }

  settings(): BackupSettings {
    const last = this.lastAutomaticMs();
    return { keep: this.keep(), lastAutomaticAt: last === null ? null : new Date(last).toISOString(), dir: this.dir };
  }

  /** Sets the retention count and prunes to it at once. */
  setKeep(keep: number): Result<BackupSettings> {
    const problem = checkKeep(keep);
    if (problem) return fieldError('keep', problem);
    this.setMeta(META_KEEP, String(keep));
    this.prune();
    return ok(this.settings());
  }

  /** Every backup of this workspace, newest first: the backups folder and the sync client's. */
  list(): BackupEntry[] {
    const entries: BackupEntry[] = [];
    const scan = (dir: string, only?: BackupKind) => {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return;
      }
      for (const name of names) {
        const parsed = parseBackupFileName(name);
        if (!parsed || (only && parsed.kind !== only) || (!only && parsed.kind === 'before-sync')) continue;
        let size: number;
        try {
          const stats = statSync(join(dir, name));
          if (!stats.isFile()) continue;
          size = stats.size;
        } catch {
          continue;
        }
        entries.push({ name, kind: parsed.kind, at: new Date(parsed.atMs).toISOString(), size });
      }
    };
    scan(this.dir);
    scan(dirname(this.store.path), 'before-sync');
    return entries.sort((a, b) => b.at.localeCompare(a.at) || b.name.localeCompare(a.name));
  }

  /** A backup into the backups folder, named for its kind and the store's clock. */
  create(kind: Exclude<BackupKind, 'before-sync'> = 'manual'): BackupEntry {
    mkdirSync(this.dir, { recursive: true });
    const at = this.store.clock();
    let n = 1;
    while (existsSync(join(this.dir, backupFileName(kind, at, n)))) n++;
    const name = backupFileName(kind, at, n);
    const path = join(this.dir, name);
    try {
      this.store.backupTo(path);
    } catch (error) {
      rmSync(path, { force: true });
      throw error;
    }
    return { name, kind, at: new Date(at).toISOString(), size: statSync(path).size };
  }

  /**
   * A backup at a path the user chose (the desktop's save dialog, which has already asked about replacing
   * an existing file): written beside it first, so a failure never leaves half a file under that name.
   */
  backUpTo(path: string): { path: string; size: number } {
    const target = resolve(path);
    if (target === resolve(this.store.path)) throw new Error('A backup cannot replace the workspace file itself');
    const partial = `${target}.partial`;
    rmSync(partial, { force: true });
    try {
      this.store.backupTo(partial);
      renameSync(partial, target);
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    }
    return { path: target, size: statSync(target).size };
  }

  /** What a restore of `source` would bring back, or why it would be refused. Reads only. */
  check(source: BackupSource): Result<BackupSummary> {
    const file = this.resolveSource(source);
    if (!file.ok) return file;
    const candidate = this.readCandidate(file.value);
    return candidate.ok ? ok(candidate.value.summary) : candidate;
  }

  /**
   * Replaces the workspace with a checked backup: the current workspace is first backed up (`pre-restore`),
   * then the documents, the archive and the link (see `RestoreSync`) are replaced in one transaction; staged
   * board edits, sync bookkeeping and undo history go with the old workspace. Any refusal changes nothing.
   */
  restore(source: BackupSource): Result<RestoreResult> {
    const file = this.resolveSource(source);
    if (!file.ok) return file;
    const read = this.readCandidate(file.value);
    if (!read.ok) return read;
    const candidate = read.value;
    const current = this.store.syncLink.get();
    const sync: RestoreSync = !current ? 'not-linked' : sameOrganization(current, candidate.link) ? 'kept' : 'unlinked';
    const preRestoreBackup = this.create('pre-restore');
    const discardedDrafts = this.store.drafts.count();
    // The sync rooms hold the old documents: they must let go before the documents are replaced.
    this.sync?.stop();
    try {
      const insert = this.store.db.prepare(`INSERT INTO archive_bookings (${ARCHIVE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      this.store.replaceDocuments(candidate.states, undefined, () => {
        for (const row of candidate.archive) insert.run(...row);
        if (sync === 'unlinked') this.store.syncLink.clear();
        // Other desktops may restore the same backup: each takes its own replica id (workspace-replica.ts).
        this.store.replica.renew(candidate.lastStamp);
      });
    } finally {
      // Resumes only where a link remains (and a token is kept); otherwise it just reports "signed out".
      this.sync?.start().catch((error: unknown) => this.log(`Could not resume syncing after the restore: ${String(error)}`));
    }
    return ok({ restoredFrom: file.value, summary: candidate.summary, preRestoreBackup, discardedDrafts, sync });
  }

  /** Takes the daily automatic backup if one is due (by the store's clock) and prunes to the count. */
  runAutomaticIfDue(): BackupEntry | null {
    const now = this.store.clock();
    if (!automaticBackupDue(this.lastAutomaticMs(), now)) return null;
    // An empty workspace (first run) has nothing worth keeping, and a restore would refuse it anyway.
    if (!isRosterInitialized(this.store.docs.roster)) return null;
    const entry = this.create('automatic');
    this.setMeta(META_LAST_AUTOMATIC, String(now));
    this.prune();
    return entry;
  }

  /**
   * Checks whether the daily backup is due `firstAfterMs` after the host opened the workspace, then every
   * `everyMs`. The first check waits a minute by default: a backup of a large workspace holds the event
   * loop for most of a second (VACUUM INTO and its check), which must not land on the console's first paint.
   * The timers do not keep Node up.
   */
  startAutomatic({ everyMs = 15 * 60_000, firstAfterMs = 60_000 }: { everyMs?: number; firstAfterMs?: number } = {}): void {
    this.stopAutomatic();
    const run = () => {
      try {
        const entry = this.runAutomaticIfDue();
        if (entry) this.log(`Automatic backup: ${join(this.dir, entry.name)}`);
      } catch (error) {
        this.log(`The automatic backup failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    this.firstTimer = setTimeout(() => {
      this.firstTimer = null;
      run();
      this.timer = setInterval(run, everyMs);
      this.timer.unref?.();
    }, firstAfterMs);
    this.firstTimer.unref?.();
  }

  stopAutomatic(): void {
    if (this.firstTimer) clearTimeout(this.firstTimer);
    if (this.timer) clearInterval(this.timer);
    this.firstTimer = null;
    this.timer = null;
  }

  private prune(): void {
    for (const name of automaticBackupsToPrune(this.list(), this.keep())) rmSync(join(this.dir, name), { force: true });
  }

  private keep(): number {
    const raw = Number(this.getMeta(META_KEEP));
    return checkKeep(raw) === null ? raw : BACKUP_KEEP.default;
  }

  private lastAutomaticMs(): number | null {
    const raw = this.getMeta(META_LAST_AUTOMATIC);
    const ms = raw === undefined ? NaN : Number(raw);
    return Number.isFinite(ms) ? ms : null;
  }

  private getMeta(key: string): string | undefined {
    return this.store.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
  }

  private setMeta(key: string, value: string): void {
    this.store.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }

  /** A listed backup's file (names are checked against the listing: no path can be smuggled in), or a full path. */
  private resolveSource({ name, path }: BackupSource): Result<string> {
    if ((name === undefined) === (path === undefined)) return fail('validation', 'Name a listed backup or give the path of a file, not both');
    if (name !== undefined) {
      const entry = this.list().find((e) => e.name === name);
      if (!entry) return fieldError('name', `There is no backup named ${name}`);
      return ok(join(entry.kind === 'before-sync' ? dirname(this.store.path) : this.dir, entry.name));
    }
    const typed = path!.trim();
    if (!isAbsolute(typed)) return fieldError('path', 'Give the full path of the file, like /home/you/crewline-backup.sqlite');
    if (resolve(typed) === resolve(this.store.path)) return fieldError('path', 'This is the open workspace itself, not a backup of it');
    return ok(resolve(typed));
  }

  /**
   * Reads and checks a backup on a private copy (the user's file is never opened, and cannot change between
   * the check and the restore): a SQLite file, intact, with a workspace's tables, a schema this app reads,
   * documents that decode and an organization in them.
   */
  private readCandidate(file: string): Result<Candidate> {
    let size: number;
    try {
      const stats = statSync(file);
      if (!stats.isFile()) return refuse('missing', `${file} is a folder, not a backup file`);
      size = stats.size;
    } catch {
      return refuse('missing', `There is no file at ${file}`);
    }
    if (size < 512 || readHeader(file) !== SQLITE_HEADER) {
      return refuse('not-sqlite', 'This file is not a SQLite database, so it is not a Crewline workspace or backup');
    }
    // Beside the workspace: the same disk, a folder that exists (checking must not even create `backups/`).
    const copy = join(dirname(this.store.path), `.restore-check-${process.pid}-${++this.staging}.sqlite`);
    const sidecars = [copy, `${copy}-wal`, `${copy}-shm`, `${copy}-journal`];
    try {
      copyFileSync(file, copy);
      if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
      return readCopy(copy);
    } finally {
      for (const f of sidecars) rmSync(f, { force: true });
    }
  }
}

function readCopy(copy: string): Result<Candidate> {
  let db: Database.Database;
  try {
    db = new Database(copy, { readonly: true, fileMustExist: true });
  } catch (error) {
    return refuse('damaged', `The file could not be opened as a database (${messageOf(error)})`);
  }
  try {
    let problems: string[];
    try {
      problems = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    } catch (error) {
      return refuse('damaged', `The file is damaged: ${messageOf(error)}`);
    }
    if (problems.length !== 1 || problems[0] !== 'ok') {
      return refuse('damaged', `The file is damaged: its integrity check failed (${problems.slice(0, 3).join('; ')})`);
    }
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (!WORKSPACE_TABLES.every((t) => tables.has(t)) || version < 1) {
      return refuse('not-crewline', 'This SQLite database is not a Crewline workspace: it does not have a workspace’s tables');
    }
    if (version > SCHEMA_VERSION) {
      return refuse(
        'newer',
        `This backup was made by a newer Crewline (workspace schema ${version}; this app reads up to ${SCHEMA_VERSION}): update Crewline to restore it`,
      );
    }
    const docs = {} as Record<DocName, Y.Doc>;
    const states = {} as Record<DocName, Uint8Array>;
    const log = new DocLog(db);
    for (const name of DOC_NAMES) {
      try {
        const doc = new Y.Doc({ gc: true });
        const saved = log.load(name);
        if (saved) Y.applyUpdate(doc, saved);
        // Updates waiting for ones the file does not have: the document is incomplete.
        if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) throw new Error('parts of it are missing');
        docs[name] = doc;
        states[name] = Y.encodeStateAsUpdate(doc);
      } catch (error) {
        return refuse('unreadable-documents', `The backup’s ${name} document cannot be read (${messageOf(error)})`);
      }
    }
    if (!isRosterInitialized(docs.roster)) return refuse('empty', 'This workspace holds no organization: there is nothing to restore');
    const archive = (db.prepare(`SELECT ${ARCHIVE_COLUMNS} FROM archive_bookings ORDER BY id`).raw().all() as unknown[][]);
    const rawLink = db.prepare("SELECT value FROM meta WHERE key = 'sync_link'").pluck().get() as string | undefined;
    const link = parseLink(rawLink);
    const summary: BackupSummary = {
      organization: readSettings(docs.roster).name,
      providers: rosterMaps(docs.roster).providers.size,
      bookings: scheduleMaps(docs.schedule).bookings.size,
      archivedBookings: archive.length,
      schemaVersion: version,
      linkedTo: link ? { serverUrl: link.serverUrl, orgId: link.orgId } : null,
    };
    for (const doc of Object.values(docs)) doc.destroy();
    return ok({ summary, states, archive, link, lastStamp: lastStampIn(db) });
  } finally {
    db.close();
  }
}

function refuse(reason: RestoreRefusal, message: string) {
  return fail('validation', message, { details: { reason } });
}

function readHeader(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(16);
    readSync(fd, buffer, 0, 16, 0);
    return buffer.toString('latin1');
  } finally {
    closeSync(fd);
  }
}

function parseLink(raw: string | undefined): SyncLinkSettings | null {
  if (raw === undefined) return null;
  try {
    const parsed = syncLinkSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Same organization on the same server (addresses compared without a trailing slash or case). */
function sameOrganization(a: SyncLinkSettings, b: SyncLinkSettings | null): boolean {
  const norm = (url: string) => url.trim().replace(/\/+$/, '').toLowerCase();
  return b !== null && a.orgId === b.orgId && norm(a.serverUrl) === norm(b.serverUrl);
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
