import { useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import type { CsvDelimiter, ImportKind } from '../../../../core/csv/kinds';
import type { LocalDate } from '../../../../core/time';
import { Button } from '../../components/Button';
import { useToast } from '../../components/Toasts';
import { request } from '../forms/backend';
import { downloadText } from './download';
import { describeError, noun } from './import-flow';

export interface ExportCsvButtonProps {
  client: BackendClient;
  kind: ImportKind;
  label?: string;
  /** Jobs only: local dates, inclusive. */
  range?: { from?: LocalDate; to?: LocalDate };
  delimiter?: CsvDelimiter;
  /** Disabled from outside (e.g. an invalid date range). */
  disabled?: boolean;
  className?: string;
}

/** Asks the backend for one list as CSV (`export:csv`) and downloads it under the name it suggests. */
export function ExportCsvButton({ client, kind, label = 'Export CSV', range, delimiter, disabled, className }: ExportCsvButtonProps) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const r = await request(client, 'export:csv', {
        kind,
        ...(range?.from ? { from: range.from } : {}),
        ...(range?.to ? { to: range.to } : {}),
        ...(delimiter ? { delimiter } : {}),
      });
      if (!r.ok) {
        toast(`Export failed: ${describeError(r.error)}`, 'error');
        return;
      }
      downloadText(r.value.fileName, r.value.csv);
      toast(`Exported ${noun(kind, r.value.rows)} to ${r.value.fileName}`, 'success');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button className={className} data-export={kind} disabled={busy || disabled} onClick={() => void run()}>
      {busy ? 'Exporting…' : label}
    </Button>
  );
}
