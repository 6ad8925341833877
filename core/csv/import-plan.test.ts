import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { getProvider, rosterMaps } from '../doc/roster';
import { getBooking, scheduleMaps } from '../doc/schedule';
import { createWorkspace } from '../testing/fixture';
import { guessMapping } from './fields';
import { commitImport, planImport } from './import-plan';
import type { CsvTable, ImportKind } from './kinds';

const table = (columns: string[], ...rows: string[][]): CsvTable => ({
  columns,
  delimiter: ',',
  rows: rows.map((cells, i) => ({ line: i + 2, cells })),
});

function office() {
  const ws = createWorkspace();
  ws.must('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' });
  const ana = ws.must('createProvider', { name: 'Ana Silva', email: 'ana@acme.example' }).id;
  return { ws, ana };
}

const plan = (ws: ReturnType<typeof createWorkspace>, kind: ImportKind, t: CsvTable) => {
  const p = planImport(ws.ctx(), kind, t, { mapping: guessMapping(kind, t.columns) });
  if (!p.ok) throw new Error(p.error.message);
  return p.value;
};

describe('import plan and commit (core, on the documents)', () => {
  it('plans without writing anything, then writes every row in one transaction', () => {
    const { ws } = office();
    const before = Y.encodeStateAsUpdate(ws.roster);
    const t = table(['Name', 'Email', 'Skills', 'Active'], ['Bo Chen', 'bo@acme.example', 'HVAC; Electrical', 'yes'], ['Cy Diaz', '', '', 'no'], ['Di', 'bad', '', 'maybe']);
    const p = plan(ws, 'providers', t);
    expect(Y.encodeStateAsUpdate(ws.roster)).toEqual(before);
    expect(p.rows.map((r) => [r.outcome, r.errors.map((e) => `${e.column}: ${e.message}`)])).toEqual([
      ['create', []],
      ['create', []],
      ['error', ['Active: Not yes or no: "maybe"']],
    ]);
    let transactions = 0;
    ws.roster.on('afterTransaction', () => transactions++);
    const results = commitImport(ws.ctx(), p);
    expect(transactions).toBe(1);
    expect(results.map((r) => r.outcome)).toEqual(['created', 'created', 'error']);
    const providers = rosterMaps(ws.roster).providers;
    expect(providers.size).toBe(3);
    expect(getProvider(ws.roster, results[0]!.id!)).toMatchObject({ skills: ['HVAC', 'Electrical'], active: true, sortOrder: 2 });
    expect(getProvider(ws.roster, results[1]!.id!)).toMatchObject({ active: false, sortOrder: 3 });
  });

  it('a row the documents no longer allow at commit is refused whole, and the rest is written', () => {
    const { ws, ana } = office();
    const job = ws.must('createBooking', { title: 'AC repair', slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:00:00Z', assignees: [ana] } }).id;
    const t = table(['Crewline ID', 'Title', 'Date', 'Start', 'End'], [job, 'AC repair (2 units)', '2026-11-24', '10:00', '11:00'], ['', 'New job', '2026-11-25', '09:00', '10:00']);
    const p = plan(ws, 'jobs', t);
    expect(p.rows.map((r) => [r.outcome, r.changes])).toEqual([
      ['update', ['title', 'start', 'end']],
      ['create', []],
    ]);
    // Someone cancels the job between the preview and the commit.
    ws.must('cancelBooking', { id: job, reason: 'Customer called' });
    const historyBefore = scheduleMaps(ws.schedule).history.get(job)!.length;
    const results = commitImport(ws.ctx(), p);
    expect(results.map((r) => [r.outcome, r.errors.map((e) => e.message)])).toEqual([
      ['error', ['The job is Cancelled: only its notes can change']],
      ['created', []],
    ]);
    // Neither the title nor the slot of the refused row was written.
    expect(getBooking(ws.schedule, job)).toMatchObject({ title: 'AC repair', slot: { start: '2026-11-24T15:00:00Z' } });
    expect(scheduleMaps(ws.schedule).history.get(job)!.length).toBe(historyBefore);
  });

  it('is refused for roles that may not plan', () => {
    const { ws } = office();
    const p = planImport(ws.ctx({ id: 't', name: 'Tech', role: 'technician' }), 'customers', table(['Name'], ['Ann']), { mapping: { name: 'Name' } });
    expect(!p.ok && p.error.code).toBe('forbidden');
  });
});
