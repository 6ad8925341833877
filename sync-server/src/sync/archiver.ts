/**
 * The archiver (DESIGN §4): bookings completed or cancelled more than `archiveAfterDays` (a roster
 * setting) ago leave each organization's active schedule document. It runs core's
 * `archiveClosedBookings` command through `executeCommand` as the server (origin `server`), so the change
 * is one Y transaction, persisted and broadcast like any client's update, and replicas see the markers.
 */
import { executeCommand } from '../../../core/commands/index';
import type { CommandContext } from '../../../core/commands/define';
import { readSettings } from '../../../core/doc/roster';
import { newId } from '../../../core/ids';
import type { Actor } from '../../../core/model';
import { parseRoomName, roomName } from '../../../core/sync/rooms';
import type { RoomRegistry } from './room-registry';

export const SERVER_ACTOR: Actor = { id: 'crewline-server', name: 'Crewline server', role: 'admin' };
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ArchiveRun {
  orgId: string;
  archived: string[];
  error?: string;
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Archives one organization's closed bookings as of `nowMs`. */
export function archiveOrganization(registry: RoomRegistry, orgId: string, nowMs: number): ArchiveRun {
  return registry.withRooms([roomName(orgId, 'roster'), roomName(orgId, 'schedule')], ([roster, schedule]) => {
    const ctx: CommandContext = {
      roster: roster!.doc,
      schedule: schedule!.doc,
      actor: SERVER_ACTOR,
      now: () => isoSeconds(nowMs),
      newId,
    };
    const closedBefore = isoSeconds(nowMs - readSettings(roster!.doc).archiveAfterDays * DAY_MS);
    const result = executeCommand(ctx, 'archiveClosedBookings', { closedBefore }, 'server');
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
    private readonly now: () => number = Date.now,
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
