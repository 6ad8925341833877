/**
 * A small seeded PRNG for demo and benchmark data: the same seed always yields the same sequence, on every
 * platform (32-bit integer math only). core/ must not use Math.random, so generators take one of these.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded through splitmix32 so that
 * neighbouring seeds (1, 2, 3 ...) still give unrelated streams.
 */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** One element, chosen with probability proportional to its weight (weights > 0). */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A shuffled copy (Fisher–Yates); the input is left untouched. */
  shuffle<T>(items: readonly T[]): T[];
  /** n distinct elements in random order (all of them when n >= length). */
  sample<T>(items: readonly T[], n: number): T[];
  /** An independent generator derived from this one, so sub-tasks don't shift each other's streams. */
  fork(): Rng;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** sfc32: returns an unsigned 32-bit integer per call. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new Error(`createRng: seed must be a finite number, got ${seed}`);
  const mix = splitmix32(Math.trunc(seed));
  const raw = sfc32(mix(), mix(), mix(), mix());
  for (let i = 0; i < 12; i++) raw(); // warm-up, as recommended for sfc32
  return wrap(raw);
}

function wrap(raw: () => number): Rng {
  const next = () => raw() / 4_294_967_296;
  const int = (min: number, max: number): number => {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new Error(`rng.int: need integers min <= max, got ${min}, ${max}`);
    }
    return min + Math.floor(next() * (max - min + 1));
  };
  const rng: Rng = {
    next,
    int,
    pick(items) {
      if (items.length === 0) throw new Error('rng.pick: empty list');
      return items[int(0, items.length - 1)]!;
    },
    weighted(items) {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      if (!(total > 0)) throw new Error('rng.weighted: weights must add up to more than 0');
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    chance: (p) => next() < p,
    shuffle(items) {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    sample: (items, n) => rng.shuffle(items).slice(0, Math.max(0, n)),
    fork: () => createRng(raw()),
  };
  return rng;
}
