/** Small helpers shared by the benchmarks: percentiles and a fixed-width table. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const ms = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(3));

export function table(rows: Array<Record<string, string | number>>): string {
  const keys = Object.keys(rows[0] ?? {});
  const width = (k: string) => Math.max(k.length, ...rows.map((r) => String(r[k]).length));
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(keys.map((k) => k.padEnd(width(k)))),
    line(keys.map((k) => '-'.repeat(width(k)))),
    ...rows.map((r) => line(keys.map((k) => String(r[k]).padEnd(width(k))))),
  ].join('\n');
}

/** Deterministic choice of samples so before/after runs touch the same records. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
