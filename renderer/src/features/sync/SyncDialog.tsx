import { useWorkspaceStatus, workspaceStatus } from '../first-run/workspace-status';
import { useEffect, useState, type FormEvent } from 'react';
import type { BackendClient, RedeemCodeResult } from '../../../../core/api/contract.ts';
import type { LinkResult, SignInResult, SyncStatus } from '../../../../core/sync/client-status.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { request } from '../forms/backend.ts';
import { Field } from '../forms/Field.tsx';
import { FieldErrorsContext, useFieldErrors } from '../forms/field-errors.ts';
import { formKeyDown } from '../forms/form-keys.ts';
import { FormMessage } from '../forms/FormMessage.tsx';
import { syncDescription, syncLabel } from './sync-labels.ts';
import { SyncStateIcon } from './SyncStateIcon.tsx';
import { useOrgWhen } from '../forms/org-when.ts';

type Step =
  | { kind: 'status' }
  | { kind: 'sign-in' }
  | { kind: 'redeem' }
  | { kind: 'link'; signIn: SignInResult; serverUrl: string }
  | { kind: 'confirm-replace'; signIn: SignInResult; serverUrl: string }
  | { kind: 'linked'; result: LinkResult; serverUrl: string };

const ROLE_LABELS: Record<string, string> = { admin: 'Admin', dispatcher: 'Dispatcher', technician: 'Technician', viewer: 'Viewer' };
export const roleLabel = (role: string) => ROLE_LABELS[role] ?? role;

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};
const folderOf = (path: string) => path.replace(/[\\/][^\\/]*$/, '') || path;

/** Signed in and not waiting for an upload/replace decision: the dialog shows the link. */
const isSignedIn = (status: SyncStatus | null) => !!status?.user && status.linked && status.state !== 'signed-out' && status.state !== 'error';

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
        <div className="sync-dialog__link" data-sync-link="">
          <dl className="cl-facts">
            <dt>Server</dt>
            <dd data-sync-server="">{status.serverUrl}</dd>
            <dt>Signed in as</dt>
            <dd data-sync-user="">
              {status.user.name} <span className="cl-muted">({status.user.email})</span>
            </dd>
            <dt>Role</dt>
            <dd data-sync-role={status.user.role}>{roleLabel(status.user.role)}</dd>
            <dt>Waiting</dt>
            <dd>
              {status.pending === 0 ? 'Nothing: every change is on the server' : `${status.pending} ${status.pending === 1 ? 'change' : 'changes'} not confirmed by the server yet`}
            </dd>
          </dl>
          <div className="sync-dialog__actions">
            <button type="button" className="cl-button" data-action="sign-out" disabled={busy} onClick={() => void signOut()}>
              Sign out
            </button>
            <button type="button" className="cl-button cl-button--primary" onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      ) : null}

      {step.kind === 'link' ? (
        <div className="sync-dialog__choice" data-sync-choice={step.signIn.orgEmpty ? 'upload' : 'replace'}>
          <p>
            Signed in as <strong>{step.signIn.user.name}</strong> ({roleLabel(step.signIn.user.role)}) on {hostOf(step.serverUrl)}.
          </p>
          {step.signIn.orgEmpty ? (
            <>
              <p>The organization on this server is empty. Upload this workspace so the other desktops can sync with it.</p>
              {workspace.state === 'demo' ? (
                <p className="sync-dialog__demo-warning" role="alert" data-demo-warning="">
                  This workspace holds the <strong>demo company {workspace.demoName}</strong>: made-up providers, customers and jobs. Uploading it
                  puts that demo data into your organization, for everyone who signs in. To start clean instead, choose Not now, then “Start my
                  company” under the Demo badge.
                </p>
              ) : null}
              <div className="sync-dialog__actions">
                <button type="button" className="cl-button cl-button--primary" data-action="upload-workspace" disabled={busy} onClick={() => void link('upload', step.serverUrl)}>
                  {busy
                    ? 'Uploading…'
                    : workspace.state === 'demo'
                      ? `Upload the demo data to the organization on ${hostOf(step.serverUrl)}`
                      : `Upload this workspace to the organization on ${hostOf(step.serverUrl)}`}
                </button>
                <button type="button" className="cl-button" disabled={busy} onClick={() => void abandon()}>
                  Not now
                </button>
              </div>
            </>
          ) : (
            <>
              <p>The organization on this server already has a schedule. This desktop can only sync by taking it over.</p>
              <div className="sync-dialog__actions">
                <button type="button" className="cl-button cl-button--primary" data-action="replace-workspace" onClick={() => setStep({ ...step, kind: 'confirm-replace' })}>
                  Replace this workspace with the organization’s schedule…
                </button>
                <button type="button" className="cl-button" onClick={() => void abandon()}>
                  Not now
                </button>
              </div>
            </>
          )}
          {linkError ? (
            <p className="cl-error" role="alert" data-link-error="">
              {linkError}
            </p>
          ) : null}
        </div>
      ) : null}

      {step.kind === 'confirm-replace' ? (
        <div className="sync-dialog__confirm" data-sync-confirm="replace">
          <p>
            <strong>This workspace will be replaced</strong> by the schedule of the organization on {hostOf(step.serverUrl)}.
          </p>
          <ul>
            <li data-backup-note="">
              {step.signIn.localEmpty ? 'This workspace is empty; a' : 'A'} copy of it is kept first as{' '}
              <code>workspace-backup-&lt;date&gt;T&lt;time&gt;Z.sqlite</code>
              {workspaceDir ? (
                <>
                  {' '}
                  in <code>{workspaceDir}</code>
                </>
              ) : (
                ' next to the workspace file'
              )}
              .
            </li>
            <li data-discard-note={step.signIn.stagedCount}>
              {step.signIn.stagedCount === 0
                ? 'There are no unsaved board changes.'
                : `${step.signIn.stagedCount} unsaved board ${step.signIn.stagedCount === 1 ? 'change is' : 'changes are'} discarded (they stay in the backup).`}
            </li>
          </ul>
          <div className="sync-dialog__actions">
            <button type="button" className="cl-button cl-button--danger" data-action="confirm-replace" disabled={busy} onClick={() => void link('replace', step.serverUrl)}>
              {busy ? 'Replacing…' : 'Replace this workspace'}
            </button>
            <button type="button" className="cl-button" disabled={busy} onClick={() => setStep({ ...step, kind: 'link' })}>
              Back
            </button>
          </div>
          {linkError ? (
            <p className="cl-error" role="alert" data-link-error="">
              {linkError}
            </p>
          ) : null}
        </div>
      ) : null}

      {step.kind === 'linked' ? (
        <div className="sync-dialog__done" data-sync-linked={step.result.mode}>
          {step.result.mode === 'upload' ? (
            <p>This workspace is now the organization’s schedule on {hostOf(step.serverUrl)}. Other desktops that sign in get it.</p>
          ) : (
            <>
              <p>This workspace now holds the organization’s schedule from {hostOf(step.serverUrl)}.</p>
              {step.result.backupPath ? (
                <p>
                  The previous workspace is kept in <code data-backup-path="">{step.result.backupPath}</code>.
                </p>
              ) : null}
              {step.result.discardedDrafts > 0 ? (
                <p data-discarded={step.result.discardedDrafts}>
                  {step.result.discardedDrafts} unsaved board {step.result.discardedDrafts === 1 ? 'change was' : 'changes were'} discarded.
                </p>
              ) : null}
            </>
          )}
          <div className="sync-dialog__actions">
            <button type="button" className="cl-button cl-button--primary" data-action="close-sync" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}

function SignInForm({
  client,
  status,
  onSignedIn,
  onUseCode,
  onCancel,
}: {
  client: BackendClient;
  status: SyncStatus | null;
  onSignedIn: (result: SignInResult, serverUrl: string) => void;
  onUseCode: () => void;
  onCancel: () => void;
}) {
  const errors = useFieldErrors();
  const [form, setForm] = useState({ serverUrl: status?.serverUrl ?? '', email: status?.user?.email ?? '', password: '' });
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form, value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    errors.clear(key);
  };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const local: Record<string, string> = {};
    for (const key of ['serverUrl', 'email', 'password'] as const) if (form[key].trim() === '') local[key] = 'Required';
    if (errors.showLocal(local)) return;
    setBusy(true);
    const r = await request(client, 'sync:signIn', { serverUrl: form.serverUrl.trim(), email: form.email.trim(), password: form.password });
    setBusy(false);
    if (!r.ok) {
      errors.showError(r.error);
      return;
    }
    onSignedIn(r.value, form.serverUrl.trim());
  };

  return (
    <FieldErrorsContext value={errors}>
      <form className="adm-form sync-form" data-form="sync-sign-in" noValidate aria-label="Sign in to a Crewline server" onSubmit={(e) => void submit(e)} onKeyDown={formKeyDown(onCancel)}>
        <FormMessage />
        <Field label="Server address" path="serverUrl" hint="From your admin, like http://192.168.1.20:4455">
          {(c) => <input {...c} type="url" autoComplete="url" placeholder="http://192.168.1.20:4455" value={form.serverUrl} onChange={(e) => set('serverUrl', e.target.value)} autoFocus={!form.serverUrl} />}
        </Field>
        <Field label="Email" path="email">
          {(c) => <input {...c} type="email" autoComplete="username" value={form.email} onChange={(e) => set('email', e.target.value)} />}
        </Field>
        <Field label="Password" path="password">
          {(c) => <input {...c} type="password" autoComplete="current-password" value={form.password} onChange={(e) => set('password', e.target.value)} autoFocus={!!form.serverUrl} />}
        </Field>
        <div className="sync-dialog__actions">
          <button type="submit" className="cl-button cl-button--primary" data-action="sign-in" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
          <button type="button" className="cl-button" onClick={onCancel}>
            Cancel
          </button>
        </div>
        <p className="sync-form__alt">
          New here?{' '}
          <button type="button" className="cl-link-button" data-action="use-code" onClick={onUseCode}>
            I have an invite or setup code
          </button>
        </p>
      </form>
    </FieldErrorsContext>
  );
}

type RedeemKey = 'serverUrl' | 'code' | 'email' | 'name' | 'password' | 'passwordAgain';

/**
 * "I have an invite or setup code": the server address, the code and a new password twice. The backend
 * tries the code as an invite; when the server says it is a setup code (the one it printed on its first
 * start), email and name appear, since the first admin's account needs them. Every refusal lands on its
 * field: a dead code on the code field saying why, password rules on the password, a mismatch on the repeat.
 */
function RedeemCodeForm({
  client,
  status,
  onSignedIn,
  onBack,
  onCancel,
}: {
  client: BackendClient;
  status: SyncStatus | null;
  onSignedIn: (result: RedeemCodeResult, serverUrl: string) => void;
  onBack: () => void;
  onCancel: () => void;
}) {
  const errors = useFieldErrors();
  const [form, setForm] = useState<Record<RedeemKey, string>>({ serverUrl: status?.serverUrl ?? '', code: '', email: '', name: '', password: '', passwordAgain: '' });
  /** The server said this is a setup code: the first admin's email and name are needed too. */
  const [setup, setSetup] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (key: RedeemKey, value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    errors.clear(key);
  };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const local: Partial<Record<RedeemKey, string>> = {};
    const required: RedeemKey[] = ['serverUrl', 'code', ...(setup ? (['email', 'name'] as const) : []), 'password', 'passwordAgain'];
    for (const key of required) if (form[key].trim() === '') local[key] = 'Required';
    if (!local.password && form.password.length < 8) local.password = 'At least 8 characters';
    if (!local.password && !local.passwordAgain && form.password !== form.passwordAgain) {
      local.passwordAgain = 'The two passwords are not the same: type the new password again';
    }
    if (errors.showLocal(local)) return;
    setBusy(true);
    const serverUrl = form.serverUrl.trim();
    const r = await request(client, 'sync:redeemCode', {
      serverUrl,
      code: form.code.trim(),
      password: form.password,
      ...(setup ? { email: form.email.trim(), name: form.name.trim() } : {}),
    });
    setBusy(false);
    if (!r.ok) {
      if (r.error.details?.codeKind === 'setup') setSetup(true);
      errors.showError(r.error);
      return;
    }
    onSignedIn(r.value, serverUrl);
  };

  return (
    <FieldErrorsContext value={errors}>
      <form
        className="adm-form sync-form"
        data-form="sync-redeem-code"
        data-code-kind={setup ? 'setup' : 'invite'}
        noValidate
        aria-label="Use an invite or setup code"
        onSubmit={(e) => void submit(e)}
        onKeyDown={formKeyDown(onCancel)}
      >
        <p className="cl-muted">Your admin gave you a one-time code, or you are setting up a new server: choose your password to sign in.</p>
        <FormMessage />
        <Field label="Server address" path="serverUrl" hint="From your admin, like http://192.168.1.20:4455">
          {(c) => <input {...c} type="url" autoComplete="url" placeholder="http://192.168.1.20:4455" value={form.serverUrl} onChange={(e) => set('serverUrl', e.target.value)} autoFocus={!form.serverUrl} />}
        </Field>
        <Field label="Invite or setup code" path="code" hint="Like 7KQ2M-XW9DA-…; capitals and dashes do not matter">
          {(c) => <input {...c} type="text" autoComplete="one-time-code" spellCheck={false} autoCapitalize="characters" value={form.code} onChange={(e) => set('code', e.target.value)} autoFocus={!!form.serverUrl} />}
        </Field>
        {setup ? (
          <>
            <p className="sync-form__note" data-setup-code-note="">
              This is a setup code: it makes you the first admin of the organization on this server. Add your email and name.
            </p>
            <Field label="Email" path="email">
              {(c) => <input {...c} type="email" autoComplete="username" value={form.email} onChange={(e) => set('email', e.target.value)} />}
            </Field>
            <Field label="Your name" path="name">
              {(c) => <input {...c} type="text" autoComplete="name" value={form.name} onChange={(e) => set('name', e.target.value)} />}
            </Field>
          </>
        ) : null}
        <Field label="New password" path="password" hint="At least 8 characters">
          {(c) => <input {...c} type="password" autoComplete="new-password" value={form.password} onChange={(e) => set('password', e.target.value)} />}
        </Field>
        <Field label="New password again" path="passwordAgain">
          {(c) => <input {...c} type="password" autoComplete="new-password" value={form.passwordAgain} onChange={(e) => set('passwordAgain', e.target.value)} />}
        </Field>
        <div className="sync-dialog__actions">
          <button type="submit" className="cl-button cl-button--primary" data-action="redeem-code" disabled={busy}>
            {busy ? 'Checking the code…' : setup ? 'Create my admin account' : 'Set password and sign in'}
          </button>
          <button type="button" className="cl-button" data-action="back-to-sign-in" onClick={onBack}>
            Back to sign in
          </button>
        </div>
      </form>
    </FieldErrorsContext>
  );
}
