import { countText } from '../../../core/format';
import Papa from 'papaparse';
import {
  commitImport,
  exportTable,
  FORMULA_PREFIX,
  guessMapping,
  IMPORT_FIELDS,
  MAX_CSV_CHARS,
  MAX_CSV_LABEL,
  planImport,
  rejectedTable,
  type CsvDelimiter,
  type CsvRow,
  type CsvTable,
  type ImportKind,
  type ImportMapping,
  type ImportPreview,
  type ImportPreviewRow,
} from '../../../core/csv/index';
import { dayBoundsMs, fail, fieldError, localDateOf, ok, type Booking, type Handlers, type Result } from '../../../core/index';
import type { LocalStore } from '../store/local-store';

type ImportRequestName = 'import:preview' | 'import:commit' | 'export:csv';

/**
 * CSV import and export over the local store (issue 18; the rules are in core/csv). The file's text is read
 * here with papaparse (delimiter detected, BOM, CRLF, quoted line breaks), planned by core against the
 * documents, and committed as one action. The last mapping committed per kind is kept in the workspace
 * file's `meta` table (`import_mapping:<kind>`), never in the synced documents: it is this desktop's habit.
 */
export function importHandlers(store: LocalStore): Pick<Handlers, ImportRequestName> {
  const archived = store.db.prepare('SELECT data FROM archive_bookings WHERE id = ?').pluck();
  const archivedBooking = (id: string) => {
    const row = archived.get(id) as string | undefined;
    return row ? (JSON.parse(row) as Booking) : undefined;
  };
  const mappings = new RememberedMappings(store);

  return {
    'import:preview': ({ kind, csvText, mapping, dateOrder }) => {
      const read = readCsvText(csvText);
      if (!read.ok) return read;
      const { table, warnings } = read.value;
      const guessedMapping = guessMapping(kind, table.columns);
      let used: ImportMapping = guessedMapping;
      let mappingSource: ImportPreview['mappingSource'] = 'guessed';
      const remembered = mapping ? null : mappings.get(kind);
      if (mapping) {
        used = mapping;
        mappingSource = 'request';
      } else if (remembered && fitsFile(remembered.mapping, table.columns)) {
        used = withRemembered(guessedMapping, remembered);
        mappingSource = 'remembered';
      }
      const plan = planImport(store.context(), kind, table, { mapping: used, dateOrder, archivedBooking });
      if (!plan.ok) return plan;
      const { columns } = table;
      const rows = plan.value.rows.map(
        (r): ImportPreviewRow => ({
          line: r.line,
          values: Object.fromEntries(columns.map((c, i) => [c, r.cells[i] ?? ''])),
          outcome: r.outcome,
          errors: r.errors,
          match: r.match,
          changes: r.changes,
        }),
      );
      return ok({
        kind,
        columns,
        delimiter: table.delimiter,
        fields: IMPORT_FIELDS[kind].map(({ key, label, hint }) => (hint ? { key, label, hint } : { key, label })),
        guessedMapping,
        mapping: plan.value.mapping,
        mappingSource,
        mappingErrors: plan.value.mappingErrors,
        dates: plan.value.dates,
        warnings,
        rows,
        counts: plan.value.counts,
      } satisfies ImportPreview);
    },

    'import:commit': ({ kind, csvText, mapping, dateOrder }) => {
      const read = readCsvText(csvText);
      if (!read.ok) return read;
      const { table } = read.value;
      const ctx = store.context();
      const plan = planImport(ctx, kind, table, { mapping, dateOrder, archivedBooking });
      if (!plan.ok) return plan;
      const problems = Object.entries(plan.value.mappingErrors);
      if (problems.length) {
        return fail('validation', `Fix the column mapping first: ${problems.map(([f, m]) => `${f}: ${m}`).join('; ')}`, {
          fieldErrors: Object.fromEntries(problems.map(([field, message]) => [`mapping.${field}`, message])),
        });
      }
      // One SQLite transaction: the documents' one update, the read tables and the remembered mapping.
      const results = store.batch(() => {
        const written = commitImport(ctx, plan.value);
        mappings.set(kind, { mapping: plan.value.mapping, columns: table.columns });
        return written;
      });
      const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
      const rejected = rejectedTable(table.columns, table.rows, results);
      return ok({
        created: count('created'),
        updated: count('updated'),
        unchanged: count('unchanged'),
        rejected: rejected.rows.length,
        rejectedCsv: rejected.rows.length ? writeCsvText(rejected.header, rejected.rows, table.delimiter) : '',
        rows: results,
      });
    },

    'export:csv': ({ kind, from, to, delimiter }) => {
      if (kind !== 'jobs' && (from || to)) {
        return fail('validation', 'Only jobs are exported for a date range', { fieldErrors: { [from ? 'from' : 'to']: 'Only for jobs' } });
      }
      if (from && to && to < from) return fail('validation', 'The range must end on or after its first day', { fieldErrors: { to: 'Must be on or after from' } });
      const { queries } = store;
      const settings = queries.settings();
      const bookings = kind === 'jobs' ? jobsToExport(store, settings.timeZone, from, to) : [];
      const table = exportTable(
        kind,
        { settings, providers: queries.providers({ includeInactive: true }), customers: queries.customers(), services: queries.services(), bookings },
        { today: localDateOf(store.clock(), settings.timeZone), from, to },
      );
      return ok({ fileName: table.fileName, csv: writeCsvText(table.header, table.rows, delimiter ?? ','), rows: table.rows.length });
    },
  };
}

/** Jobs overlapping the local days `from`..`to` (either open-ended), or all of them, archived ones included. */
function jobsToExport(store: LocalStore, zone: string, from?: string, to?: string): Booking[] {
  const { queries } = store;
  const fromMs = from ? dayBoundsMs(from, zone)[0] : Number.MIN_SAFE_INTEGER / 2;
  const toMs = to ? dayBoundsMs(to, zone)[1] : Number.MAX_SAFE_INTEGER / 2;
  const active =
    from || to
      ? queries.bookingsInRange(fromMs, toMs)
      : (store.db.prepare('SELECT id FROM bookings').pluck().all() as string[]).map((id) => queries.booking(id)!);
  const seen = new Set(active.map((b) => b.id));
  return [...active, ...queries.archived(fromMs, toMs).filter((b) => !seen.has(b.id))];
}

const fitsFile = (mapping: ImportMapping, columns: readonly string[]) => {
  const used = Object.values(mapping).filter((c): c is string => !!c);
  return used.length > 0 && used.every((c) => columns.includes(c));
};

interface Remembered {
  mapping: ImportMapping;
  /** The columns of the file it was made for: a field left out then, though its column was there, stays out. */
  columns: string[];
}

/**
 * The remembered choices over the guess: its columns where it names one; a field it left out stays out
 * when the file it was made for had the column the guess now picks (the user chose to skip it), else the
 * guess fills it (that file had no such column). A column goes to one field.
 */
function withRemembered(guessed: ImportMapping, remembered: Remembered): ImportMapping {
  const taken = new Set(Object.values(remembered.mapping).filter(Boolean));
  const merged: ImportMapping = {};
  for (const [field, column] of Object.entries(guessed)) merged[field] = column && !taken.has(column) ? column : null;
  for (const [field, column] of Object.entries(remembered.mapping)) {
    if (column) merged[field] = column;
    else if (guessed[field] && remembered.columns.includes(guessed[field])) merged[field] = null;
  }
  return merged;
}

/** The last mapping committed for each kind, in the workspace file (not synced: a desktop's habit). */
class RememberedMappings {
  constructor(private readonly store: LocalStore) {}

  get(kind: ImportKind): Remembered | null {
    const row = this.store.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(`import_mapping:${kind}`) as string | undefined;
    if (!row) return null;
    try {
      const value = JSON.parse(row) as { mapping?: unknown; columns?: unknown };
      if (typeof value.mapping !== 'object' || value.mapping === null || !Array.isArray(value.columns)) return null;
      const mapping = Object.fromEntries(
        Object.entries(value.mapping).filter((e): e is [string, string | null] => typeof e[1] === 'string' || e[1] === null),
      );
      return { mapping, columns: value.columns.filter((c): c is string => typeof c === 'string') };
    } catch {
      return null;
    }
  }

  set(kind: ImportKind, remembered: Remembered): void {
    this.store.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(`import_mapping:${kind}`, JSON.stringify(remembered));
  }
}

// -------------------------------------------------------------------------------------------------------
// CSV text

/** What a file that is not a CSV text file looks like at its start, and what to tell the user. */
const NOT_CSV: ReadonlyArray<[RegExp, string]> = [
  [/^PK\u0003\u0004/, 'This is an Excel workbook (.xlsx) or another zip file, not a CSV file. In your spreadsheet, choose Save As (or Download) → CSV UTF-8, and import that file.'],
  [/^%PDF-/, 'This is a PDF document, not a CSV file.'],
  [/^\s*<(\?xml|!doctype|html)/i, 'This is an HTML or XML file, not a CSV file.'],
  [/^\s*[[{]\s*["{[]/, 'This looks like a JSON file, not a CSV file.'],
];
const NOT_TEXT =
  'This file is not a text file (it holds binary data), so it cannot be a CSV file. Save the sheet as CSV (UTF-8) from your spreadsheet and import that.';

const invalidFile = (message: string) => fieldError('csvText', message);

/**
 * Parses a CSV file's text: a UTF-8 BOM is dropped, the delimiter (`,` `;` tab `|`) and line breaks (CRLF,
 * LF, CR) are detected, quoted values keep their delimiters, quotes and line breaks. Each row keeps the line
 * it starts on. Headers are trimmed, and made unique (`Phone`, `Phone (2)`); blank lines are skipped.
 */
export function readCsvText(input: string): Result<{ table: CsvTable; warnings: string[] }> {
  if (input.length > MAX_CSV_CHARS) return invalidFile(`The file is larger than ${MAX_CSV_LABEL}: split it into smaller files`);
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const head = text.slice(0, 65_536);
  for (const [pattern, message] of NOT_CSV) if (pattern.test(head)) return invalidFile(message);
  const controls = head.match(/[\u0000-\u0008\u000e-\u001f]/g)?.length ?? 0;
  if (head.includes('\u0000') || controls > head.length / 100) return invalidFile(NOT_TEXT);
  if (text.trim() === '') return invalidFile('The file is empty');

  const warnings: string[] = [];
  const unreadable = text.match(/\uFFFD/g)?.length ?? 0;
  if (unreadable > 0) {
    warnings.push(
      `${countText(unreadable, 'character was', 'characters were')} not UTF-8 text (shown as �). If names look wrong, save the file as “CSV UTF-8” and import it again.`,
    );
  }

  // Guessed on the first rows without their blank lines (papaparse counts a blank line as a one-value row,
  // which sinks the right delimiter's average in a short file), then the whole file parsed with it.
  const delimiter = Papa.parse<string[]>(text, { preview: 10, skipEmptyLines: 'greedy', delimitersToGuess: [',', ';', '\t', '|'] }).meta.delimiter || ',';
  let header: string[] | null = null;
  const rows: CsvRow[] = [];
  let cursor = 0;
  let line = 1;
  let failure: string | null = null;
  let linebreak = '\n';
  Papa.parse<string[]>(text, {
    delimiter,
    step: (result, parser) => {
      linebreak = result.meta.linebreak || linebreak;
      const start = line;
      line += countOf(text, linebreak === '\r' ? '\r' : '\n', cursor, result.meta.cursor);
      cursor = result.meta.cursor;
      const cells = result.data;
      const quoting = result.errors.find((e) => e.type === 'Quotes');
      if (quoting?.code === 'MissingQuotes') {
        failure = `Line ${start}: a quoted value is never closed (a " is missing), so the rest of the file would be one value`;
        parser.abort();
        return;
      }
      if (cells.every((c) => c.trim() === '')) return;
      if (!header) {
        header = uniqueHeaders(cells);
        return;
      }
      const row: CsvRow = { line: start, cells: cells.slice(0, header.length) };
      while (row.cells.length < header.length) row.cells.push('');
      const extra = cells.slice(header.length).filter((c) => c.trim() !== '').length;
      if (extra) row.extraCells = extra;
      if (quoting) row.problem = `A quote in this row is out of place (${quoting.message.toLowerCase()}): check the quotes around its values`;
      rows.push(row);
    },
  });
  if (failure) return invalidFile(failure);
  if (!header) return invalidFile('The file is empty');
  return ok({ table: { columns: header, rows, delimiter }, warnings });
}

function countOf(text: string, char: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf(char, from); i !== -1 && i < to; i = text.indexOf(char, i + 1)) n++;
  return n;
}

function uniqueHeaders(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, i) => {
    const name = cell.trim() || `Column ${i + 1}`;
    const n = (seen.get(name.toLowerCase()) ?? 0) + 1;
    seen.set(name.toLowerCase(), n);
    return n === 1 ? name : `${name} (${n})`;
  });
}

/**
 * A CSV file's text for a spreadsheet: UTF-8 BOM (Excel then reads accents right), CRLF line breaks,
 * values quoted where needed, and cells that would run as formulas prefixed with an apostrophe.
 */
export function writeCsvText(header: string[], rows: string[][], delimiter: string = ','): string {
  const body = Papa.unparse({ fields: header, data: rows }, { delimiter: delimiter as CsvDelimiter, newline: '\r\n', escapeFormulae: FORMULA_PREFIX });
  return `\uFEFF${body}\r\n`;
}
