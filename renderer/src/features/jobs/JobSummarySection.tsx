import type { BookingDetails } from '../../../../core/api/contract.ts';
import { STATUS_LABELS } from '../../../../core/status.ts';
import { toMs } from '../../../../core/time.ts';
import { isRunningLate } from '../board/board-model.ts';
import { priorityLabel } from '../board/card-html.ts';
import { fmtDate, fmtDateTime, fmtTimeRange } from '../board/time-format.ts';

/** The job panel's head: status, priority, staged and late marks, the dispatch stamp and the job's facts. */
export function JobSummarySection({ details, zone, nowMs }: { details: BookingDetails; zone: string; nowMs: number }) {
  const { booking, customer } = details;
  const slot = booking.slot;
  const late = isRunningLate(booking, nowMs);
  return (
    <section className="cl-panel__section">
      <div className="cl-panel__status-line">
        <span className={`cl-status cl-status--${booking.status}`} data-panel-status={booking.status}>
          {STATUS_LABELS[booking.status]}
        </span>
        <span className={`cl-prio cl-prio--${booking.priority}`}>{priorityLabel(booking.priority)}</span>
        {booking.staged ? <span className="cl-staged-dot">unsaved change</span> : null}
        {late ? <span className="cl-late-badge">Running late</span> : null}
      </div>
      <p className="cl-panel__stamp" data-dispatch-stamp={booking.dispatched ? 'true' : 'false'}>
        {booking.dispatched
          ? `Sent to tech ${fmtDateTime(booking.dispatched.at, zone)} by ${booking.dispatched.by.name}`
          : 'Not sent to a technician yet'}
      </p>
      {booking.statusNote ? <p className="cl-panel__note">{booking.statusNote}</p> : null}
      <dl className="cl-facts">
        <dt>When</dt>
        <dd data-panel-when="">
          {slot ? `${fmtDate(toMs(slot.start), zone)}, ${fmtTimeRange(toMs(slot.start), toMs(slot.end), zone)}` : 'No date'}
          {booking.staged && details.savedSlot ? (
            <span className="cl-muted"> (saved: {fmtDate(toMs(details.savedSlot.start), zone)}, {fmtTimeRange(toMs(details.savedSlot.start), toMs(details.savedSlot.end), zone)})</span>
          ) : null}
        </dd>
        {booking.arrivalWindow ? (
          <>
            <dt>Arrival</dt>
            <dd>{fmtTimeRange(toMs(booking.arrivalWindow.start), toMs(booking.arrivalWindow.end), zone)}</dd>
          </>
        ) : null}
        <dt>Customer</dt>
        <dd>
          {customer ? (
            <>
              {customer.name}
              {customer.phone ? <span className="cl-muted"> · {customer.phone}</span> : null}
            </>
          ) : (
            'None'
          )}
        </dd>
        <dt>Address</dt>
        <dd>{booking.location.address || customer?.address || '—'}</dd>
        <dt>Service</dt>
        <dd>{details.service ? `${details.service.name} (${details.service.durationMinutes} min)` : '—'}</dd>
      </dl>
    </section>
  );
}
