import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RenderHold, type PausableCalendar } from './render-hold';

/** Records what the hold asks of the calendar: rendering is paused while `paused` is true. */
function fakeCalendar() {
  const log: string[] = [];
  const calendar: PausableCalendar & { paused: boolean; log: string[] } = {
    paused: false,
    log,
    pauseRendering() {
      this.paused = true;
      log.push('pause');
    },
    resumeRendering() {
      this.paused = false;
      log.push('resume');
    },
  };
  return calendar;
}

describe('RenderHold', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('holds a claimed release until the edit is done, then renders once', async () => {
    const calendar = fakeCalendar();
    const hold = new RenderHold(200);
    hold.begin(calendar);
    hold.settle(); // the drop's own handlers claim it in the same task
    const done = hold.claim();
    await Promise.resolve();
    expect(calendar.paused).toBe(true);
    vi.advanceTimersByTime(50);
    expect(calendar.paused).toBe(true);
    done();
    expect(calendar.log).toEqual(['pause', 'resume']);
    done(); // a second call is harmless
    vi.advanceTimersByTime(500);
    expect(calendar.log).toEqual(['pause', 'resume']);
  });

  it('ends an unclaimed hold once the release task is over', async () => {
    const calendar = fakeCalendar();
    const hold = new RenderHold(200);
    hold.begin(calendar);
    hold.settle();
    expect(calendar.paused).toBe(true);
    await Promise.resolve();
    expect(calendar.paused).toBe(false);
    expect(hold.isHeld).toBe(false);
  });

  it('never holds longer than its limit, whatever the edit does', () => {
    const calendar = fakeCalendar();
    const hold = new RenderHold(200);
    hold.begin(calendar);
    const done = hold.claim();
    vi.advanceTimersByTime(199);
    expect(calendar.paused).toBe(true);
    vi.advanceTimersByTime(1);
    expect(calendar.paused).toBe(false);
    done(); // the late answer does not resume twice
    expect(calendar.log).toEqual(['pause', 'resume']);
  });

  it('pauses once for overlapping releases and claims nothing when not held', () => {
    const calendar = fakeCalendar();
    const hold = new RenderHold(200);
    const noop = hold.claim();
    noop();
    expect(calendar.log).toEqual([]);
    hold.begin(calendar);
    hold.begin(calendar);
    const first = hold.claim();
    const second = hold.claim();
    first();
    second();
    expect(calendar.log).toEqual(['pause', 'resume']);
  });

  it('a new hold after a release starts clean (its own limit, its own claim)', async () => {
    const calendar = fakeCalendar();
    const hold = new RenderHold(200);
    hold.begin(calendar);
    hold.claim()();
    hold.begin(calendar);
    hold.settle();
    await Promise.resolve();
    expect(calendar.log).toEqual(['pause', 'resume', 'pause', 'resume']);
    vi.advanceTimersByTime(1000);
    expect(calendar.log).toHaveLength(4);
  });

  it('a claim ends only its own hold, never a later release\'s', async () => {
    const calendar = fakeCalendar();
    const hold = new RenderHold(200);
    hold.begin(calendar);
    const first = hold.claim();
    first();
    hold.begin(calendar); // the next drop, while the first edit's answer is still on its way
    hold.claim();
    first(); // that answer comes
    expect(calendar.paused).toBe(true);
    expect(calendar.log).toEqual(['pause', 'resume', 'pause']);
  });

  it('a painted claim (the forecast is on the board) ends at the end of the task, before any answer', async () => {
    const calendar = fakeCalendar();
    const hold = new RenderHold(200);
    hold.begin(calendar);
    hold.settle();
    const { painted, done } = hold.claimPainted();
    painted();
    expect(calendar.paused).toBe(true); // the calendar's own handlers still run in this task
    await Promise.resolve();
    expect(calendar.log).toEqual(['pause', 'resume']);
    done(); // the answer: nothing more
    vi.advanceTimersByTime(500);
    expect(calendar.log).toEqual(['pause', 'resume']);
  });
});
