import { useSync } from '../sync/SyncContext.tsx';
import { useClient } from '../../components/ClientContext.tsx';
import { useBackendQuery } from '../forms/backend.ts';
import { NOTIFICATION_CHANNEL_LABELS, NOTIFICATION_STATUS_LABELS, type NotificationEntry } from '../../../../core/sync/notification-log.ts';
import './notifications.css';

/** When the entry's last step happened: sent, due again, or batched until. */
function whenOf(n: NotificationEntry, formatTime: (iso: string) => string): string {
  if (n.sentAt) return `sent ${formatTime(n.sentAt)}`;
  if (n.status === 'collecting' && n.holdUntil) return `goes out ${formatTime(n.holdUntil)}`;
  if (n.status === 'pending' && n.nextAttemptAt) return `next try ${formatTime(n.nextAttemptAt)}`;
  return formatTime(n.createdAt);
}

/**
 * The job panel's notification log, from the sync server (admins and dispatchers signed in to one): what
 * was sent about this job, to whom, on which channel, and how it went.
 */
export function JobNotifications({ bookingId, formatTime }: { bookingId: string; formatTime: (iso: string) => string }) {
  const { status } = useSync();
  const signedIn = !!status?.user && status.linked && status.state !== 'signed-out' && status.state !== 'error';
  const mayRead = signedIn && (status.user!.role === 'admin' || status.user!.role === 'dispatcher');
  if (!mayRead) return null;
  return <NotificationLog bookingId={bookingId} formatTime={formatTime} />;
}

function NotificationLog({ bookingId, formatTime }: { bookingId: string; formatTime: (iso: string) => string }) {
  const client = useClient();
  const log = useBackendQuery(client, 'notifications:listForBooking', { bookingId }, ['schedule:changed']);
  const entries = log.data?.notifications ?? [];
  return (
    <section className="cl-panel__section ntf-log" data-notification-log={log.loading ? 'loading' : entries.length}>
      <h3>
        Notifications{' '}
        <button type="button" className="cl-button ntf-refresh" data-action="refresh-notifications" onClick={log.reload}>
          Refresh
        </button>
      </h3>
      {log.error ? (
        <p className="cl-error" role="alert" data-notification-error={log.error.code}>
          {log.error.message}
        </p>
      ) : null}
      {!log.loading && !log.error && entries.length === 0 ? <p className="cl-muted">Nobody has been notified about this job.</p> : null}
      {entries.length > 0 ? (
        <ul className="ntf-list">
          {entries.map((n) => (
            <li key={n.id} data-notification-id={n.id} data-notification-status={n.status} data-channel={n.channel}>
              <span className={`ntf-status ntf-status--${n.status}`}>{NOTIFICATION_STATUS_LABELS[n.status]}</span>{' '}
              <strong>{n.recipient.name || n.recipient.kind}</strong>{' '}
              <span className="cl-muted">
                {NOTIFICATION_CHANNEL_LABELS[n.channel]}
                {n.recipient.address ? ` · ${n.recipient.address}` : ''} · {whenOf(n, formatTime)}
                {n.attempts > 1 ? ` · ${n.attempts} attempts` : ''}
              </span>
              {n.subject ? <div className="ntf-subject">{n.kind === 'daily' ? 'Daily schedule: ' : ''}{n.subject}</div> : null}
              {n.lastError && n.status !== 'sent' ? <div className="ntf-error">{n.lastError}</div> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
