import { FALLBACK_LOCALE } from '../../../../core/format';
// About 400 lines on purpose: one view per import step (file, mapping, preview, summary); their state is import-flow.ts.
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { IMPORT_KINDS, type DateOrder, type ImportKind, type ImportPreview, type ImportPreviewRow } from '../../../../core/csv/kinds';
import type { ConsoleClient } from '../../api/types';
import { useToast } from '../../components/Toasts';
import { request } from '../forms/backend';
import { Field } from '../forms/Field';
import { downloadText } from './download';
import {
  beginCommit,
  beginPreview,
  chooseDateOrder,
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
  fileSizeProblem,
  hasDates,
  KIND_LABELS,
  mapColumn,
  mappingNote,
  OUTCOME_LABELS,
  previewAnswered,
  rejectedFileName,
  startImport,
  summaryText,
  textSizeProblem,
  unplacedMappingErrors,
  visibleRows,
  type ImportFlow,
  type RowFilter,
} from './import-flow';
import { Button, buttonClass } from '../../components/Button.tsx';

export interface ImportPanelProps {
  client: ConsoleClient;
  initialKind: ImportKind;
}

/** The import steps (import-flow.ts holds their state): file, column mapping, preview, Import, summary. */
export function ImportPanel({ client, initialKind }: ImportPanelProps) {
  const [flow, setFlow] = useState<ImportFlow>(() => startImport(initialKind));
  const flowRef = useRef(flow);
  flowRef.current = flow;

  /** Shows `next` and asks for its preview (when it has a file); a newer request wins. */
  const preview = (next: ImportFlow) => {
    const asked = beginPreview(next);
    if (!asked) {
      setFlow(next);
      return;
    }
    setFlow(asked.flow);
    void request(client, 'import:preview', asked.input).then((r) => setFlow((f) => previewAnswered(f, asked.seq, r)));
  };

  // A list screen's "Import…" may name another kind while this screen is open (only that restarts it).
  useEffect(() => {
    if (flowRef.current.kind !== initialKind && flowRef.current.step !== 'committing') preview(chooseKind(flowRef.current, initialKind));
  }, [initialKind]);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    // Cleared, so choosing the same file again (after editing it) is a change too.
    input.value = '';
    if (!file) return;
    const tooLarge = fileSizeProblem(file.size, client.transport);
    if (tooLarge) {
      setFlow((f) => chooseFile(f, null, tooLarge));
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      setFlow((f) => chooseFile(f, null, `The file could not be read (${error instanceof Error ? error.message : String(error)}).`));
      return;
    }
    const problem = textSizeProblem(text, client.transport);
    if (problem) setFlow((f) => chooseFile(f, null, problem));
    else preview(chooseFile(flowRef.current, { name: file.name, text }));
  };

  const commit = async () => {
    const started = beginCommit(flowRef.current);
    if (!started) return;
    setFlow(started.flow);
    const r = await request(client, 'import:commit', started.input);
    setFlow((f) => commitAnswered(f, r));
  };

  const busy = flow.step === 'previewing' || flow.step === 'committing';
  return (
    <section className="imp-panel" aria-labelledby="imp-title" data-import-step={flow.step}>
      <h2 id="imp-title">Import</h2>
      {flow.step === 'done' && flow.result ? (
        <ImportSummary client={client} flow={flow} onAgain={() => setFlow((f) => chooseFile(f, null))} />
      ) : (
        <>
          <div className="imp-choose">
            <Field label="What to import" path="kind">
              {(c) => (
                <select {...c} value={flow.kind} disabled={flow.step === 'committing'} onChange={(e) => preview(chooseKind(flow, e.target.value as ImportKind))}>
                  {IMPORT_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {KIND_LABELS[k]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              label="CSV file"
              path="file"
              error={flow.fileError ?? undefined}
              hint="Saved from a spreadsheet or another tool as CSV (comma, semicolon or tab separated); the first row names the columns."
            >
              {(c) => <input {...c} type="file" accept=".csv,text/csv" disabled={flow.step === 'committing'} onChange={(e) => void onFile(e)} />}
            </Field>
            {flow.file ? (
              <p className="imp-file" data-import-file="">
                File: <strong>{flow.file.name}</strong>
                {flow.step === 'previewing' ? ' — reading…' : null}
              </p>
            ) : null}
          </div>
          {flow.error ? (
            <p className="adm-load-error" role="alert" data-import-error="">
              {flow.error}
            </p>
          ) : null}
          {flow.preview ? (
            <>
              <ColumnMapping flow={flow} disabled={busy} onMap={(column, field) => preview(mapColumn(flow, column, field))} onDateOrder={(o) => preview(chooseDateOrder(flow, o))} />
              <PreviewRows kind={flow.kind} preview={flow.preview} mapping={currentMapping(flow)} stale={flow.step === 'previewing'} />
              <div className="imp-commit">
                <Button variant="primary" data-action="import-commit" disabled={busy || commitBlocker(flow) !== null} onClick={() => void commit()}>
                  {flow.step === 'committing' ? 'Importing…' : commitLabel(flow)}
                </Button>
                <span className="adm-muted" data-import-blocker="">
                  {flow.step === 'previewing' ? 'Updating the preview…' : (commitBlocker(flow) ?? 'One action: it can be undone as a whole.')}
                </span>
              </div>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}

function ColumnMapping({
  flow,
  disabled,
  onMap,
  onDateOrder,
}: {
  flow: ImportFlow;
  disabled: boolean;
  onMap: (column: string, field: string | null) => void;
  onDateOrder: (order: DateOrder) => void;
}) {
  const preview = flow.preview!;
  const unplaced = unplacedMappingErrors(flow);
  const fieldHint = (key: string | null) => (key ? preview.fields.find((f) => f.key === key)?.hint : undefined);
  return (
    <section className="imp-mapping" aria-labelledby="imp-mapping-title">
      <h3 id="imp-mapping-title">Columns</h3>
      <p className="adm-muted" data-mapping-source={flow.mapping ? 'request' : preview.mappingSource}>
        {mappingNote(flow)}
      </p>
      {unplaced.length > 0 ? (
        <ul className="adm-form-message" role="alert" data-mapping-errors="">
          {unplaced.map((e) => (
            <li key={e.field} data-error-for={`mapping.${e.field}`}>
              {e.message}.
            </li>
          ))}
        </ul>
      ) : null}
      {preview.warnings.map((w) => (
        <p key={w} className="imp-warning" role="note">
          {w}
        </p>
      ))}
      <table className="adm-table imp-mapping-table">
        <thead>
          <tr>
            <th scope="col">Column in your file</th>
            <th scope="col">First value</th>
            <th scope="col">Imported as</th>
          </tr>
        </thead>
        <tbody>
          {columnChoices(flow).map((c) => (
            <tr key={c.column} data-column={c.column}>
              <th scope="row">{c.column}</th>
              <td className="imp-example">{c.example}</td>
              <td>
                <Field label={`Import column “${c.column}” as`} path={`mapping.${c.column}`} hideLabel error={c.error ?? undefined} hint={fieldHint(c.field)}>
                  {(control) => (
                    <select {...control} value={c.field ?? ''} disabled={disabled} onChange={(e) => onMap(c.column, e.target.value || null)}>
                      <option value="">— Don’t import —</option>
                      {preview.fields.map((f) => (
                        <option key={f.key} value={f.key}>
                          {f.label}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {hasDates(flow.kind) ? (
        <div className="imp-dates">
          <Field label="Dates like 11/12/2026 are" path="dateOrder" hint={dateNote(preview)}>
            {(c) => (
              <select {...c} value={flow.dateOrder ?? preview.dates.order} disabled={disabled} onChange={(e) => onDateOrder(e.target.value as DateOrder)}>
                <option value="mdy">Month first (November 12)</option>
                <option value="dmy">Day first (11 December)</option>
              </select>
            )}
          </Field>
        </div>
      ) : null}
    </section>
  );
}

const FILTERS: ReadonlyArray<[RowFilter, string]> = [
  ['all', 'All rows'],
  ['error', 'Invalid'],
  ['create', 'New'],
  ['update', 'Update'],
  ['unchanged', 'No change'],
];

function PreviewRows({ kind, preview, mapping, stale }: { kind: ImportKind; preview: ImportPreview; mapping: Record<string, string | null>; stale: boolean }) {
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
  if (row.outcome === 'update') return <span>{`Changes ${row.match?.label ?? 'the existing record'}: ${row.changes.map(label).join(', ')}`}</span>;
  if (row.outcome === 'unchanged') return <span className="adm-muted">{`Same as ${row.match?.label ?? 'the existing record'}`}</span>;
  return null;
}

function ImportSummary({ client, flow, onAgain }: { client: ConsoleClient; flow: ImportFlow; onAgain: () => void }) {
  const toast = useToast();
  const result = flow.result!;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [undo, setUndo] = useState<'idle' | 'busy' | 'done'>('idle');
  useEffect(() => headingRef.current?.focus(), []);
  const rejected = result.rows.filter((r) => r.outcome === 'error');
  const wrote = result.created + result.updated > 0;
  const undoImport = async () => {
    setUndo('busy');
    const r = await request(client, 'history:undo', {});
    if (!r.ok) {
      toast(`Could not undo: ${describeError(r.error)}`, 'error');
      setUndo('idle');
    } else if (!r.value.done) {
      toast('Nothing to undo', 'info');
      setUndo('idle');
    } else {
      toast('Import undone', 'success');
      setUndo('done');
    }
  };
  return (
    <div className="imp-summary" data-import-summary="">
      <h3 ref={headingRef} tabIndex={-1}>
        Import finished
      </h3>
      <p role="status" data-import-result="">
        {summaryText(flow.kind, result)}
      </p>
      {wrote ? (
        <p className="adm-muted">
          {undo === 'done'
            ? 'The import was undone.'
            : 'It was one action: Undo import below, or Ctrl+Z on the board, takes all of it back (as long as nothing else was changed since).'}
        </p>
      ) : null}
      {rejected.length > 0 ? (
        <>
          <ul className="imp-errors" data-rejected-rows="">
            {rejected.slice(0, 50).map((r) =>
              r.errors.map((e, i) => (
                <li key={`${r.line}-${i}`}>{errorText(r.line, e)}</li>
              )),
            )}
          </ul>
          {rejected.length > 50 ? <p className="adm-muted">…and {rejected.length - 50} more in the download.</p> : null}
        </>
      ) : null}
      <div className="adm-actions imp-summary-actions">
        {result.rejectedCsv ? (
          <Button
            data-action="download-rejected"
            onClick={() => downloadText(rejectedFileName(flow.file?.name ?? 'import.csv'), result.rejectedCsv)}
          >
            Download the {result.rejected === 1 ? 'invalid row' : `${result.rejected} invalid rows`} (CSV)
          </Button>
        ) : null}
        {wrote ? (
          <Button data-action="undo-import" disabled={undo !== 'idle'} onClick={() => void undoImport()}>
            {undo === 'busy' ? 'Undoing…' : 'Undo import'}
          </Button>
        ) : null}
        <Button variant="primary" data-action="import-again" onClick={onAgain}>
          Import another file
        </Button>
        {flow.kind !== 'jobs' ? (
          <a className={buttonClass()} href={`#/${flow.kind}`}>
            Open {KIND_LABELS[flow.kind]}
          </a>
        ) : (
          <a className={buttonClass()} href="#/board">
            Open the board
          </a>
        )}
      </div>
    </div>
  );
}
