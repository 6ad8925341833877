import { describe, expect, it } from 'vitest';
import { arrivalWindowFits, saveAudience, saveChanges, saveNotices, toldWhateverChosen } from './save-audience';

const slot = (start: string, end: string, assignees: string[]) => ({ start, end, assignees });
const A = slot('2026-11-24T15:00:00Z', '2026-11-24T16:00:00Z', ['ana', 'ben']);

describe('save audience (the Save preview and the notification worker)', () => {
  it('tells technicians on the job "updated", added ones "assigned", removed ones "unassigned", and the customer', () => {
    const B = slot('2026-11-24T19:00:00Z', '2026-11-24T20:00:00Z', ['ben', 'cat']);
    const notices = saveAudience({ before: A, after: B, customerId: 'dee', notifyProviders: true, notifyCustomers: true });
    expect(notices.map((n) => `${n.kind}:${n.recipient.id}`)).toEqual(['unassigned:ana', 'updated:ben', 'assigned:cat', 'scheduled:dee']);
    expect(saveAudience({ before: A, after: B, customerId: 'dee', notifyProviders: false, notifyCustomers: true })).toHaveLength(1);
    expect(saveAudience({ before: A, after: B, customerId: null, notifyProviders: false, notifyCustomers: true })).toEqual([]);
    expect(saveChanges(A, B)).toEqual(['time', 'team']);
    expect(saveChanges(A, { ...A, assignees: ['ben', 'ana'] })).toEqual([]);
  });

  it('technicians who had been sent the job hear of its move or of losing it whatever the Save chose', () => {
    const moved = slot('2026-11-24T19:00:00Z', '2026-11-24T20:00:00Z', ['ben', 'cat']);
    const quiet = { before: A, after: moved, customerId: 'dee', notifyProviders: false, notifyCustomers: false };
    expect(toldWhateverChosen('en_route', A, moved).map((n) => `${n.kind}:${n.recipient.id}`)).toEqual(['unassigned:ana', 'updated:ben']);
    // Same time, Ana swapped out: only she hears; Ben's job did not change for him.
    expect(toldWhateverChosen('dispatched', A, { ...A, assignees: ['ben'] }).map((n) => `${n.kind}:${n.recipient.id}`)).toEqual(['unassigned:ana']);
    // Recalled to the queue: everyone who was sent it.
    expect(toldWhateverChosen('in_progress', A, null).map((n) => `${n.kind}:${n.recipient.id}`)).toEqual(['unassigned:ana', 'unassigned:ben']);
    // Not sent yet: the Save's choice stands.
    expect(toldWhateverChosen('scheduled', A, moved)).toEqual([]);
    expect(saveNotices({ ...quiet, status: 'scheduled' })).toEqual([]);
    expect(saveNotices({ ...quiet, status: 'dispatched' }).map((n) => `${n.kind}:${n.recipient.id}`)).toEqual(['unassigned:ana', 'updated:ben']);
    // With "notify" on, each is listed once, as the Save's audience says.
    expect(saveNotices({ ...quiet, notifyProviders: true, status: 'dispatched' }).map((n) => `${n.kind}:${n.recipient.id}`)).toEqual([
      'unassigned:ana',
      'updated:ben',
      'assigned:cat',
    ]);
  });

  it('an arrival window fits when the job starts inside it', () => {
    const window = { start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:00:00Z' };
    expect(arrivalWindowFits(window, { start: '2026-11-24T15:30:00Z' })).toBe(true);
    expect(arrivalWindowFits(window, { start: '2026-11-24T19:00:00Z' })).toBe(false);
    expect(arrivalWindowFits(null, { start: '2026-11-24T19:00:00Z' })).toBe(true);
  });
});
