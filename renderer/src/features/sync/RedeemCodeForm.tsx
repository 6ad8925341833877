import { useState, type FormEvent } from 'react';
import type { BackendClient, RedeemCodeResult } from '../../../../core/api/contract.ts';
import type { SyncStatus } from '../../../../core/sync/client-status.ts';
import { request } from '../forms/backend.ts';
import { Field } from '../forms/Field.tsx';
import { FieldErrorsContext, useFieldErrors } from '../forms/field-errors.ts';
import { formKeyDown } from '../forms/form-keys.ts';
import { FormMessage } from '../forms/FormMessage.tsx';
import { redeemCodeProblems, type RedeemKey } from './sync-dialog-text.ts';

/**
 * "I have an invite or setup code": the server address, the code and a new password twice. The backend
 * tries the code as an invite; when the server says it is a setup code (the one it printed on its first
 * start), email and name appear, since the first admin's account needs them. Every refusal lands on its
 * field: a dead code on the code field saying why, password rules on the password, a mismatch on the repeat.
 */
export function RedeemCodeForm({
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
    const local = redeemCodeProblems(form, setup);
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
