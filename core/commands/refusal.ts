import type { Role } from '../model';

/**
 * What a person is told when their role may not run a command: a sentence about what they can do, never
 * the command's internal name (a viewer who drags a card must not read "A viewer may not setSlot").
 */
export function roleRefusal(role: Role, allowed: readonly Role[]): string {
  if (role === 'viewer') return 'You have view-only access: you can see the schedule but not change it. An admin can change your role.';
  if (allowed.length === 1 && allowed[0] === 'admin') return 'Only an admin can do that.';
  if (allowed.length === 1 && allowed[0] === 'technician') return 'Only technicians claim jobs, from their technician page.';
  if (role === 'technician') return 'Only the office (admins and dispatchers) can do that: technicians update their own jobs from the technician page.';
  return 'Your role does not allow that.';
}
