import * as Y from 'yjs';
import { executeCommand, type CommandInput, type CommandName, type CommandOutput, type Origin } from '../commands/index';
import type { CommandContext } from '../commands/define';
import type { Actor } from '../model';
import type { Result } from '../result';

/**
 * A pair of real Y.Docs plus a deterministic clock and id source, for tests and generators that drive
 * commands without a store. Ids stay valid UUIDs so they pass the same validation as production ids.
 */
export interface Workspace {
  roster: Y.Doc;
  schedule: Y.Doc;
  ctx: (actor?: Actor) => CommandContext;
  run<N extends CommandName>(name: N, input: CommandInput<N>, actor?: Actor, origin?: Origin): Result<CommandOutput<N>>;
  /** Like run, but throws on failure: for building fixtures, never for the behaviour under test. */
  must<N extends CommandName>(name: N, input: CommandInput<N>, actor?: Actor): CommandOutput<N>;
  setNow(instant: string): void;
}

export const ADMIN_ACTOR: Actor = { id: 'user-admin', name: 'Alex Admin', role: 'admin' };

export function sequentialIds(prefix = 0): () => string {
  let n = 0;
  return () => {
    n += 1;
    const hex = n.toString(16).padStart(12, '0');
    return `0190${prefix.toString(16).padStart(4, '0')}-0000-7000-8000-${hex}`;
  };
}

export function createWorkspace(opts: { now?: string; idPrefix?: number; actor?: Actor } = {}): Workspace {
  const roster = new Y.Doc();
  const schedule = new Y.Doc();
  let now = opts.now ?? '2026-11-23T12:00:00Z';
  const newId = sequentialIds(opts.idPrefix ?? 0);
  const defaultActor = opts.actor ?? ADMIN_ACTOR;
  const ctx = (actor: Actor = defaultActor): CommandContext => ({ roster, schedule, actor, now: () => now, newId });
  const run: Workspace['run'] = (name, input, actor, origin) => executeCommand(ctx(actor), name, input, origin);
  return {
    roster,
    schedule,
    ctx,
    run,
    must(name, input, actor) {
      const result = run(name, input, actor);
      if (!result.ok) throw new Error(`${name} failed: ${result.error.message}`);
      return result.value;
    },
    setNow(instant) {
      now = instant;
    },
  };
}
