import { useWorkspaceStatus, workspaceStatus } from '../first-run/workspace-status';
import { useEffect, useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract.ts';
import type { LinkResult, SignInResult, SyncStatus } from '../../../../core/sync/client-status.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { request } from '../forms/backend.ts';
import { syncDescription, syncLabel } from './sync-labels.ts';
import { SyncStateIcon } from './SyncStateIcon.tsx';
import { useOrgWhen } from '../forms/org-when.ts';
import { RedeemCodeForm } from './RedeemCodeForm.tsx';
import { SignInForm } from './SignInForm.tsx';
import { folderOf, isSignedIn } from './sync-dialog-text.ts';
import { ConfirmReplace, LinkChoice, LinkedNote, LinkStatus } from './SyncLinkSteps.tsx';

type Step =
  | { kind: 'status' }
  | { kind: 'sign-in' }
  | { kind: 'redeem' }
  | { kind: 'link'; signIn: SignInResult; serverUrl: string }
  | { kind: 'confirm-replace'; signIn: SignInResult; serverUrl: string }
  | { kind: 'linked'; result: LinkResult; serverUrl: string };

/**
 * Sign-in to a Crewline server and the first link of this workspace (docs/design.md §7): an empty organization is
 * offered this workspace (upload); otherwise the workspace is replaced by the organization's after a
 * confirmation that names the backup and the staged board edits it discards. Next to the sign-in, "I have
 * an invite or setup code" redeems a code and chooses a password instead, then links the same way. When
 * signed in, it shows the link (server, user, role) and signs out.
 */
export function SyncDialog({ client, status, onClose }: { client: BackendClient; status: SyncStatus | null; onClose: () => void }) {
  const [step, setStep] = useState<Step>(() => (isSignedIn(status) ? { kind: 'status' } : { kind: 'sign-in' }));
  const [busy, setBusy] = useState(false);
  const [linkError, setLinkError] = useState<string | null>(null);
  const [workspaceDir, setWorkspaceDir] = useState<string | null>(null);
  const toast = useToast();
  const workspace = useWorkspaceStatus();
  const fmtWhen = useOrgWhen(client);

  useEffect(() => {
    void request(client, 'app:getInfo', {}).then((r) => r.ok && setWorkspaceDir(folderOf(r.value.workspace)));
  }, [client]);

  // The sign-in stopped working (token refused) while the dialog shows the link: ask again.
  useEffect(() => {
    if (step.kind === 'status' && !isSignedIn(status)) setStep({ kind: 'sign-in' });
  }, [status, step.kind]);

  const link = async (mode: 'upload' | 'replace', serverUrl: string) => {
    setBusy(true);
    setLinkError(null);
    // The warning below named the demo data, and the button said so: that is the user's confirmation.
    const r = await request(client, 'sync:link', { mode, confirmDemo: mode === 'upload' && workspace.state === 'demo' });
    setBusy(false);
    if (!r.ok) {
      setLinkError(r.error.message);
      return;
    }
    toast(mode === 'upload' ? 'Uploaded this workspace to the server' : 'Replaced this workspace with the organization’s schedule', 'success');
    setStep({ kind: 'linked', result: r.value, serverUrl });
    void workspaceStatus.load(client);
  };

  /** Leaving before choosing: the backend forgets the sign-in it was holding for the decision. */
  const abandon = async () => {
    await request(client, 'sync:signOut', {});
    setStep({ kind: 'sign-in' });
  };

  const signOut = async () => {
    setBusy(true);
    const r = await request(client, 'sync:signOut', {});
    setBusy(false);
    if (!r.ok) {
      toast(r.error.message, 'error');
      return;
    }
    toast('Signed out: changes stay on this computer until you sign in again', 'info');
    setStep({ kind: 'sign-in' });
  };

  const title =
    step.kind === 'sign-in' ? 'Sign in to sync' : step.kind === 'redeem' ? 'Use an invite or setup code' : step.kind === 'status' ? 'Sync' : 'Link this workspace';

  /** After a sign-in or a redeemed code: link when the server asks, else syncing resumed. */
  const signedIn = (signIn: SignInResult, serverUrl: string, note: string) => {
    if (!signIn.needsLink) {
      toast(`${note}: syncing resumed`, 'success');
      setStep({ kind: 'status' });
    } else setStep({ kind: 'link', signIn, serverUrl });
  };

  return (
    <Dialog name="sync" title={title} className="sync-dialog" onClose={onClose}>
      {step.kind === 'sign-in' || step.kind === 'redeem' || step.kind === 'status' ? (
        <p className="sync-dialog__state" data-sync-dialog-state={status?.state ?? 'unavailable'}>
          <SyncStateIcon state={status?.state ?? null} />
          <strong>{syncLabel(status)}</strong>
          <span className="cl-muted"> — {syncDescription(status, fmtWhen)}</span>
        </p>
      ) : null}

      {step.kind === 'sign-in' ? (
        <SignInForm
          client={client}
          status={status}
          onCancel={onClose}
          onUseCode={() => setStep({ kind: 'redeem' })}
          onSignedIn={(signIn, serverUrl) => signedIn(signIn, serverUrl, 'Signed in')}
        />
      ) : null}

      {step.kind === 'redeem' ? (
        <RedeemCodeForm
          client={client}
          status={status}
          onCancel={onClose}
          onBack={() => setStep({ kind: 'sign-in' })}
          onSignedIn={(result, serverUrl) => {
            const note = result.codeKind === 'setup' ? 'Your admin account is created' : 'Your password is set';
            if (result.needsLink) toast(`${note}: now link this workspace`, 'success');
            signedIn(result, serverUrl, note);
          }}
        />
      ) : null}

      {step.kind === 'status' && status?.user ? (
        <LinkStatus serverUrl={status.serverUrl} user={status.user} pending={status.pending} busy={busy} onSignOut={() => void signOut()} onClose={onClose} />
      ) : null}

      {step.kind === 'link' ? (
        <LinkChoice
          signIn={step.signIn}
          serverUrl={step.serverUrl}
          busy={busy}
          linkError={linkError}
          onUpload={() => void link('upload', step.serverUrl)}
          onReplace={() => setStep({ ...step, kind: 'confirm-replace' })}
          onAbandon={() => void abandon()}
        />
      ) : null}

      {step.kind === 'confirm-replace' ? (
        <ConfirmReplace
          signIn={step.signIn}
          serverUrl={step.serverUrl}
          workspaceDir={workspaceDir}
          busy={busy}
          linkError={linkError}
          onConfirm={() => void link('replace', step.serverUrl)}
          onBack={() => setStep({ ...step, kind: 'link' })}
        />
      ) : null}

      {step.kind === 'linked' ? <LinkedNote result={step.result} serverUrl={step.serverUrl} onClose={onClose} /> : null}
    </Dialog>
  );
}
