import { useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract.ts';
import { request } from '../forms/backend.ts';
import { useSync } from '../sync/SyncContext.tsx';
import './notifications.css';
import { Button } from '../../components/Button.tsx';

/**
 * "Resend daily schedule" on a provider (admins signed in to a server): that day's schedule email again,
 * for a technician who lost it or whose day changed.
 */
export function ResendDailyButton({ client, providerId, today }: { client: BackendClient; providerId: string; today: string }) {
  const { status } = useSync();
  const [date, setDate] = useState(today);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const isAdmin = !!status?.user && status.linked && status.state !== 'signed-out' && status.state !== 'error' && status.user.role === 'admin';
  if (!isAdmin) return null;

  const resend = async () => {
    setBusy(true);
    const r = await request(client, 'notifications:resendDaily', { providerId, date });
    setBusy(false);
    if (r.ok) setNotice({ text: `Queued: ${r.value.notification.subject ?? 'daily schedule'} to ${r.value.notification.recipient.address}.`, error: false });
    else setNotice({ text: r.error.fieldErrors ? Object.values(r.error.fieldErrors).join(' ') : r.error.message, error: true });
  };

  return (
    <div className="ntf-resend" data-resend-daily={providerId}>
      <label>
        <span>Daily schedule for</span>{' '}
        <input className="adm-input" type="date" name="resendDate" value={date} onChange={(e) => setDate(e.target.value)} />
      </label>{' '}
      <Button small data-action="resend-daily" disabled={busy || !date} onClick={() => void resend()}>
        Resend daily schedule
      </Button>
      {notice ? (
        <p className={notice.error ? 'adm-load-error' : 'adm-notice'} role={notice.error ? 'alert' : 'status'} data-resend-notice={notice.error ? 'error' : 'ok'}>
          {notice.text}
        </p>
      ) : null}
    </div>
  );
}
