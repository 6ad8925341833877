/**
 * The workspace's hybrid logical clock (core/doc/hlc.ts): one replica id for the workspace, kept in `meta`
 * with the last stamp it issued or took in, so a restart (or a wall clock set back) never stamps a write
 * earlier than one this workspace already made or saw. Both documents share it.
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type * as Y from 'yjs';
import type { Clock } from '../../../core/clock';
import { decodeStamp, encodeStamp, Hlc, ZERO, type Stamp } from '../../../core/doc/hlc';
import { attachReplicaClock } from '../../../core/doc/replica-clock';

const REPLICA_KEY = 'hlc_replica';
const LAST_KEY = 'hlc_last';

export class WorkspaceReplica {
  readonly hlc: Hlc;
  private readonly save: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    const read = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    this.save = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    let replica = read.get(REPLICA_KEY) as string | undefined;
    if (!replica) {
      // 'd' + 12 base-36 digits: unique enough among an organization's desktops, short in every key.
      replica = `d${BigInt(`0x${randomBytes(8).toString('hex')}`).toString(36).slice(0, 12)}`;
      this.save.run(REPLICA_KEY, replica);
    }
    const last = decodeStamp(read.get(LAST_KEY)) ?? ZERO;
    this.hlc = new Hlc(replica, last);
  }

  get id(): string {
    return this.hlc.replica;
  }

  /** Stamps `doc`'s writes with this workspace's clock. */
  attach(doc: Y.Doc): void {
    attachReplicaClock(doc, { hlc: this.hlc, now: this.clock, onAdvance: (stamp: Stamp) => this.save.run(LAST_KEY, encodeStamp(stamp)) });
  }
}
