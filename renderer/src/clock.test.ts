import { afterEach, describe, expect, it, vi } from 'vitest';
import { manualClock } from '../../core/clock';
import { createConsoleClock } from './clock';

afterEach(() => {
  vi.useRealTimers();
});

describe('console clock', () => {
  it("follows the backend's clock, taking the middle of the round trip", () => {
    const browser = manualClock(Date.parse('2030-01-01T00:00:00Z'));
    const clock = createConsoleClock(browser.now);
    const sentAt = browser.now();
    browser.advance(20);
    clock.follow(Date.parse('2026-11-24T14:00:00Z'), sentAt, browser.now());
    expect(clock.now()).toBe(Date.parse('2026-11-24T14:00:00Z') + 10);
    browser.advance(60_000);
    expect(clock.now()).toBe(Date.parse('2026-11-24T14:01:00Z') + 10);
    // Epoch milliseconds stay whole (Temporal refuses fractions): a round trip of an odd length.
    clock.follow(1_000_000, 0, 1);
    expect(Number.isInteger(clock.now())).toBe(true);
  });

  it('tells subscribers when it is set and every tick, and keeps its snapshot stable between', () => {
    vi.useFakeTimers();
    const browser = manualClock(0);
    const clock = createConsoleClock(browser.now, 60_000);
    let calls = 0;
    const off = clock.subscribe(() => calls++);
    clock.follow(1_000_000, 0, 0);
    expect(calls).toBe(1);
    expect(clock.snapshot()).toBe(1_000_000);
    browser.advance(30_000);
    expect(clock.snapshot()).toBe(1_000_000);
    vi.advanceTimersByTime(60_000);
    expect(calls).toBe(2);
    expect(clock.snapshot()).toBe(1_030_000);
    off();
    vi.advanceTimersByTime(120_000);
    expect(calls).toBe(2);
  });
});
