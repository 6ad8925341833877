import type { Role } from '../../../../core/model.ts';
import type { TeamUser } from '../../../../core/sync/team.ts';

/** Roles as the Team screen offers them (docs/design.md §7), most common first. */
export const ROLE_CHOICES: readonly { role: Role; label: string; hint: string }[] = [
  { role: 'dispatcher', label: 'Dispatcher', hint: 'Plans the schedule on the console.' },
  { role: 'admin', label: 'Admin', hint: 'Everything a dispatcher does, and manages the team.' },
  { role: 'viewer', label: 'Viewer', hint: 'Sees the board; changes nothing.' },
  { role: 'technician', label: 'Technician', hint: 'Uses the field page on their phone for their own jobs.' },
];

export const roleName = (role: Role) => ROLE_CHOICES.find((r) => r.role === role)?.label ?? role;

/** Disabled wins; an invited user who never set a password is "Invited"; otherwise "Active". */
export function accountState(user: TeamUser): 'disabled' | 'invited' | 'active' {
  if (user.disabled) return 'disabled';
  return user.hasPassword ? 'active' : 'invited';
}
