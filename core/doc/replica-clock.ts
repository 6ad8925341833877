/**
 * Which hybrid logical clock stamps the writes made in a document (`hlc.ts`). A desktop attaches one clock
 * per workspace to both its documents (its replica id and last stamp persist, so a restart never goes
 * back). Writes in a document without one (the sync server's commands, tests) use a clock made on first
 * use, replica `c<Yjs client id>`, reading the time the running command was given (`withCommandTime`), so
 * the server's own writes are stamped with the server's clock.
 */
import type * as Y from 'yjs';
import { Hlc, type Stamp } from './hlc';

export interface ReplicaClock {
  hlc: Hlc;
  /** Epoch ms; absent: the running command's time. */
  now?: () => number;
  /** Called with each stamp issued or taken in (to persist the clock). */
  onAdvance?: (stamp: Stamp) => void;
}

const clocks = new WeakMap<Y.Doc, ReplicaClock>();
let commandNow: (() => number) | null = null;

export function attachReplicaClock(doc: Y.Doc, clock: ReplicaClock): void {
  clocks.set(doc, clock);
}

export function replicaClockOf(doc: Y.Doc): ReplicaClock {
  let clock = clocks.get(doc);
  if (!clock) {
    clock = { hlc: new Hlc(`c${doc.clientID}`) };
    clocks.set(doc, clock);
  }
  return clock;
}

/** Runs `fn` (a command's write) with `now` as the time for documents whose clock has none of its own. */
export function withCommandTime<T>(now: () => number, fn: () => T): T {
  const before = commandNow;
  commandNow = now;
  try {
    return fn();
  } finally {
    commandNow = before;
  }
}

const nowOf = (clock: ReplicaClock): number => (clock.now ?? commandNow ?? (() => clock.hlc.current.wall))();

/** A stamp for a write in `doc` that replaces the values stamped `seen`: later than each of them. */
export function stampWrite(doc: Y.Doc, seen: readonly Stamp[]): Stamp {
  const clock = replicaClockOf(doc);
  const now = nowOf(clock);
  // Always later than what it replaces, however far ahead (the server clamps stamps set ahead, `clamps.ts`).
  for (const stamp of seen) clock.hlc.receive(stamp, now, Number.POSITIVE_INFINITY);
  const stamp = clock.hlc.tick(now);
  clock.onAdvance?.(stamp);
  return stamp;
}

/** Takes in stamps seen in remote writes (a desktop, on applying an update). */
export function receiveStamps(doc: Y.Doc, stamps: Iterable<Stamp>): void {
  const clock = replicaClockOf(doc);
  const now = nowOf(clock);
  let any = false;
  for (const stamp of stamps) {
    clock.hlc.receive(stamp, now);
    any = true;
  }
  if (any) clock.onAdvance?.(clock.hlc.current);
}
