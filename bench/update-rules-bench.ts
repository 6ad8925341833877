/**
 * What the sync server's document rules (`core/doc/update-rules.ts`, run by `Room.applyClientUpdate`) add to
 * applying a client update: real edits made by core's commands (moves with their history entry, notes,
 * statuses) into a schedule of 100 and of 15,000 bookings, the same updates applied without / with the
 * check, alternating, medians of the rounds, in one process; and a whole 15,000-booking schedule arriving
 * as one update (a desktop's first upload); and recurring series: creations (each with its visits) and a
 * day's horizon extension of all of them, the update the sync server's daily pass or a desktop makes.
 *
 * `npx tsx bench/update-rules-bench.ts [--quick]`
 */
import * as Y from 'yjs';
import { FALLBACK_LOCALE } from '../core/format';
import { createScaledSchedule } from '../core/demo/scale';
import { getBooking, listBookings } from '../core/doc/schedule';
import { refusalOf } from '../core/doc/update-rules';
import { createWorkspace } from '../core/testing/fixture';
import { fromMs, toMs } from '../core/time';
import { lcg, percentile } from './stats';

const quick = process.argv.includes('--quick');
const EDITS = quick ? 300 : 2000;
const ROUNDS = quick ? 2 : 6;
const WRITER = { role: 'dispatcher' as const, rosterInitialized: true };

function schedule(bookings: number) {
  const ws = createWorkspace({ now: '2026-11-20T12:00:00Z' });
  createScaledSchedule(ws.run, { providers: Math.max(10, Math.round(bookings / 75)), bookings, startDate: '2026-11-23', days: 14 });
  return ws;
}

/** The updates of `EDITS` honest edits: 60% moves, 25% notes, 15% a status step. */
function edits(ws: ReturnType<typeof schedule>): Uint8Array[] {
  const updates: Uint8Array[] = [];
  ws.schedule.on('update', (u: Uint8Array) => updates.push(u));
  const random = lcg(7);
  const dated = listBookings(ws.schedule).filter((b) => b.slot && b.slot.assignees.length > 0).map((b) => b.id);
  for (let i = 0; updates.length < EDITS; i++) {
    const id = dated[Math.floor(random() * dated.length)]!;
    const pick = random();
    if (pick < 0.6) {
      const start = toMs(getBooking(ws.schedule, id)!.slot!.start) + (i % 2 ? -1 : 1) * 15 * 60_000;
      ws.must('moveBooking', { id, start: fromMs(start) });
    } else if (pick < 0.85) ws.must('updateBooking', { id, notes: `Note ${i}` });
    else ws.run('sendToTech', { id });
  }
  return updates;
}

/** µs per update, applying `updates` onto a copy of `base`. */
function applyAll(base: Uint8Array, updates: Uint8Array[], check: boolean): number {
  const doc = new Y.Doc({ gc: true });
  Y.applyUpdate(doc, base);
  if (check) {
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      const refusal = refusalOf('schedule', tr, WRITER);
      if (refusal) throw new Error(`an honest update was refused: ${refusal.message}`);
    });
  }
  const started = performance.now();
  for (const update of updates) Y.applyUpdate(doc, update, 'client');
  return ((performance.now() - started) * 1000) / updates.length;
}

console.log(`\nupdate rules: ${EDITS} honest edits (moves, notes, Send to Tech), median of ${ROUNDS} rounds`);
console.log('| bookings in the room | apply | apply + rules | added |');
console.log('|---|---|---|---|');
let big: ReturnType<typeof schedule> | null = null;
for (const size of quick ? [100, 2000] : [100, 15_000]) {
  const ws = schedule(size);
  const base = Y.encodeStateAsUpdate(ws.schedule);
  const updates = edits(ws);
  const without: number[] = [];
  const withRules: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    without.push(applyAll(base, updates, false));
    withRules.push(applyAll(base, updates, true));
  }
  const a = percentile(without, 50);
  const b = percentile(withRules, 50);
  console.log(`| ${size.toLocaleString(FALLBACK_LOCALE)} | ${a.toFixed(1)} µs | ${b.toFixed(1)} µs | ${(b - a).toFixed(1)} µs (${(((b - a) / a) * 100).toFixed(0)}%) |`);
  big = ws;
}

// A desktop's first upload: the whole schedule as one update into an empty room.
const upload = Y.encodeStateAsUpdate(big!.schedule);
const uploads = { without: [] as number[], withRules: [] as number[] };
for (let round = 0; round < Math.min(ROUNDS, 3); round++) {
  for (const check of [false, true]) {
    const doc = new Y.Doc({ gc: true });
    if (check) doc.on('afterTransaction', (tr: Y.Transaction) => void refusalOf('schedule', tr, WRITER));
    const started = performance.now();
    Y.applyUpdate(doc, upload, 'client');
    (check ? uploads.withRules : uploads.without).push(performance.now() - started);
  }
}
console.log(
  `\nfirst upload of ${listBookings(big!.schedule).length.toLocaleString(FALLBACK_LOCALE)} bookings (${(upload.byteLength / 1e6).toFixed(1)} MB, one update): ` +
    `apply ${percentile(uploads.without, 50).toFixed(0)} ms, apply + rules ${percentile(uploads.withRules, 50).toFixed(0)} ms`,
);

// Recurring series: 200 weekly series made with 8 weeks of visits each, then a week later one extension of
// all of them (the update of the server's daily pass), applied without / with the rules.
{
  const SERIES = quick ? 50 : 200;
  const ws = createWorkspace({ now: '2026-11-20T12:00:00Z' });
  ws.must('initializeOrganization', { name: 'Bench', timeZone: 'America/Chicago' });
  const base = Y.encodeStateAsUpdate(ws.schedule);
  const created: Uint8Array[] = [];
  const collect = (u: Uint8Array) => created.push(u);
  ws.schedule.on('update', collect);
  const days = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
  for (let i = 0; i < SERIES; i++) {
    ws.must('createSeries', {
      title: `Contract ${i}`,
      startDate: '2026-11-23',
      startTime: `${String(7 + (i % 10)).padStart(2, '0')}:00`,
      repeat: { freq: 'weekly', weekdays: [days[i % 5]!, days[(i + 2) % 5]!] },
    });
  }
  ws.schedule.off('update', collect);
  const afterCreation = Y.encodeStateAsUpdate(ws.schedule);
  ws.setNow('2026-11-27T12:00:00Z');
  const extension: Uint8Array[] = [];
  ws.schedule.on('update', (u: Uint8Array) => extension.push(u));
  const visits = ws.must('extendSeriesHorizon', {}).created.length;
  const creations = { without: [] as number[], withRules: [] as number[] };
  const extensions = { without: [] as number[], withRules: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const check of [false, true]) {
      (check ? creations.withRules : creations.without).push(applyAll(base, created, check));
      (check ? extensions.withRules : extensions.without).push(applyAll(afterCreation, extension, check) / 1000);
    }
  }
  console.log(
    `\nseries: ${SERIES} createSeries updates (~${Math.round(listBookings(ws.schedule).length / SERIES)} visits each): ` +
      `apply ${percentile(creations.without, 50).toFixed(0)} µs, apply + rules ${percentile(creations.withRules, 50).toFixed(0)} µs per update; ` +
      `one extension of all of them (${visits} new visits): apply ${percentile(extensions.without, 50).toFixed(1)} ms, ` +
      `apply + rules ${percentile(extensions.withRules, 50).toFixed(1)} ms`,
  );
}
