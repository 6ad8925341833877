import { beforeEach, describe, expect, it } from 'vitest';
import { openingPlace, rememberBoardPlace } from './board-place';

describe('the board opens where it was left', () => {
  beforeEach(() => rememberBoardPlace(null));

  it("opens today's day view the first time", () => {
    expect(openingPlace('', '2026-11-24')).toEqual({ view: 'resourceTimelineDay', date: '2026-11-24', range: null });
  });

  it('opens the day or week it was left on, not today', () => {
    rememberBoardPlace({ view: 'resourceTimelineWeek', firstDay: '2026-11-30', lastDay: '2026-12-06' });
    expect(openingPlace('', '2026-11-24')).toEqual({ view: 'resourceTimelineWeek', date: '2026-11-30', range: null });
    rememberBoardPlace({ view: 'resourceTimelineDay', firstDay: '2026-12-03', lastDay: '2026-12-03' });
    expect(openingPlace('?token=x', '2026-11-24')).toEqual({ view: 'resourceTimelineDay', date: '2026-12-03', range: null });
  });

  it('reopens a range from its first day, asking to widen it again', () => {
    const range = { view: 'resourceTimelineRange' as const, firstDay: '2026-12-01', lastDay: '2026-12-10' };
    rememberBoardPlace(range);
    expect(openingPlace('', '2026-11-24')).toEqual({ view: 'resourceTimelineDay', date: '2026-12-01', range });
  });

  it("the page's ?date= and ?view= choose the first opening only", () => {
    expect(openingPlace('?date=2026-11-25&view=week', '2026-11-24')).toEqual({ view: 'resourceTimelineWeek', date: '2026-11-25', range: null });
    rememberBoardPlace({ view: 'resourceTimelineDay', firstDay: '2026-11-27', lastDay: '2026-11-27' });
    expect(openingPlace('?date=2026-11-25&view=week', '2026-11-24')).toEqual({ view: 'resourceTimelineDay', date: '2026-11-27', range: null });
  });
});
