/**
 * A write of ours that won only because our clock ran ahead loses when the server's clamp of its stamp
 * arrives, which can be a later message than the entry that now beats it (seen in CI: stamp properties,
 * seed 63207164). The mark must come with the clamp.
 */
import { describe, expect, it } from 'vitest';
import { CLAMPS_MAP, clampsFor } from '../../../core/doc/clamps';
import { entriesByGroup } from '../../../core/doc/group-entries';
import { getBooking, scheduleMaps } from '../../../core/doc/schedule';
import { ACTORS, at, push, seedPair, workspacePair, type WorkspaceReplica } from '../../../core/testing/convergence-scenario';
import { lostWriteMarksDuring } from './lost-write-marks';

const writeNote = (r: WorkspaceReplica, id: string, notes: string) => {
  const result = r.run('updateBooking', { id, notes }, ACTORS[0]);
  if (!result.ok) throw new Error(result.error.message);
};

describe('lost-write marks and the clock-skew guard', () => {
  it('marks our write when the clamp that makes it lose arrives after the entry that beats it', () => {
    const [a, b] = workspacePair();
    const job = seedPair(a, b).bookings.queued;
    // B's clock is a day ahead; A writes half an hour after the server first sees B's stamp.
    b.setNow(at(60 * 24));
    writeNote(b, job, 'from the clock set ahead');
    const notesOf = (r: WorkspaceReplica) => entriesByGroup(scheduleMaps(r.schedule).bookings.get(job)!, (g) => g === 'notes').get('notes')!;
    const ours = notesOf(b)[0]!;
    a.setNow(at(60));
    writeNote(a, job, 'half an hour later');

    // A's entry reaches B first: B's unclamped stamp still wins there, so nothing of B's lost yet.
    const first = lostWriteMarksDuring(b.schedule, ours.replica, () => push(a, b));
    expect(first.size).toBe(0);
    expect(getBooking(b.schedule, job)!.notes).toBe('from the clock set ahead');

    // The server's clamp of B's stamp (recorded when it kept B's update at 12:30) arrives in a message of its own.
    push(b, a);
    const clamps = clampsFor([(ours.value as { _s: string })._s], Date.parse(at(1)));
    expect(clamps.size).toBe(1);
    a.schedule.transact(() => {
      for (const [stamp, wall] of clamps) a.schedule.getMap(CLAMPS_MAP).set(stamp, wall);
    }, 'server');
    const second = lostWriteMarksDuring(b.schedule, ours.replica, () => push(a, b));
    expect(getBooking(b.schedule, job)!.notes).toBe('half an hour later');
    expect(second.get(job)?.map((m) => m.id)).toEqual([`lost-notes-${(ours.value as { _s: string })._s}`]);
    expect(second.get(job)?.[0]?.summary).toMatch(/half an hour later/);
  });
});
