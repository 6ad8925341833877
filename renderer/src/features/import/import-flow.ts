import { countText, FALLBACK_LOCALE, listText } from '../../../../core/format';
import {
  MAX_CSV_CHARS,
  MAX_CSV_LABEL,
  type DateOrder,
  type ImportCellError,
  type ImportCommitResult,
  type ImportKind,
  type ImportMapping,
  type ImportPreview,
  type ImportPreviewRow,
  type RowOutcome,
} from '../../../../core/csv/kinds';
import type { AppError, Result } from '../../../../core/result';
import { addDays, weekdayOf, WEEKDAYS, type LocalDate } from '../../../../core/time';

/**
 * The import screen's steps as plain data (issue 18): choose a kind and a file, preview it with the mapping
 * the backend picked (remembered or guessed) or the one the user set column by column, then commit once and
 * show the summary. Every function returns a new state; the React side only renders it and makes the two
 * requests (`import:preview`, `import:commit`) this model describes.
 */

export type Transport = 'ipc' | 'websocket';
export type ImportStep = 'choose' | 'previewing' | 'preview' | 'committing' | 'done';

export interface ChosenFile {
  name: string;
  text: string;
}

export interface ImportFlow {
  kind: ImportKind;
  file: ChosenFile | null;
  /** What is wrong with the file itself (too large, not a CSV file): shown at the file input. */
  fileError: string | null;
  step: ImportStep;
  /** The user's own mapping once they changed a column; null lets the backend choose (remembered, else guessed). */
  mapping: ImportMapping | null;
  dateOrder: DateOrder | null;
  /** Number of the last preview asked for: an older answer (the user changed something since) is dropped. */
  seq: number;
  preview: ImportPreview | null;
  /** A refused preview or commit, in words. */
  error: string | null;
  result: ImportCommitResult | null;
}

export const KIND_LABELS: Readonly<Record<ImportKind, string>> = {
  providers: 'Service providers',
  customers: 'Customers',
  services: 'Services',
  jobs: 'Jobs',
};
const NOUNS: Readonly<Record<ImportKind, [string, string]>> = {
  providers: ['service provider', 'service providers'],
  customers: ['customer', 'customers'],
  services: ['service', 'services'],
  jobs: ['job', 'jobs'],
};
export const noun = (kind: ImportKind, n: number): string => countText(n, NOUNS[kind][0], NOUNS[kind][1]);
const plural = (n: number, one: string, many = `${one}s`) => countText(n, one, many);

export function startImport(kind: ImportKind): ImportFlow {
  return { kind, file: null, fileError: null, step: 'choose', mapping: null, dateOrder: null, seq: 0, preview: null, error: null, result: null };
}

/** Another kind: the mapping belonged to the old one, the file stays and is previewed again. */
export function chooseKind(flow: ImportFlow, kind: ImportKind): ImportFlow {
  return { ...startImport(kind), file: flow.file, fileError: flow.fileError, seq: flow.seq };
}

// ---------------------------------------------------------------------------------------------------------
// How large a file can be

/**
 * The web host's WebSocket closes any frame over 1 MiB (electron/backend/transport/ws-server.ts
 * MAX_FRAME_BYTES; e2e/import.spec.ts checks they agree), and a closed socket answers only "Disconnected". The
 * file travels JSON-escaped inside the frame with the mapping, so it must leave room for both.
 */
export const WEB_HOST_MAX_FRAME_BYTES = 1024 * 1024;
/** Room for the frame's id and name, the mapping (column names) and the date order. */
export const FRAME_RESERVE_BYTES = 32 * 1024;

const encoder = new TextEncoder();
/** Bytes the text takes in a request frame: UTF-8 of its JSON string (quotes and line breaks escaped). */
export const frameBytesOf = (text: string): number => encoder.encode(JSON.stringify(text)).length;

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

const tooLargeForWeb = (size: string) =>
  `This file is too large to import in the browser (${size}; the limit is ${formatSize(WEB_HOST_MAX_FRAME_BYTES - FRAME_RESERVE_BYTES)}). Split it into smaller files, each with the header row, or import it in the desktop app, which takes up to ${MAX_CSV_LABEL}.`;
const tooLargeForApp = (size: string) => `This file is ${size}. Crewline imports files up to ${MAX_CSV_LABEL}: split it into smaller files, each with the header row.`;

/** Before reading: a file whose bytes alone are over the limit is refused without loading it. */
export function fileSizeProblem(bytes: number, transport: Transport): string | null {
  if (transport === 'websocket') return bytes > WEB_HOST_MAX_FRAME_BYTES - FRAME_RESERVE_BYTES ? tooLargeForWeb(formatSize(bytes)) : null;
  // A character is at least one byte: four bytes per character is more than UTF-8 ever needs.
  return bytes > MAX_CSV_CHARS * 4 ? tooLargeForApp(formatSize(bytes)) : null;
}

/** After reading: what the request will really carry. */
export function textSizeProblem(text: string, transport: Transport): string | null {
  if (transport === 'websocket') {
    const bytes = frameBytesOf(text);
    return bytes > WEB_HOST_MAX_FRAME_BYTES - FRAME_RESERVE_BYTES ? tooLargeForWeb(formatSize(bytes)) : null;
  }
  return text.length > MAX_CSV_CHARS ? tooLargeForApp(formatSize(encoder.encode(text).length)) : null;
}

/** A file picked (or refused before reading, with `problem`): the previous preview and choices are gone. */
export function chooseFile(flow: ImportFlow, file: ChosenFile | null, problem: string | null = null): ImportFlow {
  const fileError = problem ?? (file && file.text.trim() === '' ? 'The file is empty.' : null);
  return { ...startImport(flow.kind), seq: flow.seq, file: fileError ? null : file, fileError };
}

// ---------------------------------------------------------------------------------------------------------
// Preview

export interface PreviewRequest {
  kind: ImportKind;
  csvText: string;
  mapping?: ImportMapping;
  dateOrder?: DateOrder;
}

/** The request for a preview of the current choices, and the state waiting for it; null without a file. */
export function beginPreview(flow: ImportFlow): { flow: ImportFlow; seq: number; input: PreviewRequest } | null {
  if (!flow.file) return null;
  const seq = flow.seq + 1;
  const input: PreviewRequest = { kind: flow.kind, csvText: flow.file.text };
  if (flow.mapping) input.mapping = flow.mapping;
  if (flow.dateOrder) input.dateOrder = flow.dateOrder;
  return { flow: { ...flow, seq, step: 'previewing', error: null, result: null }, seq, input };
}

export function previewAnswered(flow: ImportFlow, seq: number, result: Result<ImportPreview>): ImportFlow {
  if (seq !== flow.seq || flow.step !== 'previewing') return flow;
  if (result.ok) return { ...flow, step: 'preview', preview: result.value, error: null };
  const fileProblem = result.error.fieldErrors?.csvText;
  // The file itself is refused (not a CSV file, a quote never closed): back to choosing one.
  if (fileProblem) return { ...flow, step: 'choose', file: null, preview: null, mapping: null, fileError: sentence(fileProblem) };
  return { ...flow, step: flow.preview ? 'preview' : 'choose', error: describeError(result.error) };
}

/** The mapping shown: the user's, else the one the last preview used. */
export const currentMapping = (flow: ImportFlow): ImportMapping => flow.mapping ?? flow.preview?.mapping ?? {};

/** Field key for each column of the file (null: not imported). */
export function fieldOfColumn(mapping: ImportMapping, column: string): string | null {
  for (const [field, col] of Object.entries(mapping)) if (col === column) return field;
  return null;
}

/**
 * The user maps `column` to `field` (null: don't import it). A column fills one field and a field takes one
 * column, so whatever held either before lets go. The preview must then be asked again.
 */
export function mapColumn(flow: ImportFlow, column: string, field: string | null): ImportFlow {
  const mapping: ImportMapping = { ...currentMapping(flow) };
  for (const [f, col] of Object.entries(mapping)) if (col === column) mapping[f] = null;
  if (field) mapping[field] = column;
  return { ...flow, mapping };
}

export function chooseDateOrder(flow: ImportFlow, dateOrder: DateOrder): ImportFlow {
  return { ...flow, dateOrder };
}

export interface ColumnChoice {
  column: string;
  field: string | null;
  /** The first non-empty value in the column, to recognise it by. */
  example: string;
  /** A problem the backend found with the mapping of this column's field. */
  error: string | null;
}

export function columnChoices(flow: ImportFlow): ColumnChoice[] {
  const preview = flow.preview;
  if (!preview) return [];
  const mapping = currentMapping(flow);
  return preview.columns.map((column) => {
    const field = fieldOfColumn(mapping, column);
    const example = preview.rows.find((r) => (r.values[column] ?? '').trim() !== '')?.values[column] ?? '';
    return { column, field, example: example.length > 60 ? `${example.slice(0, 57)}…` : example, error: field ? (preview.mappingErrors[field] ?? null) : null };
  });
}

/** Mapping problems no column shows (e.g. no column is mapped to the name at all). */
export function unplacedMappingErrors(flow: ImportFlow): Array<{ field: string; label: string; message: string }> {
  const preview = flow.preview;
  if (!preview) return [];
  const mapping = currentMapping(flow);
  return Object.entries(preview.mappingErrors)
    .filter(([field]) => !mapping[field] || !preview.columns.includes(mapping[field]))
    .map(([field, message]) => ({ field, label: preview.fields.find((f) => f.key === field)?.label ?? field, message }));
}

/** Where the mapping came from, for the user. */
export function mappingNote(flow: ImportFlow): string {
  const preview = flow.preview;
  if (!preview) return '';
  if (flow.mapping || preview.mappingSource === 'request') return 'Columns as you mapped them.';
  if (preview.mappingSource === 'remembered') return `Columns remembered from your last import of ${NOUNS[flow.kind][1]}.`;
  return 'Columns guessed from the header row: check them before importing.';
}

export function dateNote(preview: ImportPreview): string {
  const order = preview.dates.order === 'mdy' ? 'month first (11/24/2026 is November 24)' : 'day first (24/11/2026 is November 24)';
  const why =
    preview.dates.decidedBy === 'request'
      ? 'as you chose'
      : preview.dates.decidedBy === 'file'
        ? "judging by the file's own dates"
        : `as is usual in ${preview.dates.timeZone}`;
  return `Dates with slashes are read ${order}, ${why}.`;
}

/** Whether the date order matters: jobs have dates; the other kinds have none. */
export const hasDates = (kind: ImportKind): boolean => kind === 'jobs';

export const OUTCOME_LABELS: Readonly<Record<RowOutcome, string>> = { create: 'New', update: 'Update', unchanged: 'No change', error: 'Invalid' };
export type RowFilter = RowOutcome | 'all';

/** Rows rendered at most at once: a 10,000-row file is filtered, not drawn whole. */
export const SHOWN_ROWS = 500;

export function visibleRows(preview: ImportPreview, filter: RowFilter): { rows: ImportPreviewRow[]; hidden: number } {
  const matching = filter === 'all' ? preview.rows : preview.rows.filter((r) => r.outcome === filter);
  return { rows: matching.slice(0, SHOWN_ROWS), hidden: Math.max(0, matching.length - SHOWN_ROWS) };
}

/** "Line 5, Email: Not an email address" */
export function errorText(line: number, error: ImportCellError): string {
  return `Line ${line}${error.column ? `, ${error.column}` : ''}: ${error.message}`;
}

export function countsText(preview: ImportPreview): string {
  const { total, create, update, unchanged, error } = preview.counts;
  const parts = [`${create.toLocaleString(FALLBACK_LOCALE)} new`, `${plural(update, 'update')}`, `${unchanged.toLocaleString(FALLBACK_LOCALE)} unchanged`, `${error.toLocaleString(FALLBACK_LOCALE)} invalid`];
  return `${plural(total, 'row')}: ${parts.join(', ')}.`;
}

/** Rows the commit writes: new ones and changes (unchanged rows need nothing, invalid ones are left out). */
export const rowsToWrite = (preview: ImportPreview): number => preview.counts.create + preview.counts.update;

/** Why Import cannot run now, or null. */
export function commitBlocker(flow: ImportFlow): string | null {
  const preview = flow.preview;
  if (!preview || flow.step !== 'preview') return 'Choose a file first.';
  if (Object.keys(preview.mappingErrors).length > 0) return 'Fix the column mapping first.';
  if (preview.counts.total === 0) return 'The file has a header row but no rows.';
  if (rowsToWrite(preview) === 0) {
    return preview.counts.error === preview.counts.total ? 'Every row is invalid: nothing to import.' : 'Nothing to import: every valid row is already as the file says.';
  }
  return null;
}

export const commitLabel = (flow: ImportFlow): string => {
  const n = flow.preview ? rowsToWrite(flow.preview) : 0;
  return `Import ${plural(n, 'row')}`;
};

export interface CommitRequest {
  kind: ImportKind;
  csvText: string;
  mapping: ImportMapping;
  dateOrder?: DateOrder;
}

/** Commits what the preview showed: its mapping and date order. */
export function beginCommit(flow: ImportFlow): { flow: ImportFlow; input: CommitRequest } | null {
  if (commitBlocker(flow) || !flow.file || !flow.preview) return null;
  const input: CommitRequest = { kind: flow.kind, csvText: flow.file.text, mapping: flow.preview.mapping };
  if (flow.dateOrder) input.dateOrder = flow.dateOrder;
  return { flow: { ...flow, step: 'committing', error: null }, input };
}

export function commitAnswered(flow: ImportFlow, result: Result<ImportCommitResult>): ImportFlow {
  if (flow.step !== 'committing') return flow;
  if (result.ok) return { ...flow, step: 'done', result: result.value, error: null };
  return { ...flow, step: 'preview', error: describeError(result.error) };
}

export function summaryText(kind: ImportKind, result: ImportCommitResult): string {
  const written = [
    result.created ? `${noun(kind, result.created)} added` : null,
    result.updated ? `${plural(result.updated, 'updated')}` : null,
    result.unchanged ? `${result.unchanged.toLocaleString(FALLBACK_LOCALE)} already up to date` : null,
  ].filter((part): part is string => part !== null);
  const head = written.length ? `Imported: ${listText(written)}.` : 'Nothing was written.';
  return result.rejected ? `${head} ${plural(result.rejected, 'row was', 'rows were')} not imported.` : head;
}

/** `customers.csv` -> `customers-invalid-rows.csv` */
export function rejectedFileName(fileName: string): string {
  const base = fileName.replace(/\.(csv|txt|tsv)$/i, '') || 'import';
  return `${base}-invalid-rows.csv`;
}

/** Backend refusals in a dispatcher's words. */
export function describeError(error: AppError): string {
  if (error.message === 'Disconnected from the backend') {
    return 'The connection to Crewline dropped before it answered. Check that Crewline is still running, then try again.';
  }
  if (error.code === 'forbidden') return `You may not do this: ${lowerFirst(error.message)}`;
  return sentence(error.message);
}

const lowerFirst = (s: string) => (s ? s.charAt(0).toLowerCase() + s.slice(1) : s);
const sentence = (s: string) => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

// ---------------------------------------------------------------------------------------------------------
// Export

/** Monday to Sunday of the week holding `today`. */
export function weekOf(today: LocalDate): { from: LocalDate; to: LocalDate } {
  const from = addDays(today, -WEEKDAYS.indexOf(weekdayOf(today)));
  return { from, to: addDays(from, 6) };
}

/** A jobs range the user typed: errors by field, in words (empty = whole history on that side). */
export function exportRangeErrors(from: string, to: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (from && !date.test(from)) errors.from = 'Enter a date';
  if (to && !date.test(to)) errors.to = 'Enter a date';
  if (!errors.from && !errors.to && from && to && to < from) errors.to = 'Must be on or after the first day';
  return errors;
}
