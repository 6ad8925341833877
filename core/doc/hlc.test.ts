import { describe, expect, it } from 'vitest';
import { compareStamps, decodeStamp, encodeStamp, Hlc, MAX_DRIFT_MS, ZERO, type Stamp } from './hlc';

const T = Date.UTC(2026, 10, 23, 12);

describe('hybrid logical clock', () => {
  it('ticks with the wall clock, and counts writes within one millisecond', () => {
    const clock = new Hlc('a1');
    expect(clock.tick(T)).toEqual({ wall: T, n: 0, r: 'a1' });
    expect(clock.tick(T)).toEqual({ wall: T, n: 1, r: 'a1' });
    expect(clock.tick(T + 5)).toEqual({ wall: T + 5, n: 0, r: 'a1' });
  });

  it('never goes back when the wall clock does', () => {
    const clock = new Hlc('a1', { wall: T, n: 3, r: 'old' });
    expect(clock.tick(T - 60_000)).toEqual({ wall: T, n: 4, r: 'a1' });
  });

  it('after receiving a stamp ahead of its wall clock, issues stamps after it', () => {
    const clock = new Hlc('a1');
    clock.tick(T);
    clock.receive({ wall: T + 1000, n: 7, r: 'b2' }, T);
    const next = clock.tick(T + 10);
    expect(next).toEqual({ wall: T + 1000, n: 9, r: 'a1' });
    expect(compareStamps(next, { wall: T + 1000, n: 7, r: 'b2' })).toBe(1);
  });

  it('does not take in a wall clock further ahead than the drift limit, unless told to', () => {
    const far: Stamp = { wall: T + MAX_DRIFT_MS + 1, n: 0, r: 'b2' };
    const guarded = new Hlc('a1');
    guarded.receive(far, T);
    expect(guarded.current.wall).toBe(T);
    const forced = new Hlc('a1');
    forced.receive(far, T, Number.POSITIVE_INFINITY);
    expect(forced.current).toEqual({ wall: far.wall, n: 1, r: 'a1' });
  });

  it('orders by wall, then counter, then replica; the stored form sorts the same', () => {
    const stamps: Stamp[] = [
      { wall: T, n: 2, r: 'a' },
      { wall: T, n: 10, r: 'a' },
      { wall: T + 1, n: 0, r: 'a' },
      { wall: T, n: 2, r: 'b' },
      ZERO,
      { wall: 5, n: 0, r: 'z' },
    ];
    const byStamp = [...stamps].sort(compareStamps);
    const byString = [...stamps].sort((x, y) => (encodeStamp(x) < encodeStamp(y) ? -1 : 1));
    expect(byString).toEqual(byStamp);
    expect(byStamp.map((s) => `${s.wall - (s.wall > 5 ? T : 0)}:${s.n}:${s.r}`)).toEqual(['0:0:', '5:0:z', '0:2:a', '0:2:b', '0:10:a', '1:0:a']);
  });

  it('reads back what it writes, and nothing else', () => {
    const s = { wall: T, n: 12, r: 'd0k3' };
    expect(decodeStamp(encodeStamp(s))).toEqual(s);
    for (const junk of [5, null, '', 'tomorrow', '1.2.a', `${encodeStamp(s)}@`, encodeStamp({ ...s, r: 'UPPER' })]) {
      expect(decodeStamp(junk)).toBeNull();
    }
    expect(() => new Hlc('not ok')).toThrow(/replica/);
  });
});
