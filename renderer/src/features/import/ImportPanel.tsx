import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { IMPORT_KINDS, type ImportKind } from '../../../../core/csv/kinds';
import type { ConsoleClient } from '../../api/types';
import { Button } from '../../components/Button.tsx';
import { request } from '../forms/backend';
import { Field } from '../forms/Field';
import {
  beginCommit,
  beginPreview,
  chooseDateOrder,
  chooseFile,
  chooseKind,
  commitAnswered,
  commitBlocker,
  commitLabel,
  currentMapping,
  fileSizeProblem,
  KIND_LABELS,
  mapColumn,
  previewAnswered,
  startImport,
  textSizeProblem,
  type ImportFlow,
} from './import-flow';
import { ColumnMapping } from './ImportColumnMapping.tsx';
import { PreviewRows } from './ImportPreviewRows.tsx';
import { ImportSummary } from './ImportSummary.tsx';

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
