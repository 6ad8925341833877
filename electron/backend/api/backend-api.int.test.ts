import { fixedClock } from '../../../core/clock';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { CARD_BOOKING_FIELDS, scheduleMaps, type BackendClient, type CardBooking, type BoardDelta, type Conflict, type Slot } from '../../../core/index';
import { createScaledSchedule } from '../../../core/demo/scale';
import { lcg } from '../../../bench/stats';
import { LocalStore } from '../store/local-store';
import { SCHEMA_VERSION } from '../store/schema';
import { tempDir } from '../store/testing/temp-dir';
import { BackendApi, directClient } from './backend-api';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const actor = { id: 'u1', name: 'Dana Dispatcher', role: 'dispatcher' as const };

function setup() {
  const tmp = tempDir();
  const path = tmp.file('ws.sqlite');
  const opened: LocalStore[] = [];
  const open = () => {
    const store = LocalStore.open(path, { actor, clock: fixedClock(Date.parse('2026-11-23T12:00:00Z')) });
    opened.push(store);
    const api = new BackendApi(store, { version: 'test', transport: 'websocket' });
    return { store, api, client: directClient(api) };
  };
  cleanups.push(() => {
    for (const s of opened) if (s.db.open) s.close();
    tmp.cleanup();
  });
  return { open, path };
}

async function must<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function seed(client: BackendClient, store: LocalStore) {
  const admin = { id: 'a', name: 'Admin', role: 'admin' as const };
  store.execute('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' }, admin);
  const run = (name: string, input: unknown) => must(client.request('commands:run', { name, input })) as Promise<{ id: string }>;
  const ana = (await run('createProvider', { name: 'Ana Silva', channels: { email: true, sms: true, chat: false } })).id;
  const bo = (await run('createProvider', { name: 'Bo Chen' })).id;
  const smith = (await run('createCustomer', { name: 'Smith Residence', channels: { email: false, sms: true } })).id;
  const slotA: Slot = { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: [ana] };
  const slotB: Slot = { start: '2026-11-24T16:00:00Z', end: '2026-11-24T18:00:00Z', assignees: [bo] };
  const job1 = (await run('createBooking', { title: 'AC repair', customerId: smith, slot: slotA })).id;
  const job2 = (await run('createBooking', { title: 'Panel check', slot: slotB })).id;
  const queued = (await run('createBooking', { title: 'Drain cleaning' })).id;
  return { ana, bo, smith, job1, job2, queued, slotA, slotB };
}

const day = { from: '2026-11-24T06:00:00Z', to: '2026-11-25T06:00:00Z' };

describe('backend API over the local store', () => {
  it('stages a board edit without touching the saved schedule, and judges conflicts as after Save', async () => {
    const { open } = setup();
    const { client, store } = open();
    const s = await seed(client, store);
    const drafts: number[] = [];
    client.on('draft:changed', (p) => drafts.push(p.stagedCount));

    // Drag Panel check from Bo's row onto Ana's: overlaps AC repair.
    const moved = { ...s.slotB, assignees: [s.ana] };
    expect(await must(client.request('draft:stage', { id: s.job2, slot: moved }))).toEqual({ stagedCount: 1 });
    expect(drafts).toEqual([1]);
    expect(store.queries.booking(s.job2)?.slot?.assignees).toEqual([s.bo]); // saved schedule unchanged

    const view = await must(client.request('board:getRange', day));
    expect(view.stagedCount).toBe(1);
    const panel = view.bookings.find((b) => b.id === s.job2)!;
    expect(panel).toMatchObject({ staged: true, slot: moved });
    expect(view.conflicts[s.job1]?.map((c) => [c.kind, c.severity])).toContainEqual(['double_booking', 'red']);
    expect(view.conflicts[s.job2]?.find((c) => c.kind === 'double_booking')?.message).toMatch(/Ana Silva is double-booked with "AC repair"/);

    const details = await must(client.request('bookings:get', { id: s.job2 }));
    expect(details.savedSlot?.assignees).toEqual([s.bo]);
    expect(details.conflicts.map((c) => c.kind)).toContain('double_booking');
  });

  it('the board reads and edit deltas carry only what a card needs, equal to the booking', async () => {
    const { open } = setup();
    const { client, store } = open();
    const s = await seed(client, store);
    const fields = [...CARD_BOOKING_FIELDS].sort();
    // A technician's late report shows on the card (issue #19 §5).
    expect(fields).toContain('statusNote');
    const view = await must(client.request('board:getRange', day));
    expect(view.bookings.map((b) => b.id).sort()).toEqual([s.job1, s.job2].sort());
    for (const b of view.bookings) {
      expect(Object.keys(b).sort()).toEqual(fields);
      const full = (await must(client.request('bookings:get', { id: b.id }))).booking;
      expect(b).toEqual(Object.fromEntries(fields.map((k) => [k, full[k]])));
    }
    const staged = await must(client.request('draft:stage', { id: s.job2, slot: { ...s.slotB, assignees: [s.ana] }, view: day }));
    expect(staged.view!.bookings.length).toBeGreaterThan(0);
    for (const b of staged.view!.bookings) expect(Object.keys(b).sort()).toEqual(fields);
    expect(staged.view!.bookings.find((b) => b.id === s.job2)).toMatchObject({ staged: true, slot: { assignees: [s.ana] } });
  });

  it('refuses an illegal drag with the reason and stages nothing', async () => {
    const { open } = setup();
    const { client, store } = open();
    const s = await seed(client, store);
    await must(client.request('commands:run', { name: 'cancelBooking', input: { id: s.job1, reason: 'Customer moved out' } }));
    const refused = await client.request('draft:stage', { id: s.job1, slot: s.slotB });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.message).toMatch(/Cancelled and can no longer be rescheduled/);
    expect(store.drafts.count()).toBe(0);

    const bad = await client.request('draft:stage', { id: s.job2, slot: { ...s.slotB, end: '2026-11-24T10:00:00Z' } });
    expect(!bad.ok && bad.error.fieldErrors).toEqual({ 'slot.end': 'End must be after start' });
    const unknown = await client.request('nope:nothing' as never, {} as never);
    expect(!unknown.ok && unknown.error.code).toBe('unknown_command');
  });

  it('stages several edits all or none, naming the job that refuses them, and discards back to saved', async () => {
    const { open } = setup();
    const { client, store } = open();
    const s = await seed(client, store);
    const later = { start: '2026-11-24T20:00:00Z', end: '2026-11-24T21:00:00Z', assignees: [s.ana] };
    await must(client.request('commands:run', { name: 'cancelBooking', input: { id: s.job1, reason: 'Customer moved out' } }));
    const refused = await client.request('draft:stageMany', { slots: [{ id: s.queued, slot: later }, { id: s.job1, slot: s.slotB }] });
    expect(!refused.ok && refused.error.message).toMatch(/^"AC repair": .*Cancelled/);
    expect(store.drafts.count()).toBe(0);

    const twice = await client.request('draft:stageMany', { slots: [{ id: s.queued, slot: later }, { id: s.queued, slot: null }] });
    expect(!twice.ok && twice.error.message).toMatch(/Each job at most once/);

    const staged = await must(client.request('draft:stageMany', {
      slots: [{ id: s.queued, slot: later }, { id: s.job2, slot: { ...s.slotB, assignees: [s.ana] } }],
      view: day,
    }));
    expect(staged.stagedCount).toBe(2);
    expect(staged.view!.bookings.filter((b) => b.staged).map((b) => b.id).sort()).toEqual([s.queued, s.job2].sort());
    const back = await must(client.request('draft:stageMany', { slots: [{ id: s.queued, discard: true }, { id: s.job2, discard: true }] }));
    expect(back.stagedCount).toBe(0);
    expect(store.queries.booking(s.job2)?.slot?.assignees).toEqual([s.bo]);
  });

  it('previews who is told, then saves the batch as one action with one notification request', async () => {
    const { open } = setup();
    const { client, store } = open();
    const s = await seed(client, store);
    await must(client.request('draft:stage', { id: s.job1, slot: { ...s.slotA, assignees: [s.bo] } }));
    await must(client.request('draft:stage', { id: s.queued, slot: { start: '2026-11-24T20:00:00Z', end: '2026-11-24T21:00:00Z', assignees: [s.ana] } }));

    const preview = await must(client.request('draft:preview', { notifyProviders: true, notifyCustomers: true }));
    expect(preview.changes.map((c) => c.title)).toEqual(['AC repair', 'Drain cleaning']);
    // Ana loses AC repair and gains Drain cleaning; Bo gains AC repair; the Smiths hear about theirs.
    expect(preview.providers.map((p) => [p.name, p.bookings, p.channels])).toEqual([
      ['Ana Silva', ['AC repair', 'Drain cleaning'], ['email', 'sms']],
      ['Bo Chen', ['AC repair'], ['email']],
    ]);
    expect(preview.customers.map((c) => [c.name, c.channels])).toEqual([['Smith Residence', ['sms']]]);
    const quiet = await must(client.request('draft:preview', { notifyProviders: false, notifyCustomers: false }));
    expect(quiet.providers).toEqual([]);

    const changed: string[][] = [];
    client.on('schedule:changed', (p) => changed.push(p.ids));
    const saved = await must(client.request('draft:save', { notifyProviders: true, notifyCustomers: false }));
    expect(saved.saved).toBe(2);
    expect(store.drafts.count()).toBe(0);
    expect(changed).toHaveLength(1);
    expect(changed[0]!.sort()).toEqual([s.job1, s.queued].sort());
    expect(store.queries.booking(s.job1)?.slot?.assignees).toEqual([s.bo]);
    expect(store.queries.booking(s.queued)?.status).toBe('scheduled');
    const requests = [...scheduleMaps(store.docs.schedule).notificationRequests.values()];
    expect(requests).toHaveLength(1);
    // This workspace is linked to no server: the request says so, and the worker will not send old news.
    expect(requests[0]).toMatchObject({ id: saved.notificationRequestId, notifyProviders: true, notifyCustomers: false, reason: 'save', beforeLink: true });
    expect(requests[0]!.bookingIds.sort()).toEqual([s.job1, s.queued].sort());

    // One undo takes back the whole Save, but what was saved may have been sent to people: it comes back
    // as staged edits, for a Save with its own choice of who is told, and the saved schedule is untouched.
    const events: number[] = [];
    client.on('draft:changed', (p) => events.push(p.stagedCount));
    expect(await must(client.request('history:undo', {}))).toEqual({ done: true, staged: 2 });
    expect(events.at(-1)).toBe(2);
    expect(store.queries.booking(s.job1)?.slot?.assignees).toEqual([s.bo]);
    expect(store.queries.booking(s.queued)?.status).toBe('scheduled');
    expect(new Map(store.drafts.list())).toEqual(new Map([[s.job1, s.slotA], [s.queued, null]]));
    const back = await must(client.request('draft:preview', { notifyProviders: true, notifyCustomers: false }));
    expect(back.providers.map((p) => p.name).sort()).toEqual(['Ana Silva', 'Bo Chen']);
    const revert = await must(client.request('draft:save', { notifyProviders: true, notifyCustomers: false }));
    expect(revert.saved).toBe(2);
    expect(store.queries.booking(s.job1)?.slot?.assignees).toEqual([s.ana]);
    expect(store.queries.booking(s.queued)?.slot).toBeNull();
    const after = [...scheduleMaps(store.docs.schedule).notificationRequests.values()];
    expect(after.find((r) => r.id === revert.notificationRequestId)?.bookingIds.sort()).toEqual([s.job1, s.queued].sort());
    // The revert is itself a Save: undone, it stages the other way again; a plain command undoes as ever.
    expect(await must(client.request('history:undo', {}))).toEqual({ done: true, staged: 2 });
    await must(client.request('draft:discard', {}));
    await must(client.request('commands:run', { name: 'updateBooking', input: { id: s.job2, notes: 'Bring the ladder' } }));
    expect(await must(client.request('history:undo', {}))).toEqual({ done: true, staged: 0 });
    expect(store.queries.booking(s.job2)?.notes).toBe('');
  });

  it('discards staged edits, one or all, and keeps them across a restart', async () => {
    const { open } = setup();
    const first = open();
    const s = await seed(first.client, first.store);
    await must(first.client.request('draft:stage', { id: s.job1, slot: null }));
    await must(first.client.request('draft:stage', { id: s.job2, slot: { ...s.slotB, start: '2026-11-24T17:00:00Z', end: '2026-11-24T19:00:00Z' } }));
    expect((await must(first.client.request('queue:list', {}))).map((b) => b.title).sort()).toEqual(['AC repair', 'Drain cleaning']);
    // A staged job is found by the same filter as a saved one: here by its customer's name.
    expect((await must(first.client.request('queue:list', { text: 'smith' }))).map((b) => b.title)).toEqual(['AC repair']);
    first.store.close();

    const { client, store } = open();
    expect(store.drafts.count()).toBe(2);
    const view = await must(client.request('board:getRange', day));
    expect(view.bookings.map((b) => b.id)).toEqual([s.job2]);
    expect(await must(client.request('draft:discard', { id: s.job1 }))).toEqual({ stagedCount: 1 });
    expect(await must(client.request('draft:discard', {}))).toEqual({ stagedCount: 0 });
    const restored = await must(client.request('board:getRange', day));
    expect(restored.bookings.map((b) => [b.id, b.staged, b.slot])).toEqual([
      [s.job1, false, s.slotA],
      [s.job2, false, s.slotB],
    ]);
    const nothing = await client.request('draft:save', { notifyProviders: true, notifyCustomers: true });
    expect(!nothing.ok && nothing.error.message).toMatch(/no staged changes/);
  });

  it('stages, refuses and discards a drop on a workspace just opened without decoding the schedule document', async () => {
    const { open } = setup();
    const first = open();
    const s = await seed(first.client, first.store);
    await must(first.client.request('commands:run', { name: 'cancelBooking', input: { id: s.job2, reason: 'Customer called' } }));
    first.store.close();

    const { client, store } = open();
    expect(store.scheduleLoaded).toBe(false);
    const moved = { ...s.slotA, start: '2026-11-24T18:00:00Z', end: '2026-11-24T20:00:00Z' };
    const staged = await must(client.request('draft:stage', { id: s.job1, slot: moved, view: day }));
    expect(staged.stagedCount).toBe(1);
    expect(staged.view?.bookings.find((b) => b.id === s.job1)).toMatchObject({ staged: true, slot: moved });
    const refused = await client.request('draft:stage', { id: s.job2, slot: moved });
    expect(!refused.ok && refused.error.code).toBe('illegal_transition');
    await must(client.request('draft:stageMany', { slots: [{ id: s.queued, slot: s.slotB }] }));
    expect(await must(client.request('draft:discard', { id: s.queued }))).toEqual({ stagedCount: 1 });
    expect(store.scheduleLoaded).toBe(false);

    // Save is where the document is needed: it commits what was staged.
    await must(client.request('draft:save', { notifyProviders: false, notifyCustomers: false }));
    expect(store.scheduleLoaded).toBe(true);
    expect(store.queries.booking(s.job1)?.slot).toEqual(moved);
  });

  it('lists and searches bookings for the bookings screen and quick search', async () => {
    const { open } = setup();
    const { client, store } = open();
    const s = await seed(client, store);
    expect((await must(client.request('bookings:list', { providerId: s.ana }))).map((b) => b.id)).toEqual([s.job1]);
    expect((await must(client.request('bookings:list', { status: 'unscheduled' }))).map((b) => b.id)).toEqual([s.queued]);
    expect((await must(client.request('bookings:list', { text: 'smith' }))).map((b) => b.id)).toEqual([s.job1]);
    expect((await must(client.request('search:query', { text: 'chen' }))).map((h) => h.label)).toEqual(['Bo Chen']);
    const bad = await client.request('bookings:list', { status: 'lost' as never });
    expect(!bad.ok && Object.keys(bad.error.fieldErrors ?? {})).toEqual(['status']);
  });

  it('migrates a schema-1 workspace to add the draft table without losing data', async () => {
    const { open, path } = setup();
    const first = open();
    const s = await seed(first.client, first.store);
    first.store.close();
    const raw = new Database(path);
    // What schema 1 had: none of the tables later versions added.
    raw.exec('DROP TABLE draft_changes; DROP TABLE sync_pending; DROP TABLE offline_changes');
    raw.pragma('user_version = 1');
    raw.close();
    const { store, client } = open();
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.queries.booking(s.job1)?.title).toBe('AC repair');
    expect(await must(client.request('draft:stage', { id: s.job1, slot: null }))).toEqual({ stagedCount: 1 });
  });
});

describe('no-op changes', () => {
  it('a technician added then removed is no change: nothing staged, nothing saved, nobody notified', async () => {
    const { open } = setup();
    const { client, store } = open();
    const s = await seed(client, store);
    await must(client.request('draft:stage', { id: s.job1, slot: { ...s.slotA, assignees: [s.ana, s.bo] } }));
    expect(store.drafts.count()).toBe(1);
    // Bo taken off again, the instants spelled differently: the job is back where it is saved.
    const back = { start: '2026-11-24T15:00:00.000Z', end: s.slotA.end, assignees: [s.ana] };
    expect(await must(client.request('draft:stage', { id: s.job1, slot: back }))).toEqual({ stagedCount: 0 });
    const preview = await must(client.request('draft:preview', { notifyProviders: true, notifyCustomers: true }));
    expect(preview).toEqual({ changes: [], providers: [], customers: [] });
    const historyBefore = store.queries.booking(s.job1)!;
    const refused = await client.request('draft:save', { notifyProviders: true, notifyCustomers: true });
    expect(!refused.ok && refused.error.message).toBe('There are no staged changes to save');
    expect(store.queries.booking(s.job1)).toEqual(historyBefore);
    expect([...scheduleMaps(store.docs.schedule).notificationRequests.values()]).toEqual([]);
  });

  it('a staged edit that another change made true is left out of the preview and the Save', async () => {
    const { open } = setup();
    const { client, store } = open();
    const s = await seed(client, store);
    const toBo = { ...s.slotA, assignees: [s.bo] };
    await must(client.request('draft:stage', { id: s.job1, slot: toBo }));
    await must(client.request('draft:stage', { id: s.job2, slot: { ...s.slotB, assignees: [s.ana] } }));
    // The same move arrives from elsewhere (here: a committed command) before this desktop saves.
    await must(client.request('commands:run', { name: 'setSlot', input: { id: s.job1, slot: toBo } }));
    const preview = await must(client.request('draft:preview', { notifyProviders: true, notifyCustomers: false }));
    expect(preview.changes.map((c) => c.id)).toEqual([s.job2]);
    const saved = await must(client.request('draft:save', { notifyProviders: true, notifyCustomers: false }));
    expect(saved.saved).toBe(1);
    const [request] = [...scheduleMaps(store.docs.schedule).notificationRequests.values()];
    expect(request?.bookingIds).toEqual([s.job2]);
    expect(store.drafts.count()).toBe(0);
  });

  it('saveChanges itself writes nothing and asks for no notification when every change is a no-op', async () => {
    const { open } = setup();
    const { client, store } = open();
    const s = await seed(client, store);
    const before = store.queries.booking(s.job1)!;
    const result = await must(
      client.request('commands:run', { name: 'saveChanges', input: { changes: [{ id: s.job1, slot: { ...s.slotA, assignees: [s.ana] } }], notifyProviders: true, notifyCustomers: true } }),
    );
    expect(result).toEqual({ saved: 0, notificationRequestId: null });
    expect(store.queries.booking(s.job1)).toEqual(before);
  });
});

describe('staged edits and committed actions on the same job', () => {
  it('drops the staged edit of a job that gets cancelled, so the rest of the Save still works', async () => {
    const { open } = setup();
    const { client, store } = open();
    const s = await seed(client, store);
    const counts: number[] = [];
    client.on('draft:changed', (p) => counts.push(p.stagedCount));
    await must(client.request('draft:stage', { id: s.job1, slot: { ...s.slotA, assignees: [s.bo] } }));
    await must(client.request('draft:stage', { id: s.job2, slot: { ...s.slotB, assignees: [s.ana] } }));
    await must(client.request('commands:run', { name: 'cancelBooking', input: { id: s.job1, reason: 'Customer cancelled' } }));
    expect(store.drafts.count()).toBe(1);
    expect(counts.at(-1)).toBe(1);
    const saved = await must(client.request('draft:save', { notifyProviders: false, notifyCustomers: false }));
    expect(saved.saved).toBe(1);
    expect(store.queries.booking(s.job2)?.slot?.assignees).toEqual([s.ana]);
  });

  it('refuses Send to Tech while the job has unsaved board changes', async () => {
    const { open } = setup();
    const { client, store } = open();
    const s = await seed(client, store);
    await must(client.request('draft:stage', { id: s.job1, slot: { ...s.slotA, assignees: [s.bo] } }));
    const refused = await client.request('commands:run', { name: 'sendToTech', input: { id: s.job1 } });
    expect(!refused.ok && refused.error.message).toMatch(/unsaved board changes/);
    expect(store.queries.booking(s.job1)?.status).toBe('scheduled');
    await must(client.request('draft:discard', {}));
    await must(client.request('commands:run', { name: 'sendToTech', input: { id: s.job1 } }));
    expect(store.queries.booking(s.job1)?.status).toBe('dispatched');
  });
});

describe('board deltas: an edit answers with what changed on the board', () => {
  type View = { bookings: CardBooking[]; conflicts: Record<string, Conflict[]> };
  /** Order-free form of a board: bookings by id, conflicts by id as sorted lists, empty lists dropped. */
  const normal = (v: View) => ({
    bookings: Object.fromEntries(v.bookings.map((b) => [b.id, b])),
    conflicts: Object.fromEntries(
      Object.entries(v.conflicts)
        .filter(([, list]) => list.length > 0)
        .map(([id, list]) => [id, list.map((c) => JSON.stringify(c)).sort()]),
    ),
  });
  /** What the board does with a delta: replace the listed bookings and their conflicts, drop the gone. */
  const apply = (v: View, d: BoardDelta): View => {
    const ids = new Set([...d.bookings.map((b) => b.id), ...d.gone]);
    const conflicts = { ...v.conflicts };
    for (const id of ids) delete conflicts[id];
    Object.assign(conflicts, d.conflicts);
    return { bookings: [...v.bookings.filter((b) => !ids.has(b.id)), ...d.bookings], conflicts };
  };
  const sameBoard = (a: View, b: View) => expect(normal(a)).toEqual(normal(b));

  it('stage, unstage and Save: the previous board plus the delta is the board read afresh', async () => {
    const { open } = setup();
    const { client, store } = open();
    const admin = { id: 'a', name: 'Admin', role: 'admin' as const };
    const summary = store.batch(() =>
      createScaledSchedule((name, input, by) => store.execute(name, input, by ?? admin), {
        providers: 6,
        bookings: 180,
        startDate: '2026-11-23',
        days: 7,
        overlapFraction: 0.25,
        seed: 5,
      }),
    );
    // Three days of a week: edits move bookings in and out of the range, and onto and off rows.
    const view = { from: '2026-11-24T06:00:00Z', to: '2026-11-27T06:00:00Z' };
    const rand = lcg(9);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
    let board: View = await must(client.request('board:getRange', view));
    let staged = 0;
    for (let i = 0; i < 60; i++) {
      const b = pick(board.bookings.filter((x) => x.slot));
      const shift = (Math.floor(rand() * 9) - 4) * 6 * 3_600_000 + Math.floor(rand() * 8) * 900_000;
      const roll = rand();
      const assignees = roll < 0.1 ? [] : roll < 0.25 ? [pick(summary.providerIds), pick(summary.providerIds)] : [pick(summary.providerIds)];
      const slot = {
        start: new Date(Date.parse(b.slot!.start) + shift).toISOString(),
        end: new Date(Date.parse(b.slot!.end) + shift).toISOString(),
        assignees: [...new Set(assignees)],
      };
      const undo = rand() < 0.15 && b.staged;
      const r = undo
        ? await client.request('draft:discard', { id: b.id, view })
        : await client.request('draft:stage', { id: b.id, slot, view });
      if (!r.ok) continue; // refused like the board would be (e.g. a closed job)
      staged++;
      const fresh = await must(client.request('board:getRange', view));
      expect(r.value.view!.stagedCount).toBe(fresh.stagedCount);
      sameBoard(apply(board, r.value.view!), fresh);
      board = fresh;
    }
    expect(staged).toBeGreaterThan(30);
    const stagedIds = board.bookings.filter((b) => b.staged).map((b) => b.id);
    const saved = await must(client.request('draft:save', { notifyProviders: false, notifyCustomers: false, view }));
    const fresh = await must(client.request('board:getRange', view));
    expect(fresh.stagedCount).toBe(0);
    expect(saved.view!.bookings.every((b) => !b.staged)).toBe(true);
    // Save moves nothing the board did not show already: its answer names the saved cards alone.
    expect(saved.view!.bookings.map((b) => b.id).sort()).toEqual(stagedIds.sort());
    sameBoard(apply(board, saved.view!), fresh);
  });

  it('without a view the answers stay as they were', async () => {
    const { open } = setup();
    const { client, store } = open();
    const s = await seed(client, store);
    expect(await must(client.request('draft:stage', { id: s.job2, slot: { ...s.slotB, assignees: [s.ana] } }))).toEqual({ stagedCount: 1 });
    expect(await must(client.request('draft:discard', { id: s.job2 }))).toEqual({ stagedCount: 0 });
    const bad = await client.request('draft:stage', { id: s.job2, slot: s.slotB, view: { from: day.to, to: day.from } });
    expect(!bad.ok && bad.error.code).toBe('validation');
  });
});

describe('concurrent offline moves reach the job panel', () => {
  it('after two stores exchange updates, both panels name the kept move and the one not applied, with authors', async () => {
    const first = setup().open();
    const second = setup().open();
    second.store.setActor({ id: 'u2', name: 'Erin Office', role: 'dispatcher' });
    const { job1, bo } = await seed(first.client, first.store);
    const exchange = () => {
      for (const doc of ['roster', 'schedule'] as const) {
        const a = first.store.docs[doc];
        const b = second.store.docs[doc];
        second.store.applyUpdate(doc, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
        first.store.applyUpdate(doc, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
      }
    };
    exchange();
    await must(first.client.request('commands:run', { name: 'moveBooking', input: { id: job1, start: '2026-11-24T19:00:00Z' } }));
    await must(second.client.request('commands:run', { name: 'setTeam', input: { id: job1, assignees: [bo] } }));
    const before = await must(first.client.request('bookings:get', { id: job1 }));
    expect(before.concurrentMoves).toBeNull();
    exchange();

    const onFirst = await must(first.client.request('bookings:get', { id: job1 }));
    const onSecond = await must(second.client.request('bookings:get', { id: job1 }));
    expect(onSecond.concurrentMoves).toEqual(onFirst.concurrentMoves);
    const moves = onFirst.concurrentMoves!;
    expect([moves.winner.by.name, ...moves.lost.map((m) => m.by.name)].sort()).toEqual(['Dana Dispatcher', 'Erin Office']);
    expect(onFirst.booking.slot).toEqual(moves.winner.action === 'move'
      ? { start: '2026-11-24T19:00:00Z', end: '2026-11-24T21:00:00Z', assignees: [onFirst.booking.slot!.assignees[0]] }
      : expect.objectContaining({ start: '2026-11-24T15:00:00Z', assignees: [bo] }));
  });
});
