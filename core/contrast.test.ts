import { describe, expect, it } from 'vitest';
import { contrastOf, over, parseColor } from './contrast';

describe('WCAG contrast', () => {
  it('reads the colour forms CSS and getComputedStyle use', () => {
    expect(parseColor('#fff')).toEqual({ r: 255, g: 255, b: 255, a: 1 });
    expect(parseColor('#0e131a')).toEqual({ r: 14, g: 19, b: 26, a: 1 });
    expect(parseColor('#00000080')?.a).toBeCloseTo(128 / 255);
    expect(parseColor('rgb(22, 28, 37)')).toEqual({ r: 22, g: 28, b: 37, a: 1 });
    expect(parseColor('rgba(0, 0, 0, 0.5)')?.a).toBe(0.5);
    expect(parseColor('rgb(1 2 3 / 25%)')?.a).toBe(0.25);
    expect(parseColor('color(srgb 0.5 1 0)')).toEqual({ r: 127.5, g: 255, b: 0, a: 1 });
    expect(parseColor('color(srgb 0 0 0 / 0.25)')?.a).toBe(0.25);
    expect(parseColor('oklch(0.5 0.1 200)')).toBeNull();
  });

  it('gives the known ratios', () => {
    expect(contrastOf('#000', '#fff')).toBeCloseTo(21, 5);
    expect(contrastOf('#fff', '#fff')).toBeCloseTo(1, 5);
    // WebAIM's checker: #2563eb on white is 5.17:1.
    expect(contrastOf('#2563eb', '#ffffff')).toBeCloseTo(5.17, 2);
  });

  it('blends translucent text and refuses what it cannot judge', () => {
    const half = over({ r: 255, g: 255, b: 255, a: 0.5 }, { r: 0, g: 0, b: 0, a: 1 });
    expect(half.r).toBeCloseTo(127.5);
    expect(contrastOf('rgba(255, 255, 255, 0.5)', '#000')).toBeLessThan(contrastOf('#fff', '#000'));
    expect(() => contrastOf('#fff', 'rgba(0, 0, 0, 0)')).toThrow(/translucent/);
    expect(() => contrastOf('currentcolor', '#000')).toThrow(/cannot read/);
  });
});
