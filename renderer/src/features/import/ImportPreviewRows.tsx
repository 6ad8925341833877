import { useState } from 'react';
import { FALLBACK_LOCALE, listText } from '../../../../core/format';
import type { ImportKind, ImportPreview, ImportPreviewRow } from '../../../../core/csv/kinds';
import { Field } from '../forms/Field';
import { countsText, errorText, KIND_LABELS, OUTCOME_LABELS, visibleRows, type RowFilter } from './import-flow';

const FILTERS: ReadonlyArray<[RowFilter, string]> = [
  ['all', 'All rows'],
  ['error', 'Invalid'],
  ['create', 'New'],
  ['update', 'Update'],
  ['unchanged', 'No change'],
];

/** The preview of every row (nothing written yet), filtered by outcome. */
export function PreviewRows({ kind, preview, mapping, stale }: { kind: ImportKind; preview: ImportPreview; mapping: Record<string, string | null>; stale: boolean }) {
  const [filter, setFilter] = useState<RowFilter>('all');
  const { rows, hidden } = visibleRows(preview, filter);
  const shownColumns = preview.columns.filter((c) => Object.values(mapping).includes(c));
  const label = (key: string) => preview.fields.find((f) => f.key === key)?.label ?? key;
  return (
    <section className="imp-preview" aria-labelledby="imp-preview-title" aria-busy={stale}>
      <div className="imp-preview-head">
        <h3 id="imp-preview-title">Preview — nothing is written yet</h3>
        <p data-import-counts="" role="status">
          {countsText(preview)}
        </p>
        <Field label="Show" path="filter">
          {(c) => (
            <select {...c} value={filter} onChange={(e) => setFilter(e.target.value as RowFilter)}>
              {FILTERS.map(([value, text]) => (
                <option key={value} value={value}>
                  {text}
                  {value === 'all' ? '' : ` (${preview.counts[value].toLocaleString(FALLBACK_LOCALE)})`}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="adm-list imp-rows">
        <table className="adm-table" aria-label={`Rows of the file, as ${KIND_LABELS[kind].toLowerCase()}`}>
          <thead>
            <tr>
              <th scope="col" className="adm-num">
                Line
              </th>
              <th scope="col">Status</th>
              {shownColumns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
              <th scope="col">Problems and changes</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.line} data-line={r.line} data-outcome={r.outcome} className={r.outcome === 'error' ? 'imp-row--error' : undefined}>
                <td className="adm-num">{r.line}</td>
                <td>
                  <span className={`adm-badge imp-badge--${r.outcome}`}>{OUTCOME_LABELS[r.outcome]}</span>
                </td>
                {shownColumns.map((c) => (
                  <td key={c} className="imp-cell">
                    {r.values[c]}
                  </td>
                ))}
                <td>
                  <RowDetails row={r} label={label} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 ? <p className="adm-empty">No rows here.</p> : null}
        {hidden > 0 ? <p className="adm-empty">{hidden.toLocaleString(FALLBACK_LOCALE)} more rows are not shown: choose a status above to see them.</p> : null}
      </div>
    </section>
  );
}

function RowDetails({ row, label }: { row: ImportPreviewRow; label: (key: string) => string }) {
  if (row.errors.length > 0) {
    return (
      <ul className="imp-errors">
        {row.errors.map((e, i) => (
          <li key={i} data-error-column={e.column ?? ''}>
            {errorText(row.line, e)}
          </li>
        ))}
      </ul>
    );
  }
  if (row.outcome === 'update') return <span>{`Changes ${row.match?.label ?? 'the existing record'}: ${listText(row.changes.map(label))}`}</span>;
  if (row.outcome === 'unchanged') return <span className="adm-muted">{`Same as ${row.match?.label ?? 'the existing record'}`}</span>;
  return null;
}
