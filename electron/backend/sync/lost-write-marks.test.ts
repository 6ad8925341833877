/**
 * A write of ours that won only because our clock ran ahead loses when the server's clamp of its stamp
 * arrives, which can be a later message than the entry that now beats it (seen in CI: stamp properties,
 * seed 63207164). The mark must come with the clamp. The other way round, a write of ours that lost to a
 * stamp set ahead wins once that stamp's clamp arrives, and its mark must go (seen in CI: the roster
 * lost-write spec under a shifted clock, where each desktop ended up showing the other’s value).
 */
import type * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { CLAMPS_MAP, clampsFor } from '../../../core/doc/clamps';
import { entriesByGroup, type GroupEntry } from '../../../core/doc/group-entries';
import { getProvider, rosterMaps } from '../../../core/doc/roster';
import { getBooking, scheduleMaps } from '../../../core/doc/schedule';
import { ACTORS, at, push, seedPair, workspacePair, type WorkspaceReplica } from '../../../core/testing/convergence-scenario';
import { lostWriteMarksDuring } from './lost-write-marks';
import { rosterLostWriteMarksDuring } from './roster-lost-write-marks';

function must(result: { ok: true } | { ok: false; error: { message: string } }): void {
  if (!result.ok) throw new Error(result.error.message);
}

const writeNote = (r: WorkspaceReplica, id: string, notes: string) => must(r.run('updateBooking', { id, notes }, ACTORS[0]));

const notesOf = (r: WorkspaceReplica, job: string) => entriesByGroup(scheduleMaps(r.schedule).bookings.get(job)!, (g) => g === 'notes').get('notes')!;

/** Records, as the server does in its own transaction, the clamp of `entry`'s stamp seen at `seenAt`; how many. */
function clampAsServer(doc: Y.Doc, entry: GroupEntry, seenAt: string): number {
  const clamps = clampsFor([(entry.value as { _s: string })._s], Date.parse(seenAt));
  doc.transact(() => {
    for (const [stamp, wall] of clamps) doc.getMap(CLAMPS_MAP).set(stamp, wall);
  }, 'server');
  return clamps.size;
}

describe('lost-write marks and the clock-skew guard', () => {
  it('marks our write when the clamp that makes it lose arrives after the entry that beats it', () => {
    const [a, b] = workspacePair();
    const job = seedPair(a, b).bookings.queued;
    // B's clock is a day ahead; A writes half an hour after the server first sees B's stamp.
    b.setNow(at(60 * 24));
    writeNote(b, job, 'from the clock set ahead');
    const ours = notesOf(b, job)[0]!;
    a.setNow(at(60));
    writeNote(a, job, 'half an hour later');

    // A's entry reaches B first: B's unclamped stamp still wins there, so nothing of B's lost yet.
    const first = lostWriteMarksDuring(b.schedule, ours.replica, () => push(a, b));
    expect(first.marks.size).toBe(0);
    expect(getBooking(b.schedule, job)!.notes).toBe('from the clock set ahead');

    // The server's clamp of B's stamp (recorded when it kept B's update at 12:30) arrives in a message of its own.
    push(b, a);
    expect(clampAsServer(a.schedule, ours, at(1))).toBe(1);
    const second = lostWriteMarksDuring(b.schedule, ours.replica, () => push(a, b));
    expect(getBooking(b.schedule, job)!.notes).toBe('half an hour later');
    expect(second.marks.get(job)?.map((m) => m.id)).toEqual([`lost-notes-${(ours.value as { _s: string })._s}`]);
    expect(second.marks.get(job)?.[0]?.summary).toMatch(/half an hour later/);
    expect(second.withdrawn.get(job)).toBeUndefined();
  });

  it('withdraws the mark of our write when the clamp of the stamp that beat it arrives later and ours wins again', () => {
    const [a, b] = workspacePair();
    const job = seedPair(a, b).bookings.queued;
    // A's clock is a day ahead; B writes half an hour after the server first sees A's stamp.
    a.setNow(at(60 * 24));
    writeNote(a, job, 'from the clock set ahead');
    const theirs = notesOf(a, job)[0]!;
    b.setNow(at(60));
    writeNote(b, job, 'half an hour later');
    const ours = notesOf(b, job)[0]!;
    const ourMark = `lost-notes-${(ours.value as { _s: string })._s}`;

    // A's entry reaches B before the server's clamp of it: B's write loses, for now, and is marked.
    const first = lostWriteMarksDuring(b.schedule, ours.replica, () => push(a, b));
    expect(getBooking(b.schedule, job)!.notes).toBe('from the clock set ahead');
    expect(first.marks.get(job)?.map((m) => m.id)).toEqual([ourMark]);

    // The clamp arrives in a message of its own: A's stamp counts as 12:30, B's write wins, the mark goes.
    expect(clampAsServer(a.schedule, theirs, at(30))).toBe(1);
    const second = lostWriteMarksDuring(b.schedule, ours.replica, () => push(a, b));
    expect(getBooking(b.schedule, job)!.notes).toBe('half an hour later');
    expect(second.marks.size).toBe(0);
    expect(second.withdrawn.get(job)).toEqual([ourMark]);
  });

  it('withdraws a roster record’s mark the same way: a provider’s phone that wins once the clamp is in', () => {
    const [a, b] = workspacePair();
    const provider = seedPair(a, b).providers[0]!;
    const phoneEntries = (r: WorkspaceReplica) => entriesByGroup(rosterMaps(r.roster).providers.get(provider)!, (g) => g === 'profile').get('profile')!;
    a.setNow(at(60 * 24));
    must(a.run('updateProvider', { id: provider, phone: '+1 312 555 0111' }, ACTORS[0]));
    const theirs = phoneEntries(a)[0]!;
    b.setNow(at(60));
    must(b.run('updateProvider', { id: provider, phone: '+1 312 555 0222' }, ACTORS[0]));
    const ours = phoneEntries(b)[0]!;
    const ourMark = `lost-providers-${provider}-profile-${(ours.value as { _s: string })._s}`;

    const first = rosterLostWriteMarksDuring(b.roster, ours.replica, () => push(a, b));
    expect(getProvider(b.roster, provider)!.phone).toBe('+1 312 555 0111');
    expect(first.map((r) => ({ id: r.id, marks: r.marks.map((m) => m.entryId), withdrawn: r.withdrawn }))).toEqual([{ id: provider, marks: [ourMark], withdrawn: [] }]);

    expect(clampAsServer(a.roster, theirs, at(30))).toBe(1);
    const second = rosterLostWriteMarksDuring(b.roster, ours.replica, () => push(a, b));
    expect(getProvider(b.roster, provider)!.phone).toBe('+1 312 555 0222');
    expect(second.find((r) => r.id === provider)).toMatchObject({ marks: [], withdrawn: [ourMark] });
  });
});
