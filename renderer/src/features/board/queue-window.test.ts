import { describe, expect, it } from 'vitest';
import { QUEUE_PAD, QUEUE_PITCH, queueWindow } from './queue-window.ts';

describe('queueWindow', () => {
  it('renders every card of a queue shorter than the view', () => {
    expect(queueWindow(12, 0, 900)).toEqual({ first: 0, last: 12 });
    expect(queueWindow(0, 0, 900)).toEqual({ first: 0, last: 0 });
  });

  it('renders the cards in view and a few either side, never outside the list', () => {
    const view = 630; // ten cards
    const top = queueWindow(500, 0, view);
    expect(top.first).toBe(0);
    expect(top.last).toBeGreaterThanOrEqual(10);
    expect(top.last).toBeLessThan(30);

    const scrollTop = QUEUE_PAD + 200 * QUEUE_PITCH; // card 200 at the top edge
    const middle = queueWindow(500, scrollTop, view);
    expect(middle.first).toBeLessThan(200);
    expect(middle.first).toBeGreaterThan(185);
    expect(middle.last).toBeGreaterThanOrEqual(210);
    expect(middle.last).toBeLessThan(225);

    const bottom = queueWindow(500, QUEUE_PAD * 2 + 500 * QUEUE_PITCH - view, view);
    expect(bottom.last).toBe(500);
    expect(bottom.first).toBeLessThan(490);
  });

  it('stays a valid window for a scroll offset past a list that just shrank', () => {
    const w = queueWindow(3, 10_000, 600);
    expect(w).toEqual({ first: 3, last: 3 });
  });
});
