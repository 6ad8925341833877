/**
 * Who a request or connection acts as, once its token has been checked. The accounts module produces it;
 * the HTTP routes, the sync rooms and (later) the field API only ever consume it.
 */
export const ROLES = ['admin', 'dispatcher', 'technician', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  userId: string;
  orgId: string;
  role: Role;
  name: string;
  email: string;
  /** Technicians are linked to their service-provider record in the roster document. */
  providerId?: string;
  /** Id of the token used, so logout/revoke can target it. */
  tokenId: string;
}

export interface Authenticator {
  /**
   * The principal for a bearer token, or null for a missing, unknown, revoked or disabled one. A promise
   * when the accounts are in a database reached over the network (PostgreSQL, issue 23).
   */
  authenticate(token: string): Principal | null | Promise<Principal | null>;
}
