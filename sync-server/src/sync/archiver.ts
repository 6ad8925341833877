/**
 * The archiver (docs/design.md §4): bookings completed or cancelled more than `archiveAfterDays` (a roster
 * setting) ago leave each organization's active schedule document. It runs core's
 * `archiveClosedBookings` command as the server (`serverCommand` in org-docs.ts, origin `server`), so the
 * change is one Y transaction, persisted and broadcast like any client's update, and replicas see the markers.
 */
import { readSettings } from '../../../core/doc/roster';
import type { Actor } from '../../../core/model';
import { parseRoomName } from '../../../core/sync/rooms';
import { serverCommand, withOrgDocs } from './org-docs';
import { instantOf } from '../../../core/clock';
import type { RoomRegistry } from './room-registry';
import { systemClock, type Clock } from '../../../core/clock';

export const SERVER_ACTOR: Actor = { id: 'crewline-server', name: 'Crewline server', role: 'admin' };
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ArchiveRun {
  orgId: string;
  archived: string[];
  error?: string;
}

/** Archives one organization's closed bookings as of `nowMs`. */
export function archiveOrganization(registry: RoomRegistry, orgId: string, nowMs: number): ArchiveRun {
  return withOrgDocs(registry, orgId, (docs) => {
    const closedBefore = instantOf(nowMs - readSettings(docs.roster).archiveAfterDays * DAY_MS);
    const result = serverCommand(docs, SERVER_ACTOR, 'archiveClosedBookings', { closedBefore }, nowMs);
    if (!result.ok) return { orgId, archived: [], error: result.error.message };
    registry.metrics.archivedBookings += result.value.archived.length;
    return { orgId, archived: result.value.archived };
  });
}

/** Every organization that has a stored schedule document. */
export function organizationsWithSchedules(registry: RoomRegistry): string[] {
  const orgs = new Set<string>();
  for (const name of [...registry.store.rooms(), ...registry.loadedNames()]) {
    const room = parseRoomName(name);
    if (room?.doc === 'schedule') orgs.add(room.orgId);
  }
  return [...orgs].sort();
}

export class Archiver {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly registry: RoomRegistry,
    private readonly now: Clock = systemClock,
  ) {}

  /** Runs every `intervalMs` (first run after one interval). */
  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => this.runOnce(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass over every organization; an organization that fails is reported and skipped. */
  runOnce(nowMs = this.now()): ArchiveRun[] {
    const runs: ArchiveRun[] = [];
    for (const orgId of organizationsWithSchedules(this.registry)) {
      try {
        runs.push(archiveOrganization(this.registry, orgId, nowMs));
      } catch (error) {
        runs.push({ orgId, archived: [], error: error instanceof Error ? error.message : String(error) });
      }
    }
    return runs;
  }
}
