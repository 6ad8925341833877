import type { RouteSheet, RouteSheets, RouteStop } from '../../../../core/route-sheets/route-sheet';
import { countText, listText } from '../../../../core/format.ts';
import { STATUS_LABELS } from '../../../../core/status';
import { formatDistance, type DistanceUnit } from '../../../../core/units';
import { RouteSketch } from './RouteSketch.tsx';
import { estimateNote, formatMinutes, legText, printedNote, PRIORITY_LABELS } from './route-sheet-format.ts';

interface RouteSheetPageProps {
  book: RouteSheets;
  sheet: RouteSheet;
}

/**
 * One provider's day, laid out for paper (A4 or Letter, portrait). One table per sheet: its header row is
 * the running header Chromium repeats on every page a long day continues onto; each stop is one row that
 * never splits across pages.
 */
export function RouteSheetPage({ book, sheet }: RouteSheetPageProps) {
  const { provider, stops, totals } = sheet;
  return (
    <section className="rs-sheet" data-route-sheet={provider.id} aria-label={`Route sheet for ${provider.name}`}>
      <table className="rs-table">
        <thead>
          <tr>
            <th scope="col">
              <div className="rs-running">
                <span className="rs-running__company">{book.company}</span>
                <span className="rs-running__who">
                  Route sheet · <strong>{provider.name}</strong>
                </span>
                <span className="rs-running__date">{book.dateLabel}</span>
              </div>
            </th>
          </tr>
        </thead>
        <tbody>
          <tr className="rs-head-row">
            <td>
              <header className="rs-head">
                <div className="rs-head__text">
                  <h2 className="rs-head__name">
                    <span className="rs-swatch" style={{ backgroundColor: provider.color }} aria-hidden="true" />
                    {provider.name}
                    {provider.active ? null : <span className="rs-tag rs-tag--amber">Inactive</span>}
                  </h2>
                  <p className="rs-head__contact">
                    {provider.phone ? <span>{provider.phone}</span> : null}
                    {provider.address ? <span>Home base: {provider.address}</span> : null}
                  </p>
                  {stops.length > 0 ? (
                    <dl className="rs-summary">
                      <div>
                        <dt>Stops</dt>
                        <dd data-summary="stops">{totals.stops}</dd>
                      </div>
                      <div>
                        <dt>On jobs</dt>
                        <dd>{formatMinutes(totals.workMinutes)}</dd>
                      </div>
                      <div>
                        <dt>First arrival</dt>
                        <dd>{stops[0]!.timeLabel.split('–')[0]}</dd>
                      </div>
                      <div>
                        <dt>Travel (estimate)</dt>
                        <dd data-summary="travel">
                          {totals.estimatedLegs > 0 ? `≈ ${formatDistance(totals.travelKm, book.travel.unit)}, ${formatMinutes(totals.travelMinutes)}` : 'not estimated'}
                          {totals.unknownLegs > 0 ? ` + ${countText(totals.unknownLegs, 'leg')} unknown` : ''}
                        </dd>
                      </div>
                      {totals.conflicts > 0 ? (
                        <div className="rs-summary__conflicts">
                          <dt>Conflicts</dt>
                          <dd data-summary="conflicts">{totals.conflicts} flagged below</dd>
                        </div>
                      ) : null}
                    </dl>
                  ) : null}
                  {stops.length > 0 ? <p className="rs-note">{estimateNote(book.travel)}</p> : null}
                  {book.zoneInTimes ? (
                    <p className="rs-note">Clocks change today: times show their zone ({book.timeZone}).</p>
                  ) : null}
                </div>
                {sheet.sketch ? <RouteSketch sketch={sheet.sketch} color={provider.color} /> : null}
              </header>
            </td>
          </tr>
          {stops.length === 0 ? (
            <tr className="rs-empty-row">
              <td>
                <p className="rs-empty" data-route-sheet-empty="">
                  No jobs on {book.dateLabel}.
                </p>
              </td>
            </tr>
          ) : (
            stops.map((stop) => <StopRow key={stop.bookingId} stop={stop} unit={book.travel.unit} />)
          )}
          <tr className="rs-end-row">
            <td>
              <div className="rs-end">
                <div className="rs-end__notes">
                  <span className="rs-label">Notes</span>
                  <span className="rs-line" />
                  <span className="rs-line" />
                  <span className="rs-line" />
                </div>
                <div className="rs-end__signatures">
                  <span className="rs-field">
                    <span className="rs-label">Technician signature</span>
                    <span className="rs-line" />
                  </span>
                  <span className="rs-field rs-field--short">
                    <span className="rs-label">Date</span>
                    <span className="rs-line" />
                  </span>
                  <span className="rs-field">
                    <span className="rs-label">Checked by (office)</span>
                    <span className="rs-line" />
                  </span>
                </div>
              </div>
            </td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

function StopRow({ stop, unit }: { stop: RouteStop; unit: DistanceUnit }) {
  const closed = stop.status === 'completed';
  const serviceShown = stop.service && !stop.title.toLowerCase().includes(stop.service.toLowerCase());
  return (
    <tr className="rs-stop-row" data-stop={stop.number} data-booking-id={stop.bookingId}>
      <td>
        {stop.travelFrom ? (
          <p className={`rs-leg${stop.travelFrom.km === null ? ' rs-leg--unknown' : ''}`} data-leg-from={String(stop.travelFrom.from)}>
            {legText(stop.travelFrom, unit)}
          </p>
        ) : null}
        <article className={`rs-stop rs-stop--${stop.priority}`} aria-label={`Stop ${stop.number}`}>
          <div className="rs-stop__number" aria-hidden="true">
            {stop.number}
          </div>
          <div className="rs-stop__main">
            <p className="rs-stop__when">
              <strong className="rs-stop__time">{stop.timeLabel}</strong>
              <span className="rs-stop__duration">{formatMinutes(stop.durationMinutes)}</span>
              <span className="rs-stop__title">{stop.title}</span>
            </p>
            <p className="rs-stop__customer">
              <strong data-field="customer">{stop.customer?.name ?? 'No customer'}</strong>
              {stop.customer?.phone ? <span data-field="phone">{stop.customer.phone}</span> : null}
            </p>
            <p className="rs-stop__address" data-field="address">
              {stop.address || 'No address'}
            </p>
            {serviceShown ? <p className="rs-stop__detail">Service: {stop.service}</p> : null}
            {stop.teamMates.length > 0 ? (
              <p className="rs-stop__detail" data-field="team">
                With: {listText(stop.teamMates)}
              </p>
            ) : null}
            {stop.accessNotes ? (
              <p className="rs-stop__detail rs-stop__access" data-field="access">
                <span className="rs-label-inline">Access:</span> {printedNote(stop.accessNotes)}
              </p>
            ) : null}
            {stop.notes ? (
              <p className="rs-stop__detail" data-field="notes">
                <span className="rs-label-inline">Job notes:</span> {printedNote(stop.notes)}
              </p>
            ) : null}
            {stop.conflicts.length > 0 ? (
              <ul className="rs-conflicts" data-field="conflicts">
                {stop.conflicts.map((c) => (
                  <li key={c.message} className={`rs-conflict rs-conflict--${c.severity}`} data-conflict-kind={c.kind}>
                    {c.severity === 'red' ? 'Conflict: ' : 'Check: '}
                    {c.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
          <div className="rs-stop__side">
            <p className="rs-stop__window" data-field="window">
              <span className="rs-label">Arrival window</span>
              <strong>{stop.arrivalWindow?.label ?? 'Any time'}</strong>
            </p>
            {stop.priority !== 'normal' ? <p className={`rs-tag rs-tag--${stop.priority}`}>{PRIORITY_LABELS[stop.priority]}</p> : null}
            {closed || stop.status === 'in_progress' || stop.status === 'en_route' ? (
              <p className="rs-stop__status">{STATUS_LABELS[stop.status]}</p>
            ) : null}
            <div className="rs-stop__fill">
              <span className="rs-field">
                <span className="rs-label">Arrived</span>
                <span className="rs-line" />
              </span>
              <span className="rs-field">
                <span className="rs-label">Done</span>
                <span className="rs-line" />
              </span>
              <span className="rs-field">
                <span className="rs-label">Customer initials</span>
                <span className="rs-line" />
              </span>
            </div>
          </div>
        </article>
      </td>
    </tr>
  );
}
