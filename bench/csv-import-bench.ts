/**
 * CSV import and export (issue 18): preview of 10,000 rows (target < 3 s), commit of the same as one action,
 * its undo, and exports. Real store in a temp dir, through the API handlers, as the console calls them.
 *
 *   npx tsx bench/csv-import-bench.ts [--runs N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../core/clock';
import type { ImportKind } from '../core/csv/index';
import { addDays } from '../core/index';
import { BackendApi } from '../electron/backend/api/backend-api';
import { readCsvText, writeCsvText } from '../electron/backend/api/import-api';
import { LocalStore } from '../electron/backend/store/local-store';
import { lcg, ms, percentile, table } from './stats';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const ROWS = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'crewline-csv-bench-'));
const rows: Array<Record<string, string | number>> = [];
const report = (measure: string, samples: number[], target = '') =>
  rows.push({ measure, n: samples.length, p50: ms(percentile(samples, 50)), max: ms(Math.max(...samples)), target });
const time = <T>(fn: () => T): [T, number] => {
  const t0 = performance.now();
  const value = fn();
  return [value, performance.now() - t0];
};

try {
  const store = LocalStore.open(join(dir, 'ws.sqlite'), {
    actor: { id: 'bench', name: 'Bench', role: 'admin' },
    clock: fixedClock(Date.parse('2026-11-23T12:00:00Z')),
    compactEvery: 1_000_000,
  });
  const api = new BackendApi(store, { version: 'bench', transport: 'websocket' });
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const r = await api.handle(name as never, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as T;
  };

  // A 15-technician office with 2,000 customers and 12 services.
  const names: string[] = [];
  store.batch(() => {
    store.execute('initializeOrganization', { name: 'Bench Co', timeZone: 'America/Chicago' });
    for (let i = 0; i < 15; i++) {
      names.push(`Tech ${i}`);
      store.execute('createProvider', { name: `Tech ${i}`, email: `tech${i}@bench.example`, sortOrder: i });
    }
    for (let i = 0; i < 2000; i++) store.execute('createCustomer', { name: `Customer ${i}`, email: `c${i}@bench.example`, address: `${i} Main St, Chicago, IL` });
    for (let i = 0; i < 12; i++) store.execute('createService', { name: `Service ${i}`, durationMinutes: 60 + 15 * (i % 4) });
  });
  store.clearUndoHistory();
  store.loadDocuments();

  // Files as they come: customers from Google Contacts, jobs from a Jobber-like export (en-US dates).
  const customersCsv = writeCsvText(
    ['Name', 'Given Name', 'Family Name', 'E-mail 1 - Value', 'Phone 1 - Value', 'Address 1 - Street', 'Address 1 - City', 'Address 1 - Region', 'Address 1 - Postal Code', 'Notes'],
    Array.from({ length: ROWS }, (_, i) => ['', `Given${i}`, `Family${i}`, `new${i}@example.com`, `+1 312 555 ${String(i % 10_000).padStart(4, '0')}`, `${i} Oak St`, 'Chicago', 'IL', '60601', i % 7 ? '' : 'Gate code 1234, dog "Rex"\nring twice']),
  );
  const random = lcg(18);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const jobsCsv = writeCsvText(
    ['Job #', 'Client name', 'Client email', 'Title', 'Service', 'Start date', 'Start time', 'End time', 'Assigned to', 'Instructions'],
    Array.from({ length: ROWS }, (_, i) => {
      const c = Math.floor(random() * 2000);
      const day = addDays('2026-11-23', Math.floor(random() * 28));
      const [y, m, d] = day.split('-');
      const hour = 7 + Math.floor(random() * 9);
      const team = random() < 0.2 ? `${pick(names)}; ${pick(names)}` : pick(names);
      return [String(1000 + i), `Customer ${c}`, `c${c}@bench.example`, `Job ${i}`, `Service ${i % 12}`, `${m}/${d}/${y}`, `${((hour + 11) % 12) + 1}:00 ${hour < 12 ? 'AM' : 'PM'}`, `${((hour + 12) % 12) + 1}:30 ${hour + 1 < 12 ? 'AM' : 'PM'}`, team, i % 5 ? '' : 'Side door'];
    }),
  );
  console.log(`files: customers ${(customersCsv.length / 1e6).toFixed(2)} MB, jobs ${(jobsCsv.length / 1e6).toFixed(2)} MB, ${ROWS} rows each`);

  for (const [kind, text] of [['customers', customersCsv], ['jobs', jobsCsv]] as Array<[ImportKind, string]>) {
    const parses: number[] = [];
    for (let i = 0; i < RUNS; i++) parses.push(time(() => readCsvText(text))[1]);
    report(`${kind}: parse only (papaparse, line numbers), 10k rows`, parses);
    const previews: number[] = [];
    let counts: unknown;
    let mapping: unknown;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const p = await call<{ counts: unknown; mapping: unknown }>('import:preview', { kind, csvText: text });
      previews.push(performance.now() - t0);
      counts = p.counts;
      mapping = p.mapping;
    }
    console.log(`${kind} preview counts: ${JSON.stringify(counts)}`);
    report(`${kind}: import:preview, 10k rows (parse + match + command checks + answer)`, previews, '< 3 s');
    const t0 = performance.now();
    const done = await call<{ created: number; rejected: number }>('import:commit', { kind, csvText: text, mapping });
    report(`${kind}: import:commit, 10k rows as one action (one Y transaction, one SQLite commit)`, [performance.now() - t0]);
    console.log(`${kind} commit: created ${done.created}, rejected ${done.rejected}`);
    const [, reimport] = await (async () => {
      const t1 = performance.now();
      const p = await call<{ counts: { unchanged: number } }>('import:preview', { kind, csvText: text });
      return [p, performance.now() - t1] as const;
    })();
    report(`${kind}: re-import preview, 10k rows all matched`, [reimport]);
    const [, undoMs] = time(() => store.undo());
    report(`${kind}: undo of the 10k-row import (one step)`, [undoMs]);
    store.redo();
  }
  for (const [kind, input] of [['customers', {}], ['jobs', { from: '2026-11-23', to: '2026-12-20' }]] as const) {
    const samples: number[] = [];
    let n = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      n = (await call<{ rows: number }>('export:csv', { kind, ...input })).rows;
      samples.push(performance.now() - t0);
    }
    report(`${kind}: export:csv (${n} rows)`, samples);
  }
  store.close();
  console.log(table(rows));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
