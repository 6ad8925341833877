import { countText } from '../../../../core/format.ts';
import type { SignInResult, LinkResult, SyncStatus } from '../../../../core/sync/client-status.ts';
import { useWorkspaceStatus } from '../first-run/workspace-status';
import { hostOf, roleLabel } from './sync-dialog-text.ts';

// The sync dialog's steps after the sign-in form: the link while signed in, the upload/replace choice, its
// confirmation and the result. The dialog (SyncDialog.tsx) owns the step and the requests; these only show.

type SyncUser = NonNullable<SyncStatus['user']>;

/** Signed in: the server, the user, the role and what is still waiting for the server. */
export function LinkStatus({ serverUrl, user, pending, busy, onSignOut, onClose }: { serverUrl: string | null; user: SyncUser; pending: number; busy: boolean; onSignOut: () => void; onClose: () => void }) {
  return (
    <div className="sync-dialog__link" data-sync-link="">
      <dl className="cl-facts">
        <dt>Server</dt>
        <dd data-sync-server="">{serverUrl}</dd>
        <dt>Signed in as</dt>
        <dd data-sync-user="">
          {user.name} <span className="cl-muted">({user.email})</span>
        </dd>
        <dt>Role</dt>
        <dd data-sync-role={user.role}>{roleLabel(user.role)}</dd>
        <dt>Waiting</dt>
        <dd>
          {pending === 0 ? 'Nothing: every change is on the server' : `${countText(pending, 'change')} not confirmed by the server yet`}
        </dd>
      </dl>
      <div className="sync-dialog__actions">
        <button type="button" className="cl-button" data-action="sign-out" disabled={busy} onClick={onSignOut}>
          Sign out
        </button>
        <button type="button" className="cl-button cl-button--primary" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

/** Just signed in to a server that wants a link: upload this workspace (empty organization) or take the organization's. */
export function LinkChoice({
  signIn,
  serverUrl,
  busy,
  linkError,
  onUpload,
  onReplace,
  onAbandon,
}: {
  signIn: SignInResult;
  serverUrl: string;
  busy: boolean;
  linkError: string | null;
  onUpload: () => void;
  onReplace: () => void;
  onAbandon: () => void;
}) {
  const workspace = useWorkspaceStatus();
  return (
    <div className="sync-dialog__choice" data-sync-choice={signIn.orgEmpty ? 'upload' : 'replace'}>
      <p>
        Signed in as <strong>{signIn.user.name}</strong> ({roleLabel(signIn.user.role)}) on {hostOf(serverUrl)}.
      </p>
      {signIn.orgEmpty ? (
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
            <button type="button" className="cl-button cl-button--primary" data-action="upload-workspace" disabled={busy} onClick={onUpload}>
              {busy
                ? 'Uploading…'
                : workspace.state === 'demo'
                  ? `Upload the demo data to the organization on ${hostOf(serverUrl)}`
                  : `Upload this workspace to the organization on ${hostOf(serverUrl)}`}
            </button>
            <button type="button" className="cl-button" disabled={busy} onClick={onAbandon}>
              Not now
            </button>
          </div>
        </>
      ) : (
        <>
          <p>The organization on this server already has a schedule. This desktop can only sync by taking it over.</p>
          <div className="sync-dialog__actions">
            <button type="button" className="cl-button cl-button--primary" data-action="replace-workspace" onClick={onReplace}>
              Replace this workspace with the organization’s schedule…
            </button>
            <button type="button" className="cl-button" onClick={onAbandon}>
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
  );
}

/** The confirmation before replacing: it names the backup kept first and the staged board edits it discards. */
export function ConfirmReplace({
  signIn,
  serverUrl,
  workspaceDir,
  busy,
  linkError,
  onConfirm,
  onBack,
}: {
  signIn: SignInResult;
  serverUrl: string;
  workspaceDir: string | null;
  busy: boolean;
  linkError: string | null;
  onConfirm: () => void;
  onBack: () => void;
}) {
  return (
    <div className="sync-dialog__confirm" data-sync-confirm="replace">
      <p>
        <strong>This workspace will be replaced</strong> by the schedule of the organization on {hostOf(serverUrl)}.
      </p>
      <ul>
        <li data-backup-note="">
          {signIn.localEmpty ? 'This workspace is empty; a' : 'A'} copy of it is kept first as{' '}
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
        <li data-discard-note={signIn.stagedCount}>
          {signIn.stagedCount === 0
            ? 'There are no unsaved board changes.'
            : `${countText(signIn.stagedCount, 'unsaved board change is', 'unsaved board changes are')} discarded (they stay in the backup).`}
        </li>
      </ul>
      <div className="sync-dialog__actions">
        <button type="button" className="cl-button cl-button--danger" data-action="confirm-replace" disabled={busy} onClick={onConfirm}>
          {busy ? 'Replacing…' : 'Replace this workspace'}
        </button>
        <button type="button" className="cl-button" disabled={busy} onClick={onBack}>
          Back
        </button>
      </div>
      {linkError ? (
        <p className="cl-error" role="alert" data-link-error="">
          {linkError}
        </p>
      ) : null}
    </div>
  );
}

/** Linked: what happened to this workspace, and where the previous one is kept. */
export function LinkedNote({ result, serverUrl, onClose }: { result: LinkResult; serverUrl: string; onClose: () => void }) {
  return (
    <div className="sync-dialog__done" data-sync-linked={result.mode}>
      {result.mode === 'upload' ? (
        <p>This workspace is now the organization’s schedule on {hostOf(serverUrl)}. Other desktops that sign in get it.</p>
      ) : (
        <>
          <p>This workspace now holds the organization’s schedule from {hostOf(serverUrl)}.</p>
          {result.backupPath ? (
            <p>
              The previous workspace is kept in <code data-backup-path="">{result.backupPath}</code>.
            </p>
          ) : null}
          {result.discardedDrafts > 0 ? (
            <p data-discarded={result.discardedDrafts}>
              {countText(result.discardedDrafts, 'unsaved board change was', 'unsaved board changes were')} discarded.
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
  );
}
