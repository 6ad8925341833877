import { useState } from 'react';
import { countText } from '../../../../core/format.ts';
import type { BackendClient } from '../../../../core/api/contract.ts';
import { NOTIFICATION_CHANNEL_LABELS } from '../../../../core/sync/notification-log.ts';
import { request, useBackendQuery } from '../forms/backend.ts';
import './notifications.css';
import { Button } from '../../components/Button.tsx';

/**
 * Messages the server gave up on (admins, on the Team screen): to whom, why, and Retry — the same message
 * goes into the queue again with its idempotency key, so a receiver that got it already can tell.
 */
export function DeadLetters({ client }: { client: BackendClient }) {
  const dead = useBackendQuery(client, 'notifications:listDeadLetters', {}, []);
  const [busy, setBusy] = useState<number | null>(null);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const entries = dead.data?.notifications ?? [];

  const retry = async (id: number, name: string) => {
    setBusy(id);
    const r = await request(client, 'notifications:retry', { id });
    setBusy(null);
    setNotice(r.ok ? { text: `The message to ${name} is queued again.`, error: false } : { text: r.error.message, error: true });
    dead.reload();
  };

  return (
    <section className="ntf-dead" aria-labelledby="dead-letters-title" data-dead-letters={dead.loading ? 'loading' : entries.length}>
      <h2 id="dead-letters-title">
        Dead letters{' '}
        <Button small data-action="refresh-dead-letters" onClick={dead.reload}>
          Refresh
        </Button>
      </h2>
      <p className="adm-muted">Notifications the server could not deliver after its retries, or that were refused.</p>
      {notice ? (
        <p className={notice.error ? 'adm-load-error' : 'adm-notice'} role={notice.error ? 'alert' : 'status'}>
          {notice.text}
        </p>
      ) : null}
      {dead.error ? (
        <p className="adm-load-error" role="alert" data-dead-letters-error={dead.error.code}>
          {dead.error.message}
        </p>
      ) : null}
      {!dead.loading && !dead.error && entries.length === 0 ? <p className="adm-empty">None: every notification was delivered or is still being tried.</p> : null}
      {entries.length > 0 ? (
        <table className="adm-table">
          <thead>
            <tr>
              <th>To</th>
              <th>Channel</th>
              <th>Message</th>
              <th>Why</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries.map((n) => (
              <tr key={n.id} data-dead-letter={n.id}>
                <td>
                  {n.recipient.name}
                  <div className="adm-muted">{n.recipient.address}</div>
                </td>
                <td>{NOTIFICATION_CHANNEL_LABELS[n.channel]}</td>
                <td>{n.subject}</td>
                <td className="ntf-error">
                  {n.lastError} <span className="adm-muted">({countText(n.attempts, 'attempt')})</span>
                </td>
                <td>
                  <Button small data-action="retry-dead-letter" disabled={busy === n.id} onClick={() => void retry(n.id, n.recipient.name)}>
                    Retry
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
