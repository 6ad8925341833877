import type Database from 'better-sqlite3';
import { z } from 'zod';

/**
 * Whether this workspace holds the demo company, and which. A fact about this desktop's file, kept in its
 * `meta` table and never synced: the header's "Demo" badge, "Start my company" and the warning before an
 * upload read it. `replaceDocuments` keeps `meta`, so whoever replaces the demo's documents clears it.
 */
const KEY = 'demo_company';

const demoMarkSchema = z.object({ name: z.string(), seededAt: z.string() });
export type DemoMark = z.infer<typeof demoMarkSchema>;

export function readDemoMark(db: Database.Database): DemoMark | null {
  const raw = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(KEY) as string | undefined;
  if (raw === undefined) return null;
  try {
    const parsed = demoMarkSchema.safeParse(JSON.parse(raw));
    // A damaged mark still says "demo": the warning before an upload must not be lost to a bad row.
    return parsed.success ? parsed.data : { name: 'the demo company', seededAt: '' };
  } catch {
    return { name: 'the demo company', seededAt: '' };
  }
}

export function writeDemoMark(db: Database.Database, mark: DemoMark): void {
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(KEY, JSON.stringify(demoMarkSchema.parse(mark)));
}

export function clearDemoMark(db: Database.Database): void {
  db.prepare('DELETE FROM meta WHERE key = ?').run(KEY);
}
