/**
 * Hybrid logical clock stamps (Kulkarni et al.): every write of a field group carries one, and concurrent
 * writes of a group are settled by the later stamp (`group-entries.ts`), identically on every replica.
 *
 * A stamp is wall-clock milliseconds, a counter for writes within one millisecond (or after seeing a stamp
 * ahead of our wall clock), and the replica that wrote it, which breaks the last ties. The order is
 * (wall, n, r). Stored as a fixed-width string so the stored form sorts the same as the stamps.
 */
export interface Stamp {
  wall: number;
  n: number;
  r: string;
}

/** The stamp of a value written before stamps existed: older than any stamped write. */
export const ZERO: Stamp = { wall: 0, n: 0, r: '' };

/** A replica id: short, so keys stay small, and without the characters stamps and keys use as separators. */
export const REPLICA_PATTERN = /^[a-z0-9]{1,24}$/;
const WALL_DIGITS = 15;
const N_DIGITS = 6;
const MAX_N = 10 ** N_DIGITS - 1;
const STAMP_PATTERN = /^(\d{15})\.(\d{6})\.([a-z0-9]{1,24})$/;

/**
 * How far ahead of our wall clock a received stamp may pull it. A stamp further ahead comes from a clock
 * set wrong: adopting it would carry the error into every later write here (the server clamps such stamps
 * in the document, `clamps.ts`), so only its counter is taken into account.
 */
export const MAX_DRIFT_MS = 5 * 60_000;

export const encodeStamp = (s: Stamp): string =>
  `${String(s.wall).padStart(WALL_DIGITS, '0')}.${String(s.n).padStart(N_DIGITS, '0')}.${s.r}`;

/** The stamp a stored string holds, or null when it is not one. */
export function decodeStamp(value: unknown): Stamp | null {
  if (typeof value !== 'string') return null;
  const m = STAMP_PATTERN.exec(value);
  if (!m) return null;
  return { wall: Number(m[1]), n: Number(m[2]), r: m[3]! };
}

export const isStamp = (value: unknown): value is string => decodeStamp(value) !== null;

export function compareStamps(a: Stamp, b: Stamp): number {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.n !== b.n) return a.n < b.n ? -1 : 1;
  return a.r < b.r ? -1 : a.r > b.r ? 1 : 0;
}

export const maxStamp = (a: Stamp, b: Stamp): Stamp => (compareStamps(a, b) >= 0 ? a : b);

/** The clock of one replica: the last stamp it issued or adopted. Pure: `now` is always passed in. */
export class Hlc {
  private last: Stamp;

  constructor(
    readonly replica: string,
    last: Stamp = ZERO,
  ) {
    if (!REPLICA_PATTERN.test(replica)) throw new Error(`not a replica id: ${replica}`);
    this.last = { ...last, r: replica };
  }

  get current(): Stamp {
    return this.last;
  }

  /** A stamp for a local write at wall time `now`: later than every stamp this clock issued or received. */
  tick(now: number): Stamp {
    const wall = Math.max(this.last.wall, Math.floor(now));
    return this.advance(wall, wall === this.last.wall ? this.last.n + 1 : 0);
  }

  /**
   * Takes in a stamp seen in a remote write, so our next stamp is later than it, unless it is more than
   * `maxDrift` ahead of `now`. A write replacing a value passes Infinity: it must be later than what it replaced.
   */
  receive(remote: Stamp, now: number, maxDrift = MAX_DRIFT_MS): Stamp {
    const wallNow = Math.floor(now);
    const remoteWall = remote.wall > wallNow + maxDrift ? this.last.wall : remote.wall;
    const wall = Math.max(this.last.wall, remoteWall, wallNow);
    let n: number;
    if (wall === this.last.wall && wall === remoteWall) n = Math.max(this.last.n, remote.n) + 1;
    else if (wall === this.last.wall) n = this.last.n + 1;
    else if (wall === remoteWall) n = remote.n + 1;
    else n = 0;
    return this.advance(wall, n);
  }

  private advance(wall: number, n: number): Stamp {
    // A counter overflow (a million writes in one millisecond) moves to the next millisecond instead.
    this.last = n > MAX_N ? { wall: wall + 1, n: 0, r: this.replica } : { wall, n, r: this.replica };
    return this.last;
  }
}
