/**
 * The clock-skew guard. A desktop whose clock is set a day ahead stamps its writes a day ahead, and by the
 * later-stamp rule they would win every conflict for a day. The sync server, when it keeps a client's
 * update holding a stamp more than `CLAMP_AHEAD_MS` ahead of its own clock, records in the same document
 * `clamps[stamp] = its own wall time`, and every reader compares that stamp as if it had been written then.
 * The document alone still settles every conflict, identically everywhere; only the server writes clamps.
 */
import * as Y from 'yjs';
import { changedPlaces } from './changes';

const YMap = Y.Map;
import { decodeStamp, encodeStamp, type Stamp } from './hlc';

export const CLAMPS_MAP = 'clamps';

/** More than this ahead of the server's clock is a clock set wrong, not network delay. */
export const CLAMP_AHEAD_MS = 2 * 60_000;

/** The stamp as readers compare it: clamped to what the server had seen when one was recorded. */
export function effectiveStamp(doc: Y.Doc | null, stamp: Stamp): Stamp {
  if (!doc || !doc.share.has(CLAMPS_MAP)) return stamp;
  const wall = doc.getMap<unknown>(CLAMPS_MAP).get(encodeStamp(stamp));
  return typeof wall === 'number' && Number.isSafeInteger(wall) && wall < stamp.wall ? { ...stamp, wall } : stamp;
}

/**
 * The stamps that `fn` (applying a sync message) clamped, whoever wrote them. A clamp changes how its
 * stamp compares, so it can change the winner of a group without any record changing: a write of ours
 * that won while its stamp counted as written (a clock set ahead) may lose, and one that lost to another
 * stamp set ahead may win. The clamp can come in a later message than the entries it settles, so the
 * lost-write marks look at these too.
 */
export function stampsClampedDuring(doc: Y.Doc, fn: () => void): Set<string> {
  const keys = () => (doc.share.has(CLAMPS_MAP) ? [...doc.getMap<unknown>(CLAMPS_MAP).keys()] : []);
  const before = new Set(keys());
  fn();
  return new Set(keys().filter((key) => !before.has(key)));
}

/** The stamps (stored forms) of `replica` among `stamps`. */
export function stampsOf(stamps: ReadonlySet<string>, replica: string): Set<string> {
  return new Set([...stamps].filter((key) => decodeStamp(key)?.r === replica));
}

/**
 * The stamps a transaction clamped. The read tables and the worker re-read the records holding them: the
 * records' own maps did not change, but their winners may have.
 */
export function stampsClampedIn(tr: Y.Transaction): Set<string> {
  // The clamps map is top-level: the transaction's own change list names its keys, no walk over the rest.
  // Looked up as shared before `getMap`: a type no one here asked for yet is replaced by that call.
  const shared = tr.doc.share.get(CLAMPS_MAP);
  const keys = shared ? tr.changed.get(shared) : undefined;
  if (!keys) return new Set();
  const clamps = tr.doc.getMap<unknown>(CLAMPS_MAP);
  return new Set([...keys].filter((key): key is string => key !== null && clamps.has(key)));
}

/** The ids of the records in `records` holding an entry stamped with one of `stamps` (stored forms). */
export function recordsStampedWith(records: { entries(): Iterable<[string, unknown]> }, stamps: ReadonlySet<string>): string[] {
  if (stamps.size === 0) return [];
  const ids: string[] = [];
  for (const [id, record] of records.entries()) {
    if (!(record instanceof YMap)) continue;
    for (const value of record.values()) {
      const stamp = value !== null && typeof value === 'object' ? (value as { _s?: unknown })._s : undefined;
      if (typeof stamp === 'string' && stamps.has(stamp)) {
        ids.push(id);
        break;
      }
    }
  }
  return ids;
}

/** The clamps to record for `stamps` (stored forms) seen at server time `nowMs`: those too far ahead. */
export function clampsFor(stamps: Iterable<string>, nowMs: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const stored of stamps) {
    const stamp = decodeStamp(stored);
    if (stamp && stamp.wall > nowMs + CLAMP_AHEAD_MS) out.set(stored, Math.floor(nowMs));
  }
  return out;
}

/** A clamp entry as stored: the key a stamp, the value a wall time before it. */
export function clampProblem(key: string, value: unknown): string | null {
  const stamp = decodeStamp(key);
  if (!stamp) return `${key}: not a stamp`;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value >= stamp.wall) {
    return `${key}: a clamp is a wall time before the stamp`;
  }
  return null;
}

const RECORD_MAPS = new Set(['providers', 'customers', 'services', 'bookings']);

/** The stamps of the group entries a transaction wrote (what the server checks against its clock). */
export function stampsWritten(tr: Y.Transaction): string[] {
  const out: string[] = [];
  const add = (value: unknown) => {
    const stamp = (value as { _s?: unknown } | null)?._s;
    if (typeof stamp === 'string') out.push(stamp);
  };
  for (const place of changedPlaces(tr)) {
    if (!RECORD_MAPS.has(place.top)) continue;
    if (place.path.length === 0) {
      for (const key of place.keys) {
        // Through `getMap`: a top-level type nobody on this side asked for yet is a plain AbstractType.
        const record = key === null ? undefined : tr.doc.getMap<unknown>(place.top).get(key);
        if (record instanceof YMap) for (const value of record.values()) add(value);
      }
    } else if (place.path.length === 1 && place.type instanceof YMap) {
      for (const key of place.keys) if (key !== null) add(place.type.get(key));
    }
  }
  return out;
}
