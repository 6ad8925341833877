import type { FormEvent } from 'react';
import type { BackendClient, RequestInput } from '../../../../core/api/contract.ts';
import type { Provider, Role } from '../../../../core/model.ts';
import type { TeamInvite } from '../../../../core/sync/team.ts';
import { request } from '../forms/backend.ts';
import { Field } from '../forms/Field.tsx';
import { FieldErrorsContext } from '../forms/field-errors.ts';
import { useForm } from '../forms/use-form.ts';
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
interface InviteDraft {
  email: string;
  name: string;
  role: Role;
  providerId: string;
}

type InviteInput = RequestInput<'team:invite'>;

/** The draft as `team:invite`'s input, with what can be said before asking the server. */
function inviteOf(d: InviteDraft): { value: InviteInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!d.email.trim()) errors.email = 'Required';
  if (!d.name.trim()) errors.name = 'Required';
  if (d.role === 'technician' && !d.providerId) errors.providerId = 'Pick the provider record this technician is';
  const value = {
    email: d.email.trim(),
    name: d.name.trim(),
    role: d.role,
    ...(d.role === 'technician' && d.providerId ? { providerId: d.providerId } : {}),
  };
  return { value, errors };
}

export function InviteForm({ client, providers, onInvited, onCancel }: InviteFormProps) {
  const form = useForm<InviteDraft, InviteInput, TeamInvite>(() => ({ email: '', name: '', role: 'dispatcher', providerId: '' }), {
    check: inviteOf,
    send: (value) => request(client, 'team:invite', value),
  });
  const { draft, set, errors } = form;

  const pickProvider = (id: string) => {
    set('providerId', id);
    // The provider's name is a good default for the account's name.
    const provider = providers.find((p) => p.id === id);
    if (provider && !draft.name.trim()) set('name', provider.name);
  };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const outcome = await form.submit();
    if (outcome.kind === 'done') onInvited(outcome.result);
  };

  const active = providers.filter((p) => p.active);
  return (
    <FieldErrorsContext value={errors}>
      <form className="adm-form team-invite" data-form="team-invite" noValidate aria-label="Invite a user" onSubmit={(e) => void submit(e)} onKeyDown={formKeyDown(onCancel)}>
        <FormMessage />
        <Field label="Email" path="email">
          {(c) => <input {...c} type="email" autoComplete="off" autoFocus value={draft.email} onChange={(e) => set('email', e.target.value)} />}
        </Field>
        <Field label="Name" path="name">
          {(c) => <input {...c} type="text" autoComplete="off" maxLength={100} value={draft.name} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field label="Role" path="role" hint={ROLE_CHOICES.find((r) => r.role === draft.role)?.hint}>
          {(c) => (
            <select {...c} value={draft.role} onChange={(e) => set('role', e.target.value as Role)}>
              {ROLE_CHOICES.map((r) => (
                <option key={r.role} value={r.role}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {draft.role === 'technician' ? (
          <Field label="Provider record" path="providerId" hint="The technician sees the jobs of this provider on their phone.">
            {(c) => (
              <select {...c} value={draft.providerId} onChange={(e) => pickProvider(e.target.value)}>
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
        <FormActions busy={form.busy} busyLabel="Inviting…" submitLabel="Invite" onCancel={onCancel} />
      </form>
    </FieldErrorsContext>
  );
}
