/**
 * An independent oracle for the conflict rules of docs/design.md §4.1, for the property tests. It reads
 * a record's group entries straight from the Yjs map (`<group>@<replica>` keys, `_s` stamps, the server's
 * `clamps` map) and decides the winner from the documented table alone: it deliberately does not call
 * core/doc/group-entries.ts or conflict-rules.ts, so a mistake there cannot hide in the expectation.
 *
 * With three or more concurrent writes the table's rows alone could form a cycle with the later stamp (a
 * cancel beats an en route, the en route beats a later unassign, the unassign's later stamp beats the
 * cancel). §4.1 settles it in two steps: a write that a row makes lose to any other is out; among the rest
 * the later stamp wins. The oracle applies exactly that; if no entry were left (the rows themselves in a
 * cycle, which the table does not allow) it says `cycle` rather than guess.
 */
import * as Y from 'yjs';

export interface OracleStamp {
  wall: number;
  n: number;
  r: string;
}

export interface OracleEntry {
  key: string;
  group: string;
  replica: string;
  stamp: OracleStamp;
  /** The stamp as compared: clamped to the server's time when it was more than 2 minutes ahead. */
  effective: OracleStamp;
  value: Readonly<Record<string, unknown>>;
}

const STAMP = /^(\d{15})\.(\d{6})\.([a-z0-9]{1,24})$/;
const KEY = /^([A-Za-z]+)@([a-z0-9]{1,24})$/;

export function parseOracleStamp(value: unknown): OracleStamp | null {
  const m = typeof value === 'string' ? STAMP.exec(value) : null;
  return m ? { wall: Number(m[1]), n: Number(m[2]), r: m[3]! } : null;
}

/** The stamped entries of every group of a record, by group. */
export function oracleEntries(doc: Y.Doc, record: Y.Map<unknown>): Map<string, OracleEntry[]> {
  const clamps = doc.share.has('clamps') ? doc.getMap<unknown>('clamps') : null;
  const out = new Map<string, OracleEntry[]>();
  for (const [key, raw] of record.entries()) {
    const m = KEY.exec(key);
    if (!m || !raw || typeof raw !== 'object') continue;
    const value = raw as Record<string, unknown>;
    const stamp = parseOracleStamp(value._s);
    if (!stamp || stamp.r !== m[2]) continue;
    const clamp = clamps?.get(value._s as string);
    const effective = typeof clamp === 'number' && clamp < stamp.wall ? { ...stamp, wall: clamp } : stamp;
    const entry: OracleEntry = { key, group: m[1]!, replica: m[2]!, stamp, effective, value };
    out.set(entry.group, [...(out.get(entry.group) ?? []), entry]);
  }
  return out;
}

const FIELD = new Set(['en_route', 'in_progress', 'completed']);
const PLANNING = new Set(['unscheduled', 'scheduled', 'dispatched']);

/** Which rule of the table decides between a and b: 'a', 'b', or null (the later stamp decides). */
export function tableRule(group: string, a: OracleEntry, b: OracleEntry): { winner: 'a' | 'b'; rule: string } | null {
  const beats = (x: OracleEntry, y: OracleEntry): string | null => {
    if (group === 'status') {
      const [sx, sy] = [x.value.status, y.value.status] as [string, string];
      if (sx === 'cancelled' && sy === 'en_route') return 'Cancel vs En route: Cancel';
      if ((sx === 'in_progress' || sx === 'completed') && sy === 'cancelled') return 'Cancel vs In progress / Completed: the field status';
      if (FIELD.has(sx) && PLANNING.has(sy)) return 'Unassign or move vs a field status: the field status';
    }
    if (group === 'slot' && x.value._o !== 'claim' && y.value._o === 'claim') return "Reassign vs Claim: the office's reassign";
    return null;
  };
  const ab = beats(a, b);
  if (ab) return { winner: 'a', rule: ab };
  const ba = beats(b, a);
  return ba ? { winner: 'b', rule: ba } : null;
}

const compare = (x: OracleStamp, y: OracleStamp) => x.wall - y.wall || x.n - y.n || (x.r < y.r ? -1 : x.r > y.r ? 1 : 0);

/** Does a beat b: by the table, else by the later (effective, then stored) stamp. */
export function beats(group: string, a: OracleEntry, b: OracleEntry): boolean {
  const ruled = tableRule(group, a, b);
  if (ruled) return ruled.winner === 'a';
  return (compare(a.effective, b.effective) || compare(a.stamp, b.stamp)) > 0;
}

export type OracleVerdict = { kind: 'winner'; winner: OracleEntry; losers: OracleEntry[] } | { kind: 'cycle'; entries: OracleEntry[] };

/** Out by a row of the table, then the latest stamp of those left; `cycle` if a row beats every entry. */
export function oracleWinner(group: string, entries: readonly OracleEntry[]): OracleVerdict {
  const left = entries.filter((e) => !entries.some((o) => o !== e && tableRule(group, o, e)?.winner === 'a'));
  const winner = left.find((e) => left.every((o) => o === e || beats(group, e, o)));
  return winner ? { kind: 'winner', winner, losers: entries.filter((e) => e !== winner) } : { kind: 'cycle', entries: [...entries] };
}
