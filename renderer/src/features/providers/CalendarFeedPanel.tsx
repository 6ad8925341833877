import { useEffect, useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import type { AppError } from '../../../../core/result';
import type { CalendarFeed } from '../../../../core/sync/team';
import { request } from '../forms/backend';
import { useSync } from '../sync/SyncContext';
import { Button } from '../../components/Button.tsx';

/**
 * The provider's calendar feed (a secret address their phone's calendar subscribes to), served by the
 * sync server: shown with Copy and Regenerate for admins and dispatchers of a signed-in workspace.
 * Regenerating asks first: whoever subscribed to the old address stops getting updates.
 */
export function CalendarFeedPanel({ client, providerId, providerName }: { client: BackendClient; providerId: string; providerName: string }) {
  const { status, openDialog } = useSync();
  const signedIn = !!status?.user && status.linked && status.state !== 'signed-out' && status.state !== 'error';
  const office = signedIn && (status.user!.role === 'admin' || status.user!.role === 'dispatcher');

  let body;
  if (!signedIn) {
    body = (
      <div data-calendar-feed="signed-out">
        <p className="adm-muted">A calendar feed needs a Crewline sync server: sign this console in to one to give {providerName} a feed address.</p>
        <Button small data-action="open-sync" onClick={openDialog}>
          Sign in… (Sync)
        </Button>
      </div>
    );
  } else if (!office) {
    body = (
      <p className="adm-muted" data-calendar-feed="not-allowed">
        Only admins and dispatchers see calendar feed addresses.
      </p>
    );
  } else {
    body = <FeedAddress key={providerId} client={client} providerId={providerId} providerName={providerName} />;
  }
  return (
    <section className="prov-feed" aria-labelledby="prov-feed-title">
      <h3 id="prov-feed-title">Calendar feed</h3>
      {body}
    </section>
  );
}

function FeedAddress({ client, providerId, providerName }: { client: BackendClient; providerId: string; providerName: string }) {
  const [feed, setFeed] = useState<CalendarFeed | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void request(client, 'team:getCalendarFeed', { providerId }).then((r) => {
      if (!live) return;
      if (r.ok) setFeed(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [client, providerId]);

  const regenerate = async () => {
    setBusy(true);
    setNotice(null);
    const r = await request(client, 'team:regenerateCalendarFeed', { providerId });
    setBusy(false);
    setConfirming(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    setFeed(r.value);
    setNotice('New address made. The old one no longer works: subscribe again with this one.');
  };

  const copy = async () => {
    if (!feed) return;
    try {
      await navigator.clipboard.writeText(feed.url);
      setNotice('Address copied.');
    } catch {
      setNotice('Select the address and copy it.');
    }
  };

  return (
    <div data-calendar-feed={feed ? 'ready' : error ? 'error' : 'loading'}>
      <p className="adm-muted">
        {providerName}’s jobs for their phone’s calendar (subscribe by address). Anyone with the address can read these jobs.
      </p>
      {feed ? (
        <div className="prov-feed__row">
          <input type="text" readOnly aria-label="Calendar feed address" value={feed.url} data-calendar-feed-url={feed.url} onFocus={(e) => e.target.select()} />
          <Button small data-action="copy-calendar-feed" onClick={() => void copy()}>
            Copy
          </Button>
        </div>
      ) : null}
      {error ? (
        <p className="adm-load-error" role="alert" data-calendar-feed-error={error.code}>
          {error.message}
        </p>
      ) : null}
      {notice ? (
        <p className="adm-notice" role="status" data-calendar-feed-notice>
          {notice}
        </p>
      ) : null}
      {feed && !confirming ? (
        <Button small data-action="regenerate-calendar-feed" onClick={() => setConfirming(true)}>
          Regenerate address…
        </Button>
      ) : null}
      {confirming ? (
        <div className="prov-feed__confirm" role="group" aria-label="Regenerate the calendar feed address">
          <span>Calendars subscribed to the old address stop updating.</span>
          <Button variant="primary" small data-action="confirm-regenerate-calendar-feed" disabled={busy} onClick={() => void regenerate()}>
            {busy ? 'Regenerating…' : 'Regenerate'}
          </Button>
          <Button small onClick={() => setConfirming(false)}>
            Keep the address
          </Button>
        </div>
      ) : null}
    </div>
  );
}
