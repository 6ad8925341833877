import type { HTMLAttributes, ReactNode } from 'react';
import type { AppError } from '../../../../core/result';
import { Button } from '../../components/Button';
import { Field } from './Field';
import './forms.css';

/**
 * The layout every record screen shares (Customers, Services, Providers, Team): a header with the title and
 * a toolbar, the notice and load error, the list, and the side panel that edits one record. The screens
 * keep their state with record-screen.ts and their forms with useRecordForm.
 */

export interface RecordScreenProps {
  /** Class prefix of the screen's own CSS (`cust` -> `.cust-screen`, `.cust-table`, `.cust-panel`). */
  prefix: string;
  title: string;
  /** The header's toolbar (a search box, filters, New, import/export). */
  toolbar?: ReactNode;
  notice?: string | null;
  /** "Could not load {what}: …" */
  loadError?: { what: string; error: AppError | null };
  /** Attributes of the section (e.g. `data-screen`). */
  sectionProps?: HTMLAttributes<HTMLElement> & Record<`data-${string}`, string>;
  children: ReactNode;
}

export function RecordScreen({ prefix, title, toolbar, notice, loadError, sectionProps, children }: RecordScreenProps) {
  const titleId = `${prefix}-screen-title`;
  return (
    <section className={`adm-screen ${prefix}-screen`} aria-labelledby={titleId} {...sectionProps}>
      <header className="adm-header">
        <h1 id={titleId}>{title}</h1>
        {toolbar ? (
          <div className="adm-toolbar" role="search">
            {toolbar}
          </div>
        ) : null}
      </header>
      {notice ? (
        <p className="adm-notice" role="status">
          {notice}
        </p>
      ) : null}
      {loadError?.error ? (
        <p className="adm-load-error" role="alert">
          Could not load {loadError.what}: {loadError.error.message}
        </p>
      ) : null}
      {children}
    </section>
  );
}

/** The toolbar's search box and New button. */
export function RecordToolbar({
  searchLabel,
  placeholder,
  search,
  onSearch,
  newLabel,
  onNew,
  children,
}: {
  searchLabel: string;
  placeholder: string;
  search: string;
  onSearch: (text: string) => void;
  newLabel: string;
  onNew: () => void;
  /** Between the search and New: filters such as "Show inactive". */
  children?: ReactNode;
}) {
  return (
    <>
      <Field label={searchLabel} path="search" hideLabel>
        {(c) => <input {...c} type="search" placeholder={placeholder} value={search} onChange={(e) => onSearch(e.target.value)} />}
      </Field>
      {children}
      <Button variant="primary" onClick={onNew}>
        {newLabel}
      </Button>
    </>
  );
}

/** The list beside the side panel (the panel, when given, narrows the list). */
export function RecordBody({ panel, children }: { panel: ReactNode; children: ReactNode }) {
  return (
    <div className={panel ? 'adm-body adm-body--with-panel' : 'adm-body'}>
      <div className="adm-list">{children}</div>
      {panel}
    </div>
  );
}

export interface RecordTableProps<R> {
  /** The table's own class (`cust-table`). */
  className: string;
  /** The column headings, in order; a numeric column is right-aligned (`adm-num`). */
  columns: ReadonlyArray<string | { label: string; numeric: true }>;
  rows: readonly R[];
  /** The row's attributes: its `data-*` test hooks, a class (e.g. inactive). */
  rowProps: (r: R) => HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string | undefined>;
  cells: (r: R) => ReactNode;
  id: (r: R) => string;
  /** Rows open in the side panel by click, Enter or Space; `selected` says which one is open. */
  onOpen?: (id: string) => void;
  selected?: (id: string) => boolean;
  loading: boolean;
  /** Shown under the table when no row is (null: nothing). */
  empty: string | null;
}

export function RecordTable<R>({ className, columns, rows, rowProps, cells, id, onOpen, selected, loading, empty }: RecordTableProps<R>) {
  return (
    <>
      <table className={`adm-table ${className}`}>
        <thead>
          <tr>
            {columns.map((c) =>
              typeof c === 'string' ? (
                <th key={c} scope="col">
                  {c}
                </th>
              ) : (
                <th key={c.label} scope="col" className="adm-num">
                  {c.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const rowId = id(r);
            const open = onOpen
              ? {
                  tabIndex: 0,
                  'aria-selected': selected?.(rowId) ?? false,
                  onClick: () => onOpen(rowId),
                  onKeyDown: (e: React.KeyboardEvent<HTMLTableRowElement>) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      onOpen(rowId);
                    }
                  },
                }
              : {};
            return (
              <tr key={rowId} {...rowProps(r)} {...open}>
                {cells(r)}
              </tr>
            );
          })}
        </tbody>
      </table>
      {loading ? <p className="adm-empty">Loading…</p> : null}
      {!loading && rows.length === 0 && empty ? <p className="adm-empty">{empty}</p> : null}
    </>
  );
}

/** The side panel: a heading and the record's form (and whatever else edits it). */
export function RecordPanel({ className, label, children }: { className?: string; label: string; children: ReactNode }) {
  return (
    <aside className={className ? `adm-panel ${className}` : 'adm-panel'} aria-label={label}>
      {children}
    </aside>
  );
}
