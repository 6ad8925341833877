import { useEffect, useState } from 'react';
import { CSV_DELIMITERS, IMPORT_KINDS, type CsvDelimiter, type ImportKind } from '../../../../core/csv/kinds';
import { localDateOf } from '../../../../core/time';
import type { ConsoleClient } from '../../api/types';
import { useNow } from '../../clock';
import { useOrgSettings } from '../forms/backend';
import { Field } from '../forms/Field';
import { ExportCsvButton } from './ExportCsvButton';
import { ImportPanel } from './ImportPanel';
import { exportRangeErrors, KIND_LABELS, weekOf } from './import-flow';
import './import.css';

/** `#/import?kind=customers` (from a list screen's "Import…") opens the import for that kind. */
function kindFromHash(): ImportKind {
  const kind = new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('kind');
  return IMPORT_KINDS.includes(kind as ImportKind) ? (kind as ImportKind) : 'customers';
}

/** Import / export (issue 18): CSV files in, through a preview, and every list out. */
export function ImportExportScreen({ client }: { client: ConsoleClient }) {
  const [kind, setKind] = useState(kindFromHash);
  useEffect(() => {
    const onHash = () => setKind(kindFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return (
    <section className="adm-screen imp-screen" data-screen="import" aria-labelledby="imp-screen-title">
      <header className="adm-header">
        <h1 id="imp-screen-title">Import / export</h1>
      </header>
      <div className="imp-layout">
        <ImportPanel client={client} initialKind={kind} />
        <ExportPanel client={client} />
      </div>
    </section>
  );
}

const DELIMITER_LABELS: Record<CsvDelimiter, string> = { ',': 'Comma', ';': 'Semicolon (Excel in Europe)', '\t': 'Tab' };

function ExportPanel({ client }: { client: ConsoleClient }) {
  const settings = useOrgSettings(client);
  const now = useNow();
  const week = settings.data ? weekOf(localDateOf(now, settings.data.timeZone)) : null;
  // Null until the user types: the current week follows the organization's zone once it is known.
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [delimiter, setDelimiter] = useState<CsvDelimiter>(',');
  const range = { from: from ?? week?.from ?? '', to: to ?? week?.to ?? '' };
  const errors = exportRangeErrors(range.from, range.to);
  return (
    <section className="imp-panel imp-export" aria-labelledby="exp-title">
      <h2 id="exp-title">Export</h2>
      <p className="adm-muted">A CSV file that spreadsheets open, and that imports back here unchanged.</p>
      <Field label="Separator" path="delimiter">
        {(c) => (
          <select {...c} value={delimiter} onChange={(e) => setDelimiter(e.target.value as CsvDelimiter)}>
            {CSV_DELIMITERS.map((d) => (
              <option key={d} value={d}>
                {DELIMITER_LABELS[d]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="imp-export-lists">
        {IMPORT_KINDS.filter((k) => k !== 'jobs').map((k) => (
          <ExportCsvButton key={k} client={client} kind={k} delimiter={delimiter} label={`Export ${KIND_LABELS[k].toLowerCase()}`} />
        ))}
      </div>
      <fieldset className="imp-export-jobs">
        <legend>Jobs</legend>
        <Field label="From" path="from" error={errors.from} hint="Empty: from the first job.">
          {(c) => <input {...c} type="date" value={range.from} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <Field label="To" path="to" error={errors.to} hint="Empty: to the last job.">
          {(c) => <input {...c} type="date" value={range.to} onChange={(e) => setTo(e.target.value)} />}
        </Field>
        <ExportCsvButton
          client={client}
          kind="jobs"
          delimiter={delimiter}
          range={{ from: range.from || undefined, to: range.to || undefined }}
          disabled={Object.keys(errors).length > 0}
          label="Export jobs"
        />
      </fieldset>
    </section>
  );
}
