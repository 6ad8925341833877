import { countText } from '../../../../core/format.ts';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { BackendClient } from '../../../../core/api/contract.ts';
import type { Role } from '../../../../core/model.ts';
import type { InviteCode, TeamUser } from '../../../../core/sync/team.ts';
import type { AppError } from '../../../../core/result.ts';
import { request, useBackendQuery } from '../forms/backend.ts';
import { useSync } from '../sync/SyncContext.tsx';
import { InviteForm } from './InviteForm.tsx';
import { accountState, ROLE_CHOICES, roleName } from './team-labels.ts';
import { DeadLetters } from '../notifications/DeadLetters.tsx';
import { RecordBody, RecordPanel, RecordScreen, RecordTable } from '../forms/RecordScreen.tsx';
import './team.css';
import { Button } from '../../components/Button.tsx';
import { useOrgWhen } from '../forms/org-when.ts';


/** The one-time code to hand over, shown once after an invite or a fresh code. */
interface ShownCode extends InviteCode {
  name: string;
  email: string;
}

/**
 * The organization's users on the sync server (admins only): invite with a one-time code, change role,
 * disable or enable, sign a user out everywhere, issue a new code. Everything goes through the backend's
 * `team:*` requests with this workspace's sign-in; the server decides and its refusals are shown.
 */
export function TeamScreen({ client }: { client: BackendClient }) {
  const { status, openDialog } = useSync();
  const signedIn = !!status?.user && status.linked && status.state !== 'signed-out' && status.state !== 'error';

  let body;
  if (!signedIn) {
    body = (
      <div className="team-gate" data-team-gate="signed-out">
        <p>
          The team lives on the Crewline server. This console is not signed in to one
          {status?.state === 'error' ? ` (${status.error?.message ?? 'syncing stopped'})` : ''}.
        </p>
        <Button variant="primary" data-action="open-sync" onClick={openDialog}>
          Sign in… (Sync)
        </Button>
      </div>
    );
  } else if (status.user!.role !== 'admin') {
    body = (
      <p className="team-gate" data-team-gate="not-admin">
        Only admins manage the team. You are signed in as {status.user!.name} ({roleName(status.user!.role)}).
      </p>
    );
  } else {
    body = (
      <>
        <TeamAdmin client={client} me={status.user!.id} serverUrl={status.serverUrl ?? ''} />
        <DeadLetters client={client} />
      </>
    );
  }

  return (
    <RecordScreen prefix="team" title="Team" sectionProps={{ 'data-screen': 'team' }}>
      {body}
    </RecordScreen>
  );
}

function TeamAdmin({ client, me, serverUrl }: { client: BackendClient; me: string; serverUrl: string }) {
  const [users, setUsers] = useState<TeamUser[] | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [inviting, setInviting] = useState(false);
  const [shownCode, setShownCode] = useState<ShownCode | null>(null);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const fmtWhen = useOrgWhen(client);
  const providers = useBackendQuery(client, 'providers:list', { includeInactive: true }, ['roster:changed']);
  const providerName = useMemo(() => new Map((providers.data ?? []).map((p) => [p.id, p.name])), [providers.data]);

  const load = useCallback(async () => {
    const r = await request(client, 'team:listUsers', {});
    if (!r.ok) {
      setLoadError(r.error);
      return;
    }
    setLoadError(null);
    setUsers(r.value.users);
  }, [client]);
  useEffect(() => {
    void load();
  }, [load]);

  /** One row action: the answer replaces the row, a refusal is said above the list. */
  const act = async (user: TeamUser, run: () => Promise<{ ok: true; text: string; user?: TeamUser } | { ok: false; error: AppError }>) => {
    setBusyId(user.id);
    setNotice(null);
    const r = await run();
    setBusyId(null);
    if (!r.ok) {
      setNotice({ text: r.error.message, error: true });
      return;
    }
    if (r.user) setUsers((list) => list?.map((u) => (u.id === r.user!.id ? r.user! : u)) ?? null);
    setNotice({ text: r.text, error: false });
  };

  const setRole = (user: TeamUser, role: Role) =>
    act(user, async () => {
      const r = await request(client, 'team:updateUser', { id: user.id, role });
      return r.ok ? { ok: true, user: r.value.user, text: `${user.name} is now ${roleName(role)}.` } : r;
    });
  const setDisabled = (user: TeamUser, disabled: boolean) =>
    act(user, async () => {
      const r = await request(client, 'team:updateUser', { id: user.id, disabled });
      return r.ok
        ? { ok: true, user: r.value.user, text: disabled ? `${user.name} is disabled and signed out everywhere.` : `${user.name} can sign in again.` }
        : r;
    });
  const revoke = (user: TeamUser) =>
    act(user, async () => {
      const r = await request(client, 'team:revokeSessions', { id: user.id });
      return r.ok ? { ok: true, text: `Signed ${user.name} out of ${countText(r.value.revoked, 'session')}.` } : r;
    });
  const newCode = (user: TeamUser) =>
    act(user, async () => {
      const r = await request(client, 'team:newInviteCode', { id: user.id });
      if (!r.ok) return r;
      setShownCode({ ...r.value, name: user.name, email: user.email });
      return { ok: true, text: `New code for ${user.name}; older codes no longer work.` };
    });

  return (
    <>
      <div className="adm-toolbar team-toolbar">
        <span className="adm-muted">
          Users of the organization on <code>{serverUrl}</code>
        </span>
        <Button data-action="reload-team" onClick={() => void load()}>
          Refresh
        </Button>
        <Button
          variant="primary"
          data-action="invite-user"
          onClick={() => {
            setShownCode(null);
            setInviting(true);
          }}
        >
          Invite user
        </Button>
      </div>
      {notice ? (
        <p className={notice.error ? 'adm-load-error' : 'adm-notice'} role={notice.error ? 'alert' : 'status'} data-team-notice={notice.error ? 'error' : 'ok'}>
          {notice.text}
        </p>
      ) : null}
      {shownCode ? (
        <div className="team-code" role="status" data-invite-code={shownCode.inviteCode} data-invite-email={shownCode.email}>
          <p>
            One-time code for <strong>{shownCode.name}</strong> ({shownCode.email}):
          </p>
          <p className="team-code__value">
            <code>{shownCode.inviteCode}</code>
            <Button small onClick={() => void navigator.clipboard?.writeText(shownCode.inviteCode)}>
              Copy
            </Button>
          </p>
          <p className="adm-muted">
            Hand it over in person or by phone. It sets their password once, until {fmtWhen(shownCode.inviteExpiresAt)}; it is not shown again.
          </p>
          <Button small onClick={() => setShownCode(null)}>
            Done
          </Button>
        </div>
      ) : null}
      {loadError ? (
        <p className="adm-load-error" role="alert" data-team-load-error={loadError.code}>
          Could not load the team: {loadError.message}
        </p>
      ) : null}
      <RecordBody
        panel={
          inviting ? (
            <RecordPanel label="Invite a user">
              <h2>Invite a user</h2>
              <InviteForm
                client={client}
                providers={providers.data ?? []}
                onCancel={() => setInviting(false)}
                onInvited={(invite) => {
                  setInviting(false);
                  setUsers((list) => [...(list ?? []).filter((u) => u.id !== invite.user.id), invite.user]);
                  setShownCode({ inviteCode: invite.inviteCode, inviteExpiresAt: invite.inviteExpiresAt, name: invite.user.name, email: invite.user.email });
                  setNotice({ text: `Invited ${invite.user.name} as ${roleName(invite.user.role)}.`, error: false });
                }}
              />
            </RecordPanel>
          ) : null
        }
      >
        <RecordTable
          className="team-table"
          columns={['Name', 'Email', 'Role', 'Account', 'Actions']}
          rows={users ?? []}
          id={(u) => u.id}
          rowProps={(u) => ({
            'data-team-user': u.email,
            'data-user-id': u.id,
            'data-role': u.role,
            'data-account': accountState(u),
            className: u.disabled ? 'adm-row--inactive' : undefined,
          })}
          cells={(u) => {
            const state = accountState(u);
            const busy = busyId === u.id;
            return (
              <>
                <td>
                  {u.name}
                  {u.id === me ? <span className="adm-muted"> (you)</span> : null}
                  {u.providerId ? <div className="adm-muted team-provider">Provider: {providerName.get(u.providerId) ?? 'unknown record'}</div> : null}
                </td>
                <td>{u.email}</td>
                <td>
                  <select aria-label={`Role of ${u.name}`} name="role" value={u.role} disabled={busy} onChange={(e) => void setRole(u, e.target.value as Role)}>
                    {ROLE_CHOICES.map((r) => (
                      <option key={r.role} value={r.role}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <span className={`adm-badge ${state === 'active' ? 'adm-badge--on' : state === 'disabled' ? 'adm-badge--off' : 'adm-badge--warn'}`}>
                    {state === 'active' ? 'Active' : state === 'disabled' ? 'Disabled' : 'Invited'}
                  </span>
                </td>
                <td>
                  <div className="team-actions">
                    <Button small data-action={u.disabled ? 'enable-user' : 'disable-user'} disabled={busy} onClick={() => void setDisabled(u, !u.disabled)}>
                      {u.disabled ? 'Enable' : 'Disable'}
                    </Button>
                    <Button small data-action="revoke-sessions" disabled={busy} title="Sign this user out on every device" onClick={() => void revoke(u)}>
                      Sign out everywhere
                    </Button>
                    <Button
                      small
                      data-action="new-invite-code"
                      disabled={busy}
                      title={u.hasPassword ? 'A code to set a new password (forgotten password)' : 'A new code (the first one was lost)'}
                      onClick={() => void newCode(u)}
                    >
                      New code
                    </Button>
                  </div>
                </td>
              </>
            );
          }}
          loading={users === null && !loadError}
          empty={null}
        />
      </RecordBody>
    </>
  );
}
