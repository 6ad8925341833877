import { useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { request } from '../forms/backend';
import { useWorkspaceStatus, workspaceStatus } from './workspace-status';

/**
 * The demo's mark in the navigation, on every screen, with the one step out of it: "Start my company"
 * removes the demo company (a backup is kept) and brings back the first-run screen.
 */
export function DemoBadge({ client, collapsed }: { client: BackendClient; collapsed: boolean }) {
  const status = useWorkspaceStatus();
  const toast = useToast();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (status.state !== 'demo') return null;
  const name = status.demoName ?? 'the demo company';

  const start = async () => {
    setBusy(true);
    const done = await request(client, 'workspace:startMyCompany', {});
    setBusy(false);
    setAsking(false);
    if (!done.ok) {
      toast(done.error.message, 'error');
      return;
    }
    toast(`The demo company is removed. A copy was kept at ${done.value.backupPath}`, 'success');
    workspaceStatus.set(done.value.status);
  };

  return (
    <div className="fr-demo-badge" data-demo-badge="">
      <button
        type="button"
        className="fr-demo-badge__label"
        title={`This workspace holds the demo company ${name}: made-up people and jobs`}
        aria-label={`Demo company: ${name}. Start my company…`}
        onClick={() => setAsking(true)}
      >
        Demo
      </button>
      {collapsed ? null : (
        <button type="button" className="fr-demo-badge__start" data-action="start-my-company" onClick={() => setAsking(true)}>
          Start my company
        </button>
      )}
      {asking ? (
        <ConfirmDialog
          name="start-my-company"
          title="Start my company"
          danger
          confirmLabel={busy ? 'Removing…' : 'Remove the demo company'}
          onConfirm={() => void (busy ? undefined : start())}
          onCancel={() => setAsking(false)}
        >
          <p>
            This removes the demo company <strong>{name}</strong>: its providers, customers, services and jobs, and any changes you made to
            them. A copy of this workspace is kept next to it first.
          </p>
          <p>You then set up your own company, or sign in to your company’s server.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
