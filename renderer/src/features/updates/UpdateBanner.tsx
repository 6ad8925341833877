import { useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import { Button } from '../../components/Button.tsx';
import { request } from '../forms/backend';
import { bannerView } from './update-view';
import { useUpdates } from './use-updates';
import './updates.css';

/**
 * The desktop's update banner (issue 22): the background download's progress, then "Restart to update".
 * Renders nothing on the web host (no updater) or when there is nothing to say.
 */
export function UpdateBanner({ client }: { client: BackendClient }) {
  const { status } = useUpdates(client);
  const [problem, setProblem] = useState<string | null>(null);
  const view = bannerView(status);
  if (!view) return null;
  const restart = async () => {
    const r = await request(client, 'updates:restart', {});
    setProblem(r.ok ? null : r.error.message);
  };
  return (
    <div className={`cl-update-banner upd-banner${view.tone === 'error' ? ' is-error' : ''}`} role="status" data-update-banner="">
      <span>{problem ?? view.text}</span>
      {view.percent !== null ? <progress className="upd-progress" max={100} value={view.percent} aria-label="Update download" /> : null}
      {view.canRestart ? (
        <Button variant="primary" small onClick={() => void restart()}>
          Restart to update
        </Button>
      ) : null}
    </div>
  );
}
