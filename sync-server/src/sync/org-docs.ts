/**
 * The server's own reads and writes of an organization's documents (the archiver, the field API, the
 * calendar feeds). Writes go through core's commands with origin `server` on the rooms' live documents,
 * so each is one Y transaction that the room persists and broadcasts like any client's update
 * (`Room.publish`): connected desktops see it at once.
 */
import type * as Y from 'yjs';
import { executeCommand, type CommandName, type CommandOutput } from '../../../core/commands/index';
import type { CommandContext } from '../../../core/commands/define';
import { instantOf } from '../../../core/clock';
import { newId } from '../../../core/ids';
import type { Actor } from '../../../core/model';
import type { Result } from '../../../core/result';
import { roomName } from '../../../core/sync/rooms';
import type { RoomRegistry } from './room-registry';

export interface OrgDocs {
  roster: Y.Doc;
  schedule: Y.Doc;
}

/** Instants in documents are written to the second, like the desktops write them. */

/** Reads ahead an organization's two rooms (a PostgreSQL store; nothing to do on SQLite): await before `withOrgDocs`. */
export function prepareOrgDocs(registry: RoomRegistry, orgId: string): Promise<void> {
  return registry.prepare([roomName(orgId, 'roster'), roomName(orgId, 'schedule')]);
}

/**
 * Runs `fn` on an organization's roster and schedule, loading their rooms if needed (they unload later
 * when idle). An organization with nothing stored gets empty documents, which read as no data.
 */
export function withOrgDocs<T>(registry: RoomRegistry, orgId: string, fn: (docs: OrgDocs) => T): T {
  return registry.withRooms([roomName(orgId, 'roster'), roomName(orgId, 'schedule')], ([roster, schedule]) =>
    fn({ roster: roster!.doc, schedule: schedule!.doc }),
  );
}

/** A core command as `actor`, origin `server`, at `nowMs`; refused commands leave the documents untouched. */
export function serverCommand<N extends CommandName>(
  docs: OrgDocs,
  actor: Actor,
  name: N,
  input: unknown,
  nowMs: number,
): Result<CommandOutput<N>> {
  const ctx: CommandContext = { roster: docs.roster, schedule: docs.schedule, actor, now: () => instantOf(nowMs), newId };
  return executeCommand(ctx, name, input, 'server');
}

/** Resolves once everything the rooms have queued so far is committed to `rooms.sqlite`. */
export const whenDurable = (registry: RoomRegistry): Promise<void> =>
  new Promise((resolve) => registry.store.whenDurable(resolve));
