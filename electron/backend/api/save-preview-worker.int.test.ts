/**
 * The Save dialog's "who will be notified" (`draft:preview`) against what the sync server's notification
 * worker derives from the request that very Save writes and from the change itself (`requestOutcome` and
 * `transitionEvents`, sync-server/src/notifications/derive.ts), for the same job states: seeded random staged edits on a real local store. Every recipient the
 * preview lists is one the worker tells (or logs as skipped with its reason), about the same jobs, and no one else.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../core/clock';
import { createRng } from '../../../core/demo/random';
import { getBooking, readHistory, scheduleMaps } from '../../../core/doc/schedule';
import type { Slot } from '../../../core/model';
import { fromMs, toMs } from '../../../core/time';
import { NOBODY, requestOutcome, seenOf, transitionEvents } from '../../../sync-server/src/notifications/derive';
import { LocalStore } from '../store/local-store';
import { tempDir } from '../store/testing/temp-dir';
import { BackendApi, directClient } from './backend-api';

const NOW = '2026-11-23T12:00:00Z';
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

async function must<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('Save preview and notification worker', () => {
  it('list the same recipients about the same jobs for every Save (seeded)', async () => {
    const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`save preview vs worker: seed ${seed} (replay with FC_SEED=${seed})`);
    const rng = createRng(seed);
    const tmp = tempDir();
    const store = LocalStore.open(tmp.file('ws.sqlite'), { actor: { id: 'u1', name: 'Dana Dispatcher', role: 'dispatcher' }, clock: fixedClock(toMs(NOW)) });
    cleanups.push(() => {
      store.close();
      tmp.cleanup();
    });
    const client = directClient(new BackendApi(store, { version: 'test', transport: 'websocket' }));
    store.execute('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' }, { id: 'a', name: 'Admin', role: 'admin' });
    const run = (name: string, input: unknown) => must(client.request('commands:run', { name, input })) as Promise<{ id: string }>;
    const techs = [
      (await run('createProvider', { name: 'Ana Silva', channels: { email: true, sms: false, chat: false } })).id,
      (await run('createProvider', { name: 'Bo Chen' })).id,
      (await run('createProvider', { name: 'Cy Park', channels: { email: false, sms: true, chat: true } })).id,
    ];
    const customer = (await run('createCustomer', { name: 'Smith Residence', channels: { email: true, sms: false } })).id;
    const slot = (hour: number, assignees: string[]): Slot => ({ start: fromMs(toMs('2026-11-24T14:00:00Z') + hour * 3_600_000), end: fromMs(toMs('2026-11-24T16:00:00Z') + hour * 3_600_000), assignees });
    const jobs = [
      (await run('createBooking', { title: 'AC repair', customerId: customer, slot: slot(0, [techs[0]!]) })).id,
      (await run('createBooking', { title: 'Panel check', slot: slot(2, [techs[0]!, techs[1]!]) })).id,
      (await run('createBooking', { title: 'Drain cleaning', customerId: customer })).id,
      (await run('createBooking', { title: 'Gutters', customerId: customer, slot: slot(4, [techs[2]!]) })).id,
    ];
    await run('sendToTech', { id: jobs[3]! });
    await run('sendToTech', { id: jobs[1]! });
    const titleOf = (id: string) => getBooking(store.docs.schedule, id)!.title;

    let compared = 0;
    for (let round = 0; round < 12; round++) {
      const picked = jobs.filter(() => rng.next() < 0.5);
      if (picked.length === 0) continue;
      const slots = picked.map((id) => ({ id, slot: rng.next() < 0.15 ? null : slot(rng.int(0, 6), techs.filter(() => rng.next() < 0.5)) }));
      const staged = await client.request('draft:stageMany', { slots });
      if (!staged.ok) continue;
      const notifyProviders = rng.next() < 0.7;
      const notifyCustomers = !notifyProviders || rng.next() < 0.5;
      const preview = await must(client.request('draft:preview', { notifyProviders, notifyCustomers }));
      // What the worker last saw of each job: the Save's change is news against it.
      const seenBefore = new Map(picked.map((id) => [id, seenOf(getBooking(store.docs.schedule, id)!)]));
      const saved = await client.request('draft:save', { notifyProviders, notifyCustomers });
      if (!saved.ok) {
        await must(client.request('draft:discard', {}));
        continue;
      }
      const listed = [...preview.providers, ...preview.customers].map((r) => `${r.kind}:${r.id} ${[...r.bookings].sort().join(', ')}`).sort();
      const ctx = {
        nowMs: toMs(NOW),
        staleAfterMs: 24 * 3_600_000,
        receivedAtMs: toMs(NOW),
        beforeLink: false,
        moveAction: (bookingId: string, moveId: string) => readHistory(store.docs.schedule, bookingId).find((e) => e.id === moveId)?.action,
      };
      const bookingOf = (id: string) => getBooking(store.docs.schedule, id);
      const requestId = saved.value.notificationRequestId;
      const outcome = requestId
        ? requestOutcome(scheduleMaps(store.docs.schedule).notificationRequests.get(requestId)!, bookingOf, () => undefined, ctx)
        : { events: [], skips: [] };
      // Technicians who had been sent a job hear of its move or of losing it whatever the Save chose.
      const transitions = picked.flatMap((id) => transitionEvents(bookingOf(id)!, seenBefore.get(id), ctx).events);
      const about = new Map<string, Set<string>>();
      for (const { recipient, bookingId } of [...outcome.events, ...outcome.skips.map((s) => s.event), ...transitions]) {
        if (recipient === NOBODY || recipient.id === '') continue;
        const key = `${recipient.kind}:${recipient.id}`;
        about.set(key, (about.get(key) ?? new Set()).add(titleOf(bookingId)));
      }
      const told = [...about].map(([key, titles]) => `${key} ${[...titles].sort().join(', ')}`).sort();
      expect(told, JSON.stringify({ round, slots, notifyProviders, notifyCustomers })).toEqual(listed);
      // The jobs are all ahead: nothing is skipped but "nobody to tell".
      expect(outcome.skips.every((s) => s.event.recipient === NOBODY)).toBe(true);
      compared++;
    }
    expect(compared).toBeGreaterThan(2);
  });
});
