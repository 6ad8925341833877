import { useEffect, useRef, useState } from 'react';
import type { ConsoleClient } from '../../api/types';
import { Button, buttonClass } from '../../components/Button.tsx';
import { useToast } from '../../components/Toasts';
import { request } from '../forms/backend';
import { downloadText } from './download';
import { describeError, errorText, KIND_LABELS, rejectedFileName, summaryText, type ImportFlow } from './import-flow';

/** The import's last step: what was written, the rejected rows (and their CSV), Undo import. */
export function ImportSummary({ client, flow, onAgain }: { client: ConsoleClient; flow: ImportFlow; onAgain: () => void }) {
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
