import type { SyncStatus } from '../../../../core/sync/client-status.ts';

/** The fields of "I have an invite or setup code". */
export type RedeemKey = 'serverUrl' | 'code' | 'email' | 'name' | 'password' | 'passwordAgain';

const ROLE_LABELS: Record<string, string> = { admin: 'Admin', dispatcher: 'Dispatcher', technician: 'Technician', viewer: 'Viewer' };
/** A role as people read it; a role this console does not know yet shows as the server sent it. */
export const roleLabel = (role: string) => ROLE_LABELS[role] ?? role;

/** The host the user typed, for sentences; an address URL cannot parse is shown as typed. */
export const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** The folder of a file path, Windows or POSIX separators. */
export const folderOf = (path: string) => path.replace(/[\\/][^\\/]*$/, '') || path;

/** Signed in and not waiting for an upload/replace decision: the dialog shows the link. */
export const isSignedIn = (status: SyncStatus | null) => !!status?.user && status.linked && status.state !== 'signed-out' && status.state !== 'error';

/**
 * The redeem form's own checks before anything is sent: required fields (email and name only for a setup
 * code), the password's length, then the repeat. One message per field, as the form shows them.
 */
export function redeemCodeProblems(form: Record<RedeemKey, string>, setup: boolean): Partial<Record<RedeemKey, string>> {
  const local: Partial<Record<RedeemKey, string>> = {};
  const required: RedeemKey[] = ['serverUrl', 'code', ...(setup ? (['email', 'name'] as const) : []), 'password', 'passwordAgain'];
  for (const key of required) if (form[key].trim() === '') local[key] = 'Required';
  if (!local.password && form.password.length < 8) local.password = 'At least 8 characters';
  if (!local.password && !local.passwordAgain && form.password !== form.passwordAgain) {
    local.passwordAgain = 'The two passwords are not the same: type the new password again';
  }
  return local;
}
