import type Database from 'better-sqlite3';
import { z } from 'zod';
import { ROLES, type Actor } from '../../../core/index';

/**
 * Which server and organization this workspace syncs with, and who signed in, in the workspace's `meta`
 * table (key `sync_link`). Present from the first successful link (upload or replace) until the workspace
 * is replaced again; signing out keeps it, so the next sign-in resumes instead of asking again. The token
 * is never stored here (see sync/token-vault.ts).
 */
export const syncLinkSchema = z.object({
  serverUrl: z.string(),
  orgId: z.string(),
  user: z.object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.enum(['admin', 'dispatcher', 'technician', 'viewer']),
  }),
  linkedAt: z.string(),
});
export type SyncLinkSettings = z.infer<typeof syncLinkSchema>;

const KEY = 'sync_link';

/** Who this desktop's edits are by once linked: the signed-in user (an unknown role counts as a viewer). */
export const actorOfLinkedUser = (user: SyncLinkSettings['user']): Actor => ({
  id: user.id,
  name: user.name,
  role: ROLES.includes(user.role) ? user.role : 'viewer',
});

export class SyncLink {
  private cached: SyncLinkSettings | null;

  constructor(private readonly db: Database.Database) {
    const raw = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(KEY) as string | undefined;
    this.cached = raw === undefined ? null : parseOrNull(raw);
  }

  get(): SyncLinkSettings | null {
    return this.cached;
  }

  get linked(): boolean {
    return this.cached !== null;
  }

  set(settings: SyncLinkSettings): void {
    const value = syncLinkSchema.parse(settings);
    this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(KEY, JSON.stringify(value));
    this.cached = value;
  }

  clear(): void {
    this.db.prepare('DELETE FROM meta WHERE key = ?').run(KEY);
    this.cached = null;
  }
}

/** A damaged entry reads as "not linked" rather than stopping the workspace from opening. */
function parseOrNull(raw: string): SyncLinkSettings | null {
  try {
    const parsed = syncLinkSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
