import { describe, expect, it } from 'vitest';
import type { CardBooking } from '../../../../core/api/contract';
import type { Provider } from '../../../../core/model';
import {
  cardOf,
  cardPlacement,
  inactiveWithBookings,
  isRunningLate,
  loadsOn,
  loadText,
  movedSlot,
  nextSelection,
  reassigned,
  rowProviders,
  timeOffBlocks,
  type BoardContext,
} from './board-model';

const ctx: BoardContext = {
  zone: 'UTC',
  autoResize: false,
  nowMs: Date.parse('2026-11-23T10:00:00Z'),
  customers: new Map([['c1', { id: 'c1', name: 'Dee & Co' } as never]]),
  services: new Map([['s1', { id: 's1', name: 'HVAC' } as never]]),
  selectedId: null,
};

const booking = (patch: Partial<CardBooking> = {}): CardBooking =>
  ({
    id: 'b1',
    title: 'Furnace',
    customerId: 'c1',
    serviceId: 's1',
    priority: 'normal',
    teamSize: 1,
    laborHours: 2,
    arrivalWindow: null,
    slot: { start: '2026-11-23T09:00:00Z', end: '2026-11-23T11:00:00Z', assignees: ['p1'] },
    status: 'scheduled',
    statusNote: '',
    staged: false,
    ...patch,
  }) as CardBooking;

describe('card model', () => {
  it('a card shows names, time, conflicts once each, team share and marks', () => {
    const conflicts = [{ message: 'Double-booked', severity: 'red' }, { message: 'Double-booked', severity: 'red' }] as never;
    const card = cardOf(booking({ teamSize: 2 }), conflicts, { ...ctx, selectedId: 'b1' });
    expect(card).toMatchObject({ customer: 'Dee & Co', service: 'HVAC', time: '09:00–11:00', team: '1/2', selected: true, late: true, severity: 'red' });
    expect(card.reasons).toEqual(['Double-booked']);
  });

  it('running late: started and nobody on the way; not once en route or closed', () => {
    expect(isRunningLate(booking(), ctx.nowMs)).toBe(true);
    expect(isRunningLate(booking({ status: 'en_route' }), ctx.nowMs)).toBe(false);
    expect(isRunningLate(booking({ status: 'completed' }), ctx.nowMs)).toBe(false);
    expect(isRunningLate(booking(), Date.parse('2026-11-23T08:59:00Z'))).toBe(false);
  });

  it('a placement: none without a date, people or when cancelled; closed jobs are not editable; signatures split place from look', () => {
    expect(cardPlacement(booking({ slot: null }), undefined, ctx)).toBeNull();
    expect(cardPlacement(booking({ slot: { start: '2026-11-23T09:00:00Z', end: '2026-11-23T11:00:00Z', assignees: [] } }), undefined, ctx)).toBeNull();
    expect(cardPlacement(booking({ status: 'cancelled' }), undefined, ctx)).toBeNull();
    const closed = cardPlacement(booking({ status: 'completed' }), undefined, ctx)!;
    expect([closed.startEditable, closed.durationEditable]).toEqual([false, false]);
    const a = cardPlacement(booking(), undefined, ctx)!;
    const staged = cardPlacement(booking({ staged: true }), undefined, ctx)!;
    expect(staged.sig).toBe(a.sig); // a look change is not a calendar change
    expect(staged.lookSig).not.toBe(a.lookSig);
    const moved = cardPlacement(booking({ slot: { start: '2026-11-23T12:00:00Z', end: '2026-11-23T14:00:00Z', assignees: ['p1'] } }), undefined, ctx)!;
    expect(moved.sig).not.toBe(a.sig);
    expect(cardPlacement(booking(), undefined, { ...ctx, autoResize: true })!.durationEditable).toBe(false);
  });

  it('loads count jobs starting that day per person, and their hours', () => {
    const loads = loadsOn('2026-11-23', [booking(), booking({ id: 'b2', slot: { start: '2026-11-23T13:00:00Z', end: '2026-11-23T13:30:00Z', assignees: ['p1', 'p2'] } }), booking({ id: 'b3', slot: { start: '2026-11-24T09:00:00Z', end: '2026-11-24T10:00:00Z', assignees: ['p1'] } })], ctx);
    expect(loads.get('p1')).toEqual({ jobs: 2, hours: 2.5 });
    expect(loadText(loads.get('p2'))).toBe('1 job · 0.5 h');
    expect(loadText(undefined)).toBe('0 jobs · 0 h');
  });

  it('rows: active providers and inactive ones holding a booking in view; time off clipped to the range', () => {
    const providers = [
      { id: 'p1', active: true, timeOff: [{ id: 't1', start: '2026-11-23T00:00:00Z', end: '2026-11-24T00:00:00Z', reason: '' }] },
      { id: 'p2', active: false, timeOff: [{ id: 't2', start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z', reason: 'Leave' }] },
      { id: 'p3', active: false, timeOff: [] },
    ] as unknown as Provider[];
    const inactive = inactiveWithBookings(providers, [booking({ slot: { start: '2026-11-23T09:00:00Z', end: '2026-11-23T10:00:00Z', assignees: ['p2'] } })]);
    expect(inactive).toEqual(['p2']);
    expect(rowProviders(providers, new Set(inactive)).map((p) => p.id)).toEqual(['p1', 'p2']);
    const blocks = timeOffBlocks(providers, Date.parse('2026-11-23T00:00:00Z'), Date.parse('2026-11-30T00:00:00Z'));
    expect(blocks.map((b) => [b.id, b.reason])).toEqual([['off:p1:t1', 'Time off']]);
  });

  it('a moved card keeps its duration; a team member moved to another row replaces only that person', () => {
    expect(movedSlot({ start: '2026-11-23T09:00:00Z', end: '2026-11-23T11:00:00Z', assignees: ['p1'] }, Date.parse('2026-11-23T14:00:00Z'), ['p2'])).toEqual({
      start: '2026-11-23T14:00:00.000Z',
      end: '2026-11-23T16:00:00.000Z',
      assignees: ['p2'],
    });
    expect(reassigned(['p1', 'p2'], 'p1', 'p3')).toEqual(['p3', 'p2']);
    expect(reassigned(['p1', 'p2'], 'p1', 'p2')).toEqual(['p2']);
    expect(reassigned(['p1'], undefined, 'p3')).toEqual(['p1']);
  });

  it('selection moves along a row and to the nearest card in time on the next row with cards', () => {
    const at = (id: string, row: string, hour: number) => booking({ id, slot: { start: `2026-11-23T${hour}:00:00Z`, end: `2026-11-23T${hour}:30:00Z`, assignees: [row] } });
    const cards = [at('a', 'p1', 10), at('b', 'p1', 14), at('c', 'p3', 11), at('d', 'p3', 16)];
    const rows = ['p1', 'p2', 'p3'];
    expect(nextSelection(cards, rows, { id: null, row: null }, 'down')).toEqual({ id: 'a', row: 'p1' });
    expect(nextSelection(cards, rows, { id: 'a', row: 'p1' }, 'right')).toEqual({ id: 'b', row: 'p1' });
    expect(nextSelection(cards, rows, { id: 'a', row: 'p1' }, 'left')).toEqual({ id: 'a', row: 'p1' });
    expect(nextSelection(cards, rows, { id: 'b', row: 'p1' }, 'down')).toEqual({ id: 'd', row: 'p3' }); // p2 is empty; 16:00 is nearer 14:00
    expect(nextSelection(cards, rows, { id: 'a', row: 'p1' }, 'up')).toBeNull();
  });
});
