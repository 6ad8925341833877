import { describe, expect, it } from 'vitest';
import type { BoardBooking } from '../../../../core/api/contract';
import { fillAction } from './fill-action';
import type { VisibleRange } from './board-state';

const ZONE = 'America/Chicago';
const DAY: VisibleRange = { kind: 'day', title: 'Tue', firstDay: '2026-11-24', lastDay: '2026-11-24' };
const WEEK: VisibleRange = { kind: 'week', title: 'Week', firstDay: '2026-11-23', lastDay: '2026-11-29' };

const job = (id: string, start: string | null) =>
  ({ id, slot: start ? { start, end: start.replace(':00:00Z', ':59:00Z'), assignees: [] } : null }) as unknown as BoardBooking;
// Tue 10:00 and Wed 10:00 in Chicago, and an undated job.
const QUEUE = [job('tue', '2026-11-24T16:00:00Z'), job('wed', '2026-11-25T16:00:00Z'), job('undated', null)];

describe('the queue’s Fill day', () => {
  it('fills the whole queue of the day without a search, a search’s jobs that can go on the day with one', () => {
    const opened: Array<[string, string[] | undefined]> = [];
    const open = (day: string, ids?: string[]) => void opened.push([day, ids]);
    const all = fillAction(DAY, QUEUE, '', ZONE, open);
    expect(all.label).toBe('Fill day');
    if ('open' in all) all.open();
    const searched = fillAction(DAY, QUEUE, 'drain', ZONE, open);
    expect(searched.label).toBe('Fill day with 2 shown');
    if ('open' in searched) searched.open();
    expect(opened).toEqual([
      ['2026-11-24', undefined],
      ['2026-11-24', ['tue', 'undated']],
    ]);
  });

  it('says why it cannot fill: not a day view, or nothing the search shows fits the day', () => {
    expect(fillAction(WEEK, QUEUE, '', ZONE, () => undefined)).toEqual({ why: 'Switch to Day view to fill a day', label: 'Fill day' });
    expect(fillAction(DAY, [QUEUE[1]!], 'x', ZONE, () => undefined)).toMatchObject({ why: 'None of the jobs this search shows can go on this day' });
  });
});
