/**
 * CSV import and export (issue 18): the shapes shared by the core (`core/csv`), the contract and the
 * backend. Text is read and written with papaparse in the backend (`electron/backend/api/import-api.ts`):
 * its type definitions pull in Node's, which core/ is checked without, so core works on parsed tables.
 */

/** What can be imported and exported; each kind is one document (roster or schedule), so one import is one action. */
export const IMPORT_KINDS = ['providers', 'customers', 'services', 'jobs'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Larger input is refused before it is parsed. Characters of text, close to bytes for the Latin scripts. */
export const MAX_CSV_CHARS = 20 * 1024 * 1024;
export const MAX_CSV_LABEL = '20 MB';

/** How an all-numeric date with slashes or dashes reads: 11/24/2026 (month first) or 24/11/2026 (day first). */
export const DATE_ORDERS = ['mdy', 'dmy'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

/** Delimiters an export can be written with (`;` for spreadsheets set to a European locale). */
export const CSV_DELIMITERS = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** A parsed file: unique column names (a repeated header gets " (2)"), and each row with its line in the file. */
export interface CsvTable {
  columns: string[];
  rows: CsvRow[];
  delimiter: string;
}
export interface CsvRow {
  /** Line in the file where the row starts (the header is line 1; quoted line breaks count). */
  line: number;
  /** One cell per column; a short row is padded with ''. */
  cells: string[];
  /** Non-empty values past the last column (a delimiter in an unquoted value, usually). */
  extraCells?: number;
  /** What the parser found wrong with the row's quoting, if anything. */
  problem?: string;
}

/** Import field key -> the file's column that fills it; null (or absent) = not imported. */
export type ImportMapping = Record<string, string | null>;

export interface ImportCellError {
  /** The file's column(s) the value came from ("First Name + Last Name"), or null when no column holds it. */
  column: string | null;
  /** The import field (see `IMPORT_FIELDS`), or null for a problem with the whole row. */
  field: string | null;
  message: string;
}

/** What happens to a row: a new record, a change to an existing one, nothing (already so), or refused. */
export type RowOutcome = 'create' | 'update' | 'unchanged' | 'error';

export interface ImportPreviewRow {
  line: number;
  /** The row's cells by column name, as in the file. */
  values: Record<string, string>;
  outcome: RowOutcome;
  errors: ImportCellError[];
  /** The existing record the row updates (or leaves unchanged). */
  match: { id: string; label: string } | null;
  /** Import fields an update changes. */
  changes: string[];
}

export interface ImportCounts {
  total: number;
  create: number;
  update: number;
  unchanged: number;
  error: number;
}

/** How dates were read: the order, and what decided it (the request, the file's own dates, or the zone). */
export interface DateReading {
  order: DateOrder;
  decidedBy: 'request' | 'file' | 'timeZone';
  timeZone: string;
}

export interface ImportFieldInfo {
  key: string;
  label: string;
  hint?: string;
}

export interface ImportPreview {
  kind: ImportKind;
  columns: string[];
  /** The delimiter found in the file. */
  delimiter: string;
  /** The fields this kind imports, with their form labels, in form order. */
  fields: ImportFieldInfo[];
  /** What the headers suggest (`guessMapping`). */
  guessedMapping: ImportMapping;
  /** The mapping this preview used: the request's, else the one remembered for this kind, else the guess. */
  mapping: ImportMapping;
  mappingSource: 'request' | 'remembered' | 'guessed';
  /** Problems with the mapping itself (a required field with no column, a column not in the file), by field. */
  mappingErrors: Record<string, string>;
  dates: DateReading;
  /** Things about the file worth saying that do not stop the import (e.g. characters that are not UTF-8). */
  warnings: string[];
  rows: ImportPreviewRow[];
  counts: ImportCounts;
}

export interface ImportRowResult {
  line: number;
  outcome: 'created' | 'updated' | 'unchanged' | 'error';
  /** The record created, updated or matched. */
  id: string | null;
  errors: ImportCellError[];
}

export interface ImportCommitResult {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The rejected rows as they were in the file, plus an "Error" column; '' when none were rejected. */
  rejectedCsv: string;
  rows: ImportRowResult[];
}

export interface CsvExport {
  fileName: string;
  csv: string;
  rows: number;
}
