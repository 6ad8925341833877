import type { Role } from '../model';

/**
 * The console's Team screen (admins only): the organization's users as the sync server's admin API
 * describes them (sync-server/README.md), reached through the backend's `team:*` requests.
 */
export interface TeamUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Technicians: the provider record of the roster this account is. */
  providerId: string | null;
  disabled: boolean;
  /** False until an invited user has set a password with the invite code. */
  hasPassword: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A one-time code the admin hands over; the invited user sets a password with it (valid 7 days). */
export interface InviteCode {
  inviteCode: string;
  inviteExpiresAt: string;
}

export interface TeamInvite extends InviteCode {
  user: TeamUser;
}

/** A provider's secret calendar feed (RFC 5545) on the sync server, for their phone's calendar app. */
export interface CalendarFeed {
  providerId: string;
  /** The address to subscribe to: this workspace's server address plus the feed's path. */
  url: string;
  createdAt: string;
}
