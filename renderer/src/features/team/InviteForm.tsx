import { useState, type FormEvent } from 'react';
import type { BackendClient } from '../../../../core/api/contract.ts';
import type { Provider, Role } from '../../../../core/model.ts';
import type { TeamInvite } from '../../../../core/sync/team.ts';
import { request } from '../forms/backend.ts';
import { Field } from '../forms/Field.tsx';
import { FieldErrorsContext, useFieldErrors } from '../forms/field-errors.ts';
import { formKeyDown } from '../forms/form-keys.ts';
import { FormActions } from '../forms/FormActions.tsx';
import { FormMessage } from '../forms/FormMessage.tsx';
import { ROLE_CHOICES } from './team-labels.ts';

export interface InviteFormProps {
  client: BackendClient;
  providers: readonly Provider[];
  onInvited: (invite: TeamInvite) => void;
  onCancel: () => void;
}

/**
 * Invites a user to the organization (`team:invite`): the server answers a one-time code the admin hands
 * over. A technician is linked to their provider record so the field page shows them their own jobs.
 */
export function InviteForm({ client, providers, onInvited, onCancel }: InviteFormProps) {
  const errors = useFieldErrors();
  const [form, setForm] = useState<{ email: string; name: string; role: Role; providerId: string }>({
    email: '',
    name: '',
    role: 'dispatcher',
    providerId: '',
  });
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    errors.clear(key);
  };

  const pickProvider = (id: string) => {
    set('providerId', id);
    // The provider's name is a good default for the account's name.
    const provider = providers.find((p) => p.id === id);
    if (provider && !form.name.trim()) set('name', provider.name);
  };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const local: Record<string, string> = {};
    if (!form.email.trim()) local.email = 'Required';
    if (!form.name.trim()) local.name = 'Required';
    if (form.role === 'technician' && !form.providerId) local.providerId = 'Pick the provider record this technician is';
    if (errors.showLocal(local)) return;
    setBusy(true);
    const r = await request(client, 'team:invite', {
      email: form.email.trim(),
      name: form.name.trim(),
      role: form.role,
      ...(form.role === 'technician' && form.providerId ? { providerId: form.providerId } : {}),
    });
    setBusy(false);
    if (!r.ok) {
      errors.showError(r.error);
      return;
    }
    onInvited(r.value);
  };

  const active = providers.filter((p) => p.active);
  return (
    <FieldErrorsContext value={errors}>
      <form className="adm-form team-invite" data-form="team-invite" noValidate aria-label="Invite a user" onSubmit={(e) => void submit(e)} onKeyDown={formKeyDown(onCancel)}>
        <FormMessage />
        <Field label="Email" path="email">
          {(c) => <input {...c} type="email" autoComplete="off" autoFocus value={form.email} onChange={(e) => set('email', e.target.value)} />}
        </Field>
        <Field label="Name" path="name">
          {(c) => <input {...c} type="text" autoComplete="off" maxLength={100} value={form.name} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field label="Role" path="role" hint={ROLE_CHOICES.find((r) => r.role === form.role)?.hint}>
          {(c) => (
            <select {...c} value={form.role} onChange={(e) => set('role', e.target.value as Role)}>
              {ROLE_CHOICES.map((r) => (
                <option key={r.role} value={r.role}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {form.role === 'technician' ? (
          <Field label="Provider record" path="providerId" hint="The technician sees the jobs of this provider on their phone.">
            {(c) => (
              <select {...c} value={form.providerId} onChange={(e) => pickProvider(e.target.value)}>
                <option value="">Choose a provider…</option>
                {active.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        <FormActions busy={busy} busyLabel="Inviting…" submitLabel="Invite" onCancel={onCancel} />
      </form>
    </FieldErrorsContext>
  );
}
