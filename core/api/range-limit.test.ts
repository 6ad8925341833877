import { describe, expect, it } from 'vitest';
import { MAX_RANGE_DAYS } from './range-limit';
import { validateRequest } from './validate';

const DAY = 86_400_000;
const from = '2026-11-23T06:00:00.000Z';
const after = (days: number) => new Date(Date.parse(from) + days * DAY).toISOString();

describe('the board range limit (contract schema)', () => {
  it(`accepts a range of up to ${MAX_RANGE_DAYS} days`, () => {
    expect(validateRequest('board:getRange', { from, to: after(1) }).ok).toBe(true);
    expect(validateRequest('board:getRange', { from, to: after(MAX_RANGE_DAYS) }).ok).toBe(true);
  });
  it('refuses a longer range on `to`, for the board read and for a staged edit’s view', () => {
    const long = { from, to: new Date(Date.parse(after(MAX_RANGE_DAYS)) + 1000).toISOString() };
    const read = validateRequest('board:getRange', long);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error.fieldErrors).toMatchObject({ to: `At most ${MAX_RANGE_DAYS} days after from` });
    const stage = validateRequest('draft:stage', { id: 'b1', slot: null, view: long });
    expect(stage.ok).toBe(false);
    if (!stage.ok) expect(stage.error.fieldErrors).toMatchObject({ 'view.to': `At most ${MAX_RANGE_DAYS} days after from` });
  });
  it('refuses a range that does not end after it starts', () => {
    const r = validateRequest('board:getRange', { from, to: from });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.fieldErrors).toMatchObject({ to: 'Must be after from' });
  });
});
