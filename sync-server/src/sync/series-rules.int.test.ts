/**
 * The document rules for recurring series (core/doc/update-rules.ts) at a real server: a client with a valid
 * token writes into the `series` and `seriesOccurrences` maps what no honest console would, over a raw
 * socket. Each update is refused whole with 4422 and the reason; the room keeps its state (in memory and on
 * disk) and the other console never sees it. A valid series write from the same token passes and reaches it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { executeCommand } from '../../../core/commands/index';
import { sequentialIds } from '../../../core/testing/fixture';
import { occurrenceId } from '../../../core/recurrence/occurrence';
import { getSeries, seriesMaps, seriesRecordOf } from '../../../core/recurrence/series-doc';
import { updateRefusedReason } from '../../../core/sync/update-refused';
import { OrgClient } from '../notifications/testing/org-client';
import { ORG_A, RawClient, syncStep1, syncUpdate, waitUntil } from './testing/harness';
import { SCHEDULE, startOrgRig, updateAfter, type OrgRig } from './testing/org-rig';
import { loadDoc } from './room';
import { captureLog } from '../testing/capture-log';

describe('series rules at the server', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Northwind with a weekly series made by its admin, and a dispatcher's console connected throughout. */
  async function rig() {
    const said = captureLog();
    const r = await startOrgRig({ seriesHorizonCheckEveryMs: 0, log: said.log });
    const series = r.admin.run('createSeries', {
      title: 'Office cleaning',
      customerId: r.ids.dee,
      assignees: [r.ids.ana],
      startDate: '2026-11-24',
      startTime: '09:00',
      durationMinutes: 90,
      repeat: { freq: 'weekly', weekdays: ['tue', 'fri'] },
      horizonWeeks: 2,
    }).id;
    await r.admin.pushedTo(r.docs);
    const other = await new OrgClient(r.t.wsUrl, ORG_A, 'dispatcher-a', r.clock).connect();
    cleanups.push(async () => {
      other.disconnect();
      r.admin.disconnect();
      await r.t.stop();
    });
    return { ...r, other, series, said };
  }

  async function send(r: OrgRig, token: string, update: Uint8Array) {
    const raw = await RawClient.open(r.t.wsUrl, SCHEDULE, token);
    cleanups.push(() => raw.close());
    raw.send(syncStep1(new Y.Doc()));
    raw.send(syncUpdate(update));
    return raw;
  }

  type Bad = [name: string, change: (doc: Y.Doc, series: string) => void, reason: (series: string) => string];
  const record = (doc: Y.Doc, id: string) => seriesRecordOf(doc, id)!;
  const bad: Bad[] = [
    [
      'an RRULE core does not read',
      (doc, series) => record(doc, series).set('rule', { rrule: 'FREQ=DAILY;INTERVAL=1', dtstart: '2026-11-24T09:00', changed: null }),
      (series) => `series ${series}: rule: rrule: Repeat weekly or monthly`,
    ],
    [
      'a template of the wrong type',
      (doc, series) => record(doc, series).set('template', { ...(record(doc, series).get('template') as object), teamSize: 'two' }),
      (series) => `series ${series}: template: teamSize: expected number, received string`,
    ],
    [
      'an occurrence link of the wrong shape',
      (doc, series) => seriesMaps(doc).occurrences.set(occurrenceId(series, '2026-11-27'), { seriesId: series, date: 27 }),
      (series) => `series occurrence ${occurrenceId(series, '2026-11-27')}: date: Must be a date like 2026-11-23`,
    ],
    [
      'an entry of the series log removed',
      (doc, series) => (record(doc, series).get('log') as Y.Array<unknown>).delete(0, 1),
      (series) => `series ${series}: log entries cannot be removed`,
    ],
  ];

  it.each(bad)('refuses %s (4422) and keeps the room as it was', async (_name, change, reason) => {
    const r = await rig();
    const before = Y.snapshot(r.docs().schedule);

    const raw = await send(r, 'dispatcher-a', updateAfter(r.docs().schedule, (doc) => change(doc, r.series)));

    expect(await raw.closed).toEqual({ code: 4422, reason: updateRefusedReason(reason(r.series)) });
    expect(Y.equalSnapshots(Y.snapshot(r.docs().schedule), before)).toBe(true);
    expect(Y.equalSnapshots(Y.snapshot(loadDoc(r.t.server.store, SCHEDULE)), before)).toBe(true);
    expect(r.said.events('update_refused').map(({ userId, role, room, reason }) => ({ userId, role, room, reason }))).toEqual([
      { userId: 'user-dispatcher-a', role: 'dispatcher', room: SCHEDULE, reason: reason(r.series) },
    ]);
    // The series still reads the same everywhere.
    expect(getSeries(r.docs().schedule, r.series)?.rule.rrule).toBe('FREQ=WEEKLY;INTERVAL=1;BYDAY=TU,FR;WKST=MO');
    expect(Y.equalSnapshots(Y.snapshot(r.other.schedule), Y.snapshot(r.docs().schedule))).toBe(true);
  });

  it('takes a valid series edit from the same token, and the other console receives it', async () => {
    const r = await rig();
    // What a console's "edit the whole series" sends: the command run on a copy of the room's schedule.
    const rename = updateAfter(r.docs().schedule, (schedule) => {
      const roster = new Y.Doc();
      Y.applyUpdate(roster, Y.encodeStateAsUpdate(r.docs().roster));
      const actor = { id: 'user-dispatcher-a', name: 'Dana', role: 'dispatcher' as const };
      const result = executeCommand(
        { roster, schedule, actor, now: () => r.clock.iso(), newId: sequentialIds(0x55) },
        'updateSeries',
        { id: r.series, title: 'Deep cleaning', repeat: { freq: 'weekly', weekdays: ['tue'] } },
        'local',
      );
      expect(result.ok).toBe(true);
    });
    const raw = await send(r, 'dispatcher-a', rename);
    await waitUntil(() => getSeries(r.other.schedule, r.series)?.template.title === 'Deep cleaning', 5000, 'the edit at the other console');
    expect(raw.closeCode).toBeNull();
    expect(getSeries(r.docs().schedule, r.series)?.rule.rrule).toBe('FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=MO');
    // The Friday visit from now on went with the rule; the Tuesday ones follow the new title.
    expect(r.docs().schedule.getMap('bookings').has(occurrenceId(r.series, '2026-11-27'))).toBe(false);
  });
});
