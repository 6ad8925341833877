/**
 * The workspace's hybrid logical clock (core/doc/hlc.ts): one replica id for the workspace, kept in `meta`
 * with the last stamp it issued or took in, so a restart (or a wall clock set back) never stamps a write
 * earlier than one this workspace already made or saw. Both documents share it.
 *
 * A replica id must belong to one workspace only, or two desktops' stamps could tie and their lost writes be
 * taken for each other's. `meta` travels with the file, so next to the id is the identity of the file it was
 * issued for (`hlc_home`: device and inode): a workspace file copied from elsewhere (another desktop's data
 * folder, a backup copied into place) opens with a fresh id. A restore takes one too (`renew`). Either way
 * the clock keeps its last stamp: a fresh id never stamps earlier than the file already did. A false alarm
 * (the folder moved to another disk) only costs a new id.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type * as Y from 'yjs';
import type { Clock } from '../../../core/clock';
import { decodeStamp, encodeStamp, Hlc, maxStamp, ZERO, type Stamp } from '../../../core/doc/hlc';
import { attachReplicaClock } from '../../../core/doc/replica-clock';

const REPLICA_KEY = 'hlc_replica';
const LAST_KEY = 'hlc_last';
const HOME_KEY = 'hlc_home';

/** 'd' + 12 base-36 digits: unique enough among an organization's desktops, short in every key. */
const newReplicaId = (): string => `d${BigInt(`0x${randomBytes(8).toString('hex')}`).toString(36).slice(0, 12)}`;

/** The identity of the file at `path` (null when it has none, e.g. an in-memory database). */
export function fileIdentity(path: string): string | null {
  try {
    const stats = statSync(path, { bigint: true });
    return `${stats.dev}:${stats.ino}`;
  } catch {
    return null;
  }
}

/** The last stamp a workspace database (or a backup of one) recorded, or ZERO. */
export function lastStampIn(db: Database.Database): Stamp {
  return decodeStamp(db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(LAST_KEY)) ?? ZERO;
}

export class WorkspaceReplica {
  /** Replaced by `renew`: read it through the replica, do not keep it. */
  hlc: Hlc;
  private readonly save: Database.Statement;
  private readonly home: string | null;
  /** Meta rows written together commit (and sync to disk) once. */
  private readonly inOneCommit: (write: () => void) => void;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
    path: string,
  ) {
    const read = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    this.save = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    this.home = fileIdentity(path);
    this.inOneCommit = (write) => db.transaction(write)();
    const last = lastStampIn(db);
    const replica = read.get(REPLICA_KEY) as string | undefined;
    const home = read.get(HOME_KEY) as string | undefined;
    // A workspace from before `hlc_home` was kept cannot tell: it is taken as this file's own.
    const copied = replica !== undefined && home !== undefined && this.home !== null && home !== this.home;
    if (!replica || copied) {
      this.hlc = this.issue(last);
    } else {
      this.hlc = new Hlc(replica, last);
      if (this.home !== null && home !== this.home) this.save.run(HOME_KEY, this.home);
    }
  }

  get id(): string {
    return this.hlc.replica;
  }

  /**
   * A fresh id for this workspace (after a restore: its documents are a backup's, which other desktops may
   * have restored too), its clock not earlier than `atLeast` nor than its own last stamp. Documents attached
   * afterwards stamp with it; call it before the store adopts the restored documents.
   */
  renew(atLeast: Stamp = ZERO): void {
    this.hlc = this.issue(maxStamp(this.hlc.current, atLeast));
  }

  private issue(last: Stamp): Hlc {
    const hlc = new Hlc(newReplicaId(), last);
    // Past `last` itself: the same wall and counter under a new id could sort before it (ids break ties).
    if (last !== ZERO) hlc.receive(last, last.wall, Number.POSITIVE_INFINITY);
    this.inOneCommit(() => {
      this.save.run(REPLICA_KEY, hlc.replica);
      if (this.home !== null) this.save.run(HOME_KEY, this.home);
      if (last !== ZERO) this.save.run(LAST_KEY, encodeStamp(hlc.current));
    });
    return hlc;
  }

  /** Stamps `doc`'s writes with this workspace's clock. */
  attach(doc: Y.Doc): void {
    attachReplicaClock(doc, { hlc: this.hlc, now: this.clock, onAdvance: (stamp: Stamp) => this.save.run(LAST_KEY, encodeStamp(stamp)) });
  }
}
