import { describe, expect, it } from 'vitest';
import { MAX_CSV_CHARS, type ImportCommitResult, type ImportPreview, type ImportPreviewRow } from '../../../../core/csv/kinds';
import { fail, ok } from '../../../../core/result';
import {
  beginCommit,
  beginPreview,
  chooseFile,
  chooseKind,
  columnChoices,
  commitAnswered,
  commitBlocker,
  commitLabel,
  countsText,
  currentMapping,
  dateNote,
  describeError,
  errorText,
  exportRangeErrors,
  fileSizeProblem,
  FRAME_RESERVE_BYTES,
  frameBytesOf,
  mapColumn,
  mappingNote,
  previewAnswered,
  rejectedFileName,
  startImport,
  summaryText,
  textSizeProblem,
  unplacedMappingErrors,
  visibleRows,
  WEB_HOST_MAX_FRAME_BYTES,
  weekOf,
  type ImportFlow,
} from './import-flow';

const row = (line: number, outcome: ImportPreviewRow['outcome'], values: Record<string, string>, errors: ImportPreviewRow['errors'] = []): ImportPreviewRow => ({
  line,
  values,
  outcome,
  errors,
  match: null,
  changes: [],
});

function preview(over: Partial<ImportPreview> = {}): ImportPreview {
  const rows = over.rows ?? [
    row(2, 'create', { Name: 'Ann', 'E-mail': 'ann@example.com', Tel: '' }),
    row(4, 'update', { Name: 'Bo', 'E-mail': 'bo@example.com', Tel: '555 0101' }),
    row(5, 'error', { Name: 'Cy', 'E-mail': 'nope', Tel: '' }, [{ column: 'E-mail', field: 'email', message: 'Not an email address' }]),
  ];
  const count = (o: string) => rows.filter((r) => r.outcome === o).length;
  return {
    kind: 'customers',
    columns: ['Name', 'E-mail', 'Tel'],
    delimiter: ';',
    fields: [
      { key: 'name', label: 'Name' },
      { key: 'email', label: 'Email' },
      { key: 'phone', label: 'Phone' },
    ],
    guessedMapping: { name: 'Name', email: 'E-mail', phone: 'Tel' },
    mapping: { name: 'Name', email: 'E-mail', phone: 'Tel' },
    mappingSource: 'guessed',
    mappingErrors: {},
    dates: { order: 'mdy', decidedBy: 'timeZone', timeZone: 'America/Chicago' },
    warnings: [],
    rows,
    counts: { total: rows.length, create: count('create'), update: count('update'), unchanged: count('unchanged'), error: count('error') },
    ...over,
  };
}

const file = { name: 'clients.csv', text: 'Name;E-mail;Tel\nAnn;ann@example.com;\n' };

/** A flow showing `p` as its preview. */
function previewed(p: ImportPreview = preview()): ImportFlow {
  const asked = beginPreview(chooseFile(startImport('customers'), file))!;
  return previewAnswered(asked.flow, asked.seq, ok(p));
}

describe('import flow: file and preview', () => {
  it('asks the backend to choose the mapping first, then sends the columns the user changed', () => {
    const asked = beginPreview(chooseFile(startImport('customers'), file))!;
    expect(asked.input).toEqual({ kind: 'customers', csvText: file.text });
    expect(asked.flow.step).toBe('previewing');
    const shown = previewAnswered(asked.flow, asked.seq, ok(preview({ mappingSource: 'remembered' })));
    expect(shown.step).toBe('preview');
    expect(mappingNote(shown)).toBe('Columns remembered from your last import of customers.');

    // "Tel" becomes the name: the name's old column is let go, and Tel no longer fills phone.
    const changed = mapColumn(shown, 'Tel', 'name');
    expect(currentMapping(changed)).toEqual({ name: 'Tel', email: 'E-mail', phone: null });
    expect(columnChoices(changed).map((c) => [c.column, c.field])).toEqual([
      ['Name', null],
      ['E-mail', 'email'],
      ['Tel', 'name'],
    ]);
    const again = beginPreview(changed)!;
    expect(again.input.mapping).toEqual({ name: 'Tel', email: 'E-mail', phone: null });
    expect(mappingNote(again.flow)).toBe('Columns as you mapped them.');
    // Not imported at all.
    expect(currentMapping(mapColumn(shown, 'E-mail', null))).toEqual({ name: 'Name', email: null, phone: 'Tel' });
  });

  it('drops an answer to an older preview', () => {
    const first = beginPreview(chooseFile(startImport('customers'), file))!;
    const second = beginPreview(mapColumn({ ...first.flow, preview: preview() }, 'Tel', null))!;
    const stale = previewAnswered(second.flow, first.seq, ok(preview({ mappingSource: 'guessed' })));
    expect(stale).toBe(second.flow);
    expect(previewAnswered(second.flow, second.seq, ok(preview())).step).toBe('preview');
  });

  it('a file the backend refuses goes back to choosing one, with the reason at the file', () => {
    const asked = beginPreview(chooseFile(startImport('customers'), file))!;
    const refused = previewAnswered(asked.flow, asked.seq, fail('validation', 'This is a PDF document, not a CSV file', { fieldErrors: { csvText: 'This is a PDF document, not a CSV file' } }));
    expect(refused).toMatchObject({ step: 'choose', file: null, fileError: 'This is a PDF document, not a CSV file.' });
    expect(beginPreview(refused)).toBeNull();
  });

  it('other refusals keep the last preview and say what happened', () => {
    const shown = previewed();
    const asked = beginPreview(mapColumn(shown, 'Tel', null))!;
    const dropped = previewAnswered(asked.flow, asked.seq, fail('internal', 'Disconnected from the backend'));
    expect(dropped.step).toBe('preview');
    expect(dropped.preview).not.toBeNull();
    expect(dropped.error).toMatch(/connection to Crewline dropped/);
  });

  it('an empty file is refused before any request', () => {
    const flow = chooseFile(startImport('customers'), { name: 'empty.csv', text: ' \n' });
    expect(flow).toMatchObject({ file: null, fileError: 'The file is empty.' });
  });

  it('another kind keeps the file and forgets the mapping', () => {
    const other = chooseKind(mapColumn(previewed(), 'Tel', null), 'providers');
    expect(other).toMatchObject({ kind: 'providers', file, mapping: null, preview: null, step: 'choose' });
    expect(beginPreview(other)!.input).toEqual({ kind: 'providers', csvText: file.text });
  });

  it('counts, statuses and errors in words, with the line and the column', () => {
    const shown = previewed();
    expect(countsText(shown.preview!)).toBe('3 rows: 1 new, 1 update, 0 unchanged, 1 invalid.');
    const bad = shown.preview!.rows[2]!;
    expect(errorText(bad.line, bad.errors[0]!)).toBe('Line 5, E-mail: Not an email address');
    expect(errorText(7, { column: null, field: null, message: 'The row has 2 values past the last column' })).toBe('Line 7: The row has 2 values past the last column');
    expect(visibleRows(shown.preview!, 'error').rows.map((r) => r.line)).toEqual([5]);
    const two = preview({ rows: [row(2, 'create', {}), row(3, 'create', {}), row(4, 'unchanged', {})] });
    expect(countsText(two)).toBe('3 rows: 2 new, 0 updates, 1 unchanged, 0 invalid.');
  });

  it('draws at most 500 rows at once and says how many are left out', () => {
    const many = Array.from({ length: 1200 }, (_, i) => row(i + 2, i % 2 ? 'create' : 'error', { Name: `N${i}` }));
    const { rows, hidden } = visibleRows(preview({ rows: many }), 'create');
    expect([rows.length, hidden]).toEqual([500, 100]);
  });

  it('shows mapping problems at their column, or apart when no column holds the field', () => {
    const p = preview({ mapping: { name: null, email: 'E-mail', phone: 'Tel' }, mappingErrors: { name: 'Required: map a column to Name or First name' } });
    const shown = previewed(p);
    expect(columnChoices(shown).every((c) => c.error === null)).toBe(true);
    expect(unplacedMappingErrors(shown)).toEqual([{ field: 'name', label: 'Name', message: 'Required: map a column to Name or First name' }]);
    expect(commitBlocker(shown)).toBe('Fix the column mapping first.');
    expect(beginCommit(shown)).toBeNull();
  });
});

describe('import flow: commit', () => {
  it('imports the new and changed rows with the mapping the preview used', () => {
    const shown = previewed(preview({ mappingSource: 'remembered' }));
    expect(commitBlocker(shown)).toBeNull();
    expect(commitLabel(shown)).toBe('Import 2 rows');
    const started = beginCommit(shown)!;
    expect(started.input).toEqual({ kind: 'customers', csvText: file.text, mapping: { name: 'Name', email: 'E-mail', phone: 'Tel' } });
    expect(started.flow.step).toBe('committing');
    const result: ImportCommitResult = { created: 1, updated: 1, unchanged: 0, rejected: 1, rejectedCsv: 'Name;E-mail;Tel;Error\r\n', rows: [] };
    const done = commitAnswered(started.flow, ok(result));
    expect(done).toMatchObject({ step: 'done', result });
    expect(summaryText('customers', result)).toBe('Imported: 1 customer added and 1 updated. 1 row was not imported.');
    expect(rejectedFileName(file.name)).toBe('clients-invalid-rows.csv');
  });

  it('a refused commit goes back to the preview with the reason', () => {
    const started = beginCommit(previewed())!;
    const back = commitAnswered(started.flow, fail('forbidden', 'Only admins and dispatchers can import'));
    expect(back).toMatchObject({ step: 'preview', error: 'You may not do this: only admins and dispatchers can import' });
  });

  it('has nothing to import when every row is invalid or already so', () => {
    expect(commitBlocker(previewed(preview({ rows: [row(2, 'error', { Name: '' })] })))).toBe('Every row is invalid: nothing to import.');
    expect(commitBlocker(previewed(preview({ rows: [row(2, 'unchanged', { Name: 'Ann' }), row(3, 'error', { Name: '' })] })))).toMatch(/^Nothing to import/);
    expect(commitBlocker(previewed(preview({ rows: [] })))).toBe('The file has a header row but no rows.');
  });
});

describe('import flow: file size', () => {
  it('refuses over the web host what would not fit in one frame, escaped, with the mapping', () => {
    const limit = WEB_HOST_MAX_FRAME_BYTES - FRAME_RESERVE_BYTES;
    expect(fileSizeProblem(limit, 'websocket')).toBeNull();
    expect(fileSizeProblem(limit + 1, 'websocket')).toBe(
      'This file is too large to import in the browser (993 KB; the limit is 992 KB). Split it into smaller files, each with the header row, or import it in the desktop app, which takes up to 20 MB.',
    );
    // Quotes and line breaks take two bytes each in the frame, accents two in UTF-8.
    const quoted = '"é"\n'.repeat(Math.ceil(limit / 7));
    expect(quoted.length).toBeLessThan(limit);
    expect(frameBytesOf(quoted)).toBeGreaterThan(limit);
    expect(textSizeProblem(quoted, 'websocket')).toMatch(/desktop app/);
    expect(textSizeProblem(quoted, 'ipc')).toBeNull();
  });

  it('over IPC, the backend limit in characters', () => {
    expect(textSizeProblem('x'.repeat(MAX_CSV_CHARS + 1), 'ipc')).toMatch(/up to 20 MB/);
    expect(fileSizeProblem(MAX_CSV_CHARS * 4 + 1, 'ipc')).toMatch(/^This file is 80 MB/);
    expect(fileSizeProblem(MAX_CSV_CHARS * 2, 'ipc')).toBeNull();
  });
});

describe('export range', () => {
  it('defaults to Monday to Sunday of the week holding today', () => {
    expect(weekOf('2026-11-24')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(weekOf('2026-11-29')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(weekOf('2026-11-30')).toEqual({ from: '2026-11-30', to: '2026-12-06' });
  });

  it('says which side of a range is wrong', () => {
    expect(exportRangeErrors('2026-11-23', '2026-11-22')).toEqual({ to: 'Must be on or after the first day' });
    expect(exportRangeErrors('', '')).toEqual({});
    expect(exportRangeErrors('23.11.2026', '')).toEqual({ from: 'Enter a date' });
  });
});

describe('date order', () => {
  it('says how dates with slashes are read, and what decided it', () => {
    expect(dateNote(preview())).toBe('Dates with slashes are read month first (11/24/2026 is November 24), as is usual in America/Chicago.');
    expect(dateNote(preview({ dates: { order: 'dmy', decidedBy: 'file', timeZone: 'America/Chicago' } }))).toBe(
      "Dates with slashes are read day first (24/11/2026 is November 24), judging by the file's own dates.",
    );
  });
});

describe('errors in words', () => {
  it('passes the backend’s own words through as sentences', () => {
    expect(describeError({ code: 'validation', message: 'Fix the column mapping first: name: Required' })).toBe('Fix the column mapping first: name: Required.');
  });
});
