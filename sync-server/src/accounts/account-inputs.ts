import { z } from 'zod';
import { ID_PATTERN } from '../../../core/ids';
import { ROLES } from '../auth/principal';

/** What the accounts module accepts, from HTTP bodies and from the admin CLI alike. Unknown keys are refused. */

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'At most 254 characters')
  .pipe(z.email('Must be an email address like ana@example.com'));

/** New passwords. Sign-in accepts any non-empty string up to the same cap so old passwords keep working. */
export const NewPassword = z.string().min(8, 'At least 8 characters').max(256, 'At most 256 characters');
const AnyPassword = z.string().min(1, 'Required').max(256, 'At most 256 characters');

export const PersonName = z.string().trim().min(1, 'Required').max(100, 'At most 100 characters');
export const OrgName = z.string().trim().min(1, 'Required').max(100, 'At most 100 characters');
export const RoleInput = z.enum(ROLES, { message: `One of ${ROLES.join(', ')}` });
export const ProviderId = z.string().regex(ID_PATTERN, 'Must be a provider id (a lower-case UUID)');
export const Code = z.string().min(1, 'Required').max(100, 'At most 100 characters');

export const LoginInput = z.strictObject({ email: Email, password: AnyPassword });
export type LoginInput = z.input<typeof LoginInput>;

export const NewAdminInput = z.strictObject({ email: Email, name: PersonName, password: NewPassword });
export type NewAdminInput = z.input<typeof NewAdminInput>;

export const SetupInput = z.strictObject({ code: Code, email: Email, name: PersonName, password: NewPassword });
export type SetupInput = z.input<typeof SetupInput>;

export const RedeemInviteInput = z.strictObject({ code: Code, password: NewPassword });
export type RedeemInviteInput = z.input<typeof RedeemInviteInput>;

export const ResetPasswordInput = z.strictObject({ email: Email, password: NewPassword });
export type ResetPasswordInput = z.input<typeof ResetPasswordInput>;

export const CreateOrganizationInput = z.strictObject({ name: OrgName, admin: NewAdminInput.optional() });
export type CreateOrganizationInput = z.input<typeof CreateOrganizationInput>;

/** With a password the user can sign in at once; without one they get an invite code to set it. */
export const InviteUserInput = z.strictObject({
  email: Email,
  name: PersonName,
  role: RoleInput,
  providerId: ProviderId.optional(),
  password: NewPassword.optional(),
});
export type InviteUserInput = z.input<typeof InviteUserInput>;

export const UpdateUserInput = z
  .strictObject({
    role: RoleInput.optional(),
    disabled: z.boolean().optional(),
    name: PersonName.optional(),
    /** null unlinks the provider record. */
    providerId: ProviderId.nullable().optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: 'Nothing to change: give role, disabled, name or providerId',
  });
export type UpdateUserInput = z.input<typeof UpdateUserInput>;

export const BootstrapInput = z
  .strictObject({
    orgName: OrgName.optional(),
    adminEmail: Email.optional(),
    adminPassword: NewPassword.optional(),
    adminName: PersonName.optional(),
  })
  .refine((input) => (input.adminEmail === undefined) === (input.adminPassword === undefined), {
    message: 'Give both the admin email and the admin password, or neither',
    path: ['adminPassword'],
  });
export type BootstrapInput = z.input<typeof BootstrapInput>;
