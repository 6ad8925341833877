import type { BookingDetails } from '../../../../core/api/contract.ts';
import { readableSummary } from '../../../../core/field-labels.ts';
import { historySummaryText } from '../../../../core/history-text.ts';
import { fmtDateTime, organizationFormatter } from '../board/time-format.ts';

/** The job panel's read-only sections: conflicts with their reasons, moves made at the same time, history. */

export function JobConflicts({ conflicts }: { conflicts: BookingDetails['conflicts'] }) {
  return (
    <section className="cl-panel__section" data-panel-conflicts={conflicts.length}>
      <h3>Conflicts</h3>
      {conflicts.length === 0 ? (
        <p className="cl-muted">No conflicts</p>
      ) : (
        <ul className="cl-conflicts">
          {conflicts.map((c, i) => (
            <li key={`${c.kind}:${c.providerId ?? ''}:${c.otherBookingId ?? ''}:${i}`} className={`cl-conflict cl-conflict--${c.severity}`} data-conflict-kind={c.kind} data-severity={c.severity}>
              {c.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function JobConcurrentMoves({ moves, zone }: { moves: NonNullable<BookingDetails['concurrentMoves']>; zone: string }) {
  return (
    <section className="cl-panel__section cl-moves" data-concurrent-moves={moves.lost.length}>
      <h3>Moved at the same time</h3>
      <p>
        While offline, {moves.lost.length === 1 ? 'two moves were' : 'several moves were'} made
        from the same starting point. Only one slot can win, whole:
      </p>
      <ul>
        <li className="cl-moves__winner" data-move-result="won">
          <strong>Kept:</strong> {moves.winner.by.name} — {historySummaryText(moves.winner, organizationFormatter(zone))}
          <span className="cl-muted"> ({fmtDateTime(moves.winner.at, zone)})</span>
        </li>
        {moves.lost.map((m) => (
          <li key={m.id} className="cl-moves__lost" data-move-result="lost">
            <strong>Not applied:</strong> {m.by.name} — {historySummaryText(m, organizationFormatter(zone))}
            <span className="cl-muted"> ({fmtDateTime(m.at, zone)})</span>
          </li>
        ))}
      </ul>
      <p className="cl-muted">Moving the job again settles it for everyone.</p>
    </section>
  );
}

export function JobHistory({ history, zone }: { history: BookingDetails['history']; zone: string }) {
  return (
    <section className="cl-panel__section">
      <h3>History</h3>
      <ol className="cl-history" data-history={history.length}>
        {[...history].reverse().map((h) => (
          <li key={h.id} data-history-action={h.action}>
            <span className="cl-history__when">{fmtDateTime(h.at, zone)}</span>
            <span className="cl-history__who">{h.by.name}</span>
            <span className="cl-history__what">{readableSummary(historySummaryText(h, organizationFormatter(zone)))}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
