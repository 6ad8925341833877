/**
 * The worker compares only what a transaction touched. A clamp recorded in a later message than the
 * entries it settles changes no booking map, yet can change which entry wins: the booking holding the
 * clamped stamp must be compared again, or the worker would keep the old winner until a sweep.
 */
import type * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { CLAMPS_MAP, clampsFor } from '../../../core/doc/clamps';
import { entriesByGroup } from '../../../core/doc/group-entries';
import { getBooking, scheduleMaps } from '../../../core/doc/schedule';
import { ACTORS, at, push, seedPair, workspacePair } from '../../../core/testing/convergence-scenario';
import { noteTouched, type Touched } from './touched';

function touchedBy(doc: Y.Doc, change: () => void): Touched {
  const touched: Touched = { bookings: new Set(), requests: false };
  const note = (tr: Y.Transaction) => noteTouched(tr, touched);
  doc.on('afterTransaction', note);
  try {
    change();
  } finally {
    doc.off('afterTransaction', note);
  }
  return touched;
}

describe('what a schedule transaction touched', () => {
  it('names the booking whose winner a clamp changed, and only it', () => {
    const [a, b] = workspacePair();
    const { queued, scheduled } = seedPair(a, b).bookings;
    a.setNow(at(60 * 24));
    expect(a.run('updateBooking', { id: queued, notes: 'from the clock set ahead' }, ACTORS[0]).ok).toBe(true);
    b.setNow(at(60));
    expect(b.run('updateBooking', { id: queued, notes: 'an hour later' }, ACTORS[0]).ok).toBe(true);
    push(b, a);
    expect(getBooking(a.schedule, queued)!.notes).toBe('from the clock set ahead');

    const ahead = entriesByGroup(scheduleMaps(a.schedule).bookings.get(queued)!, (g) => g === 'notes')
      .get('notes')!
      .find((e) => e.stamp.wall > Date.parse(at(120)))!;
    const clamps = clampsFor([(ahead.value as { _s: string })._s], Date.parse(at(30)));
    const touched = touchedBy(a.schedule, () =>
      a.schedule.transact(() => clamps.forEach((wall, stamp) => a.schedule.getMap(CLAMPS_MAP).set(stamp, wall)), 'server'),
    );
    expect(getBooking(a.schedule, queued)!.notes).toBe('an hour later');
    expect([...touched.bookings]).toEqual([queued]);
    expect(touched.requests).toBe(false);
    expect(touched.bookings.has(scheduled)).toBe(false);
  });

  it('names a booking changed inside its record, and says when requests changed', () => {
    const [a, b] = workspacePair();
    const { scheduled } = seedPair(a, b).bookings;
    const edit = touchedBy(a.schedule, () => a.run('updateBooking', { id: scheduled, notes: 'gate code 1234' }, ACTORS[0]));
    expect(edit.bookings.has(scheduled)).toBe(true);
    // The request's content does not matter here, only where it was written.
    const requests = a.schedule.getMap<unknown>('notificationRequests');
    const request = touchedBy(a.schedule, () => requests.set('req-1', { at: at(0) }));
    expect(request).toEqual({ bookings: new Set(), requests: true });
  });
});
