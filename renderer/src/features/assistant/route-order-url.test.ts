import { describe, expect, it } from 'vitest';
import { parseRouteOrderHash, routeOrderHash } from './route-order-url.ts';

describe('the route panel link', () => {
  it('round-trips a provider and a day through the board’s hash', () => {
    const id = '01900000-0000-7000-8000-000000000001';
    const hash = routeOrderHash(id, '2026-11-25');
    expect(hash).toBe(`#/board?route=${id}&date=2026-11-25`);
    expect(parseRouteOrderHash(hash)).toEqual({ providerId: id, day: '2026-11-25' });
  });

  it('ignores other screens, a missing provider and a malformed day', () => {
    expect(parseRouteOrderHash('#/route-sheets?route=x&date=2026-11-25')).toBeNull();
    expect(parseRouteOrderHash('#/board')).toBeNull();
    expect(parseRouteOrderHash('#/board?date=2026-11-25')).toBeNull();
    expect(parseRouteOrderHash('#/board?route=x&date=25/11/2026')).toBeNull();
  });
});
