import type { DateOrder } from '../../../../core/csv/kinds';
import { Field } from '../forms/Field';
import { columnChoices, dateNote, hasDates, mappingNote, unplacedMappingErrors, type ImportFlow } from './import-flow';

/** The import's column mapping: each column of the file and the field it fills, and the order of dates. */
export function ColumnMapping({
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
