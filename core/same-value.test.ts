import { describe, expect, it } from 'vitest';
import { sameValue } from './same-value';

describe('sameValue', () => {
  it('compares primitives by value', () => {
    expect(sameValue(1, 1)).toBe(true);
    expect(sameValue('a', 'b')).toBe(false);
    expect(sameValue(null, undefined)).toBe(false);
    expect(sameValue(0, '0')).toBe(false);
  });
  it('compares objects by content, whatever the key order', () => {
    expect(sameValue({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });
  it('tells a key holding undefined from a missing key', () => {
    expect(sameValue({ a: undefined }, { b: undefined })).toBe(false);
    expect(sameValue({ a: undefined }, {})).toBe(false);
  });
  it('compares arrays element by element and never equal to objects', () => {
    expect(sameValue([1, [2]], [1, [2]])).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue([], {})).toBe(false);
  });
});
