import { useState, type FormEvent } from 'react';
import type { BackendClient } from '../../../../core/api/contract.ts';
import type { SignInResult, SyncStatus } from '../../../../core/sync/client-status.ts';
import { request } from '../forms/backend.ts';
import { Field } from '../forms/Field.tsx';
import { FieldErrorsContext, useFieldErrors } from '../forms/field-errors.ts';
import { formKeyDown } from '../forms/form-keys.ts';
import { FormMessage } from '../forms/FormMessage.tsx';

/** The sync dialog's sign-in: server address, email and password, and the way to "I have a code". */
export function SignInForm({
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
