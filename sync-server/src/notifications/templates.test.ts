import { describe, expect, it } from 'vitest';
import { listCustomers, listProviders, listServices, readSettings } from '../../../core/doc/roster';
import { getBooking, listBookings } from '../../../core/doc/schedule';
import { buildRouteSheets } from '../../../core/route-sheets/route-sheet';
import { createWorkspace } from '../../../core/testing/fixture';
import { formatterFor } from '../../../core/format';
import { renderBatch, renderDailySchedule, whenLabel, type TemplateWorld } from './templates';

function world(timeFormat: '12h' | '24h' = '24h') {
  const ws = createWorkspace({ now: '2026-10-30T12:00:00Z' });
  ws.must('initializeOrganization', { name: 'Northwind <Home> Services', timeZone: 'America/Chicago', timeFormat });
  const ana = ws.must('createProvider', { name: 'Ana Alvarez', email: 'ana@example.com' }).id;
  const ben = ws.must('createProvider', { name: 'Ben Brown' }).id;
  const customer = ws.must('createCustomer', { name: 'Dee Dawson', phone: '+1 312 555 0100', notes: 'Gate code 1234' }).id;
  const service = ws.must('createService', { name: 'Furnace tune-up' }).id;
  const job = ws.must('createBooking', {
    title: 'Tune-up at Dawson',
    customerId: customer,
    serviceId: service,
    notes: 'Bring filters & <the> ladder',
    location: { address: '12 Oak St, Chicago', coordinates: null },
    arrivalWindow: { start: '2026-11-01T14:00:00Z', end: '2026-11-01T16:00:00Z' },
    slot: { start: '2026-11-01T14:00:00Z', end: '2026-11-01T17:00:00Z', assignees: [ana, ben] },
  }).id;
  const tw = (): TemplateWorld => ({
    settings: readSettings(ws.roster),
    providers: new Map(listProviders(ws.roster).map((p) => [p.id, p])),
    customers: new Map(listCustomers(ws.roster).map((c) => [c.id, c])),
    services: new Map(listServices(ws.roster).map((s) => [s.id, s])),
  });
  return { ws, ana, ben, customer, job, tw };
}

describe('templates', () => {
  it('give the window in the organization’s zone with its abbreviation, across DST', () => {
    const chicago24 = formatterFor({ timeZone: 'America/Chicago', timeFormat: '24h' });
    expect(whenLabel('2026-11-01T14:00:00Z', '2026-11-01T16:00:00Z', chicago24)).toBe('Sun, Nov 1, 2026, 08:00–10:00 CST');
    expect(whenLabel('2026-10-31T14:00:00Z', '2026-10-31T16:00:00Z', chicago24)).toBe('Sat, Oct 31, 2026, 09:00–11:00 CDT');
    // The repeated hour of the fall-back night: 01:30 CDT to 01:30 CST.
    expect(whenLabel('2026-11-01T06:30:00Z', '2026-11-01T07:30:00Z', chicago24)).toBe('Sun, Nov 1, 2026, 01:30–01:30 CDT/CST');
    expect(whenLabel('2026-11-24T04:00:00Z', '2026-11-24T08:00:00Z', chicago24)).toBe('Mon, Nov 23, 2026, 22:00 CST – Tue, Nov 24, 2026, 02:00 CST');
  });

  it('tell a technician the job with time, address, notes, customer and team mates; HTML is escaped', () => {
    const { ws, ana, job, tw } = world();
    const message = renderBatch(tw(), { kind: 'provider', id: ana }, [{ bookingId: job, booking: getBooking(ws.schedule, job), kinds: ['dispatched'] }])!;
    expect(message.subject).toBe('Sent to you: Tune-up at Dawson');
    expect(message.text).toContain('Hi Ana Alvarez,');
    expect(message.text).toContain('When: Sun, Nov 1, 2026, 08:00–11:00 CST');
    expect(message.text).toContain('Arrival window: Sun, Nov 1, 2026, 08:00–10:00 CST');
    expect(message.text).toContain('Address: 12 Oak St, Chicago');
    expect(message.text).toContain('Customer: Dee Dawson, +1 312 555 0100');
    expect(message.text).toContain('With: Ben Brown');
    expect(message.text).toContain('Access notes: Gate code 1234');
    expect(message.text).toContain('Notes: Bring filters & <the> ladder');
    expect(message.html).toContain('Bring filters &amp; &lt;the&gt; ladder');
    expect(message.html).toContain('Northwind &lt;Home&gt; Services');
    expect(message.html).not.toContain('<the>');
    expect(message.short).toContain('Sent to you: Tune-up at Dawson, Sun, Nov 1, 2026, 08:00–11:00 CST, 12 Oak St, Chicago');
  });

  it('batch several jobs in one message, and say nothing about a job added and removed within the batch', () => {
    const { ws, ana, ben, job, tw } = world();
    const other = ws.must('createBooking', { title: 'Second job', slot: { start: '2026-11-02T15:00:00Z', end: '2026-11-02T16:00:00Z', assignees: [ben] } }).id;
    const both = renderBatch(tw(), { kind: 'provider', id: ben }, [
      { bookingId: job, booking: getBooking(ws.schedule, job), kinds: ['updated'] },
      { bookingId: other, booking: getBooking(ws.schedule, other), kinds: ['assigned', 'updated'] },
    ])!;
    expect(both.subject).toBe('2 job updates from Northwind <Home> Services');
    expect(both.text).toContain('Job changed: Tune-up at Dawson');
    expect(both.text).toContain('New job for you: Second job');
    // Ana was added to "Second job" and taken off again before the batch closed.
    expect(renderBatch(tw(), { kind: 'provider', id: ana }, [{ bookingId: other, booking: getBooking(ws.schedule, other), kinds: ['assigned', 'unassigned'] }])).toBeNull();
    // Ben was taken off: he hears it.
    ws.must('setTeam', { id: job, assignees: [ana] });
    const off = renderBatch(tw(), { kind: 'provider', id: ben }, [{ bookingId: job, booking: getBooking(ws.schedule, job), kinds: ['unassigned'] }])!;
    expect(off.subject).toBe('Removed from job: Tune-up at Dawson');
  });

  it('tell a customer who is on the way, without the office’s notes', () => {
    const { ws, ana, customer, job, tw } = world();
    ws.must('sendToTech', { id: job });
    ws.must('updateStatus', { id: job, status: 'en_route' }, { id: 'u', name: 'Ana Alvarez', role: 'technician', providerId: ana });
    const message = renderBatch(tw(), { kind: 'customer', id: customer }, [{ bookingId: job, booking: getBooking(ws.schedule, job), kinds: ['on_the_way'] }])!;
    expect(message.subject).toBe('Your technician Ana Alvarez and Ben Brown are on the way — Northwind <Home> Services');
    expect(message.text).toContain('Arrival window: Sun, Nov 1, 2026, 08:00–10:00 CST');
    expect(message.text).not.toContain('ladder');
    expect(message.text).not.toContain('Gate code');
  });

  it('render the daily schedule from the route-sheet model', () => {
    const { ws, ana } = world();
    const input = {
      settings: readSettings(ws.roster),
      providers: listProviders(ws.roster),
      customers: listCustomers(ws.roster),
      services: listServices(ws.roster),
      bookings: listBookings(ws.schedule),
    };
    const sheets = buildRouteSheets(input, { date: '2026-11-01', providerIds: [ana] });
    const message = renderDailySchedule(sheets, sheets.sheets[0]!);
    expect(message.subject).toBe('Your schedule for Sunday, November 1, 2026 (1 job)');
    expect(message.text).toContain('1. 08:00 CST–11:00 CST: Tune-up at Dawson');
    expect(message.text).toContain('Address: 12 Oak St, Chicago');
  });

  it('write a US organization’s times in 12 h: the customer email says 9:00 AM', () => {
    const { ws, customer, tw } = world('12h');
    const job = ws.must('createBooking', {
      title: 'Leaky faucet',
      customerId: customer,
      arrivalWindow: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z' },
      slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:30:00Z', assignees: [] },
    }).id;
    const message = renderBatch(tw(), { kind: 'customer', id: customer }, [{ bookingId: job, booking: getBooking(ws.schedule, job), kinds: ['updated'] }])!;
    expect(message.text).toContain('Arrival window: Tue, Nov 24, 2026, 9:00 AM–11:00 AM CST');
    expect(message.html).toContain('Tue, Nov 24, 2026, 9:00 AM–11:00 AM CST');
    expect(message.short).toContain('9:00 AM–11:00 AM CST');
    expect(message.text).not.toMatch(/\b09:00\b/);
  });

  it('join three names with Intl.ListFormat and count jobs with Intl.PluralRules', () => {
    const { ws, ana, ben, customer, job, tw } = world('12h');
    const cy = ws.must('createProvider', { name: 'Cy Chen' }).id;
    ws.must('setTeam', { id: job, assignees: [ana, ben, cy] });
    ws.must('sendToTech', { id: job });
    ws.must('updateStatus', { id: job, status: 'en_route' }, { id: 'u', name: 'Ana Alvarez', role: 'technician', providerId: ana });
    const message = renderBatch(tw(), { kind: 'customer', id: customer }, [{ bookingId: job, booking: getBooking(ws.schedule, job), kinds: ['on_the_way'] }])!;
    expect(message.subject).toBe('Your technician Ana Alvarez, Ben Brown, and Cy Chen are on the way — Northwind <Home> Services');
    const sheets = buildRouteSheets(
      { settings: readSettings(ws.roster), providers: listProviders(ws.roster), customers: listCustomers(ws.roster), services: listServices(ws.roster), bookings: listBookings(ws.schedule) },
      { date: '2026-11-01', providerIds: [ana] },
    );
    const daily = renderDailySchedule(sheets, sheets.sheets[0]!);
    expect(daily.subject).toBe('Your schedule for Sunday, November 1, 2026 (1 job)');
    expect(daily.text).toContain('1. 8:00 AM CST–11:00 AM CST: Tune-up at Dawson');
    expect(daily.text).toContain('With: Ben Brown and Cy Chen');
  });
});
