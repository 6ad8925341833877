import { newerFormatRefusal } from '../doc/schema-version';
import { withCommandTime } from '../doc/replica-clock';
import type { z } from 'zod';
import { fail, ok, type Result } from '../result';
import type { CommandContext, CommandDef } from './define';
import { validationFailure } from './define';
import { roleRefusal } from './refusal';
import { rosterCommands } from './roster-commands';
import { checkSlotChange, missingBooking, scheduleCommands } from './schedule-commands';
import { effectiveStatus } from '../status';
import type { Booking } from '../model';
import { seriesCommands } from './series-commands';

export const COMMANDS = { ...rosterCommands, ...scheduleCommands, ...seriesCommands };
export type Commands = typeof COMMANDS;
export type CommandName = keyof Commands;
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>;
export type CommandOutput<N extends CommandName> = Commands[N] extends CommandDef<z.ZodType, infer R> ? R : never;

/** Transaction origins (docs/design.md §4): who caused a change, so undo and sync can tell them apart. */
export type Origin = 'local' | 'remote' | 'load' | 'server';

export const isCommandName = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

/**
 * Everything a command checks, without writing: role, input, and the plan against the current documents.
 * The board uses it to refuse an illegal drag before it is staged.
 */
export function planCommand<N extends CommandName>(
  ctx: CommandContext,
  name: N,
  input: unknown,
): Result<{ doc: 'roster' | 'schedule'; write: () => CommandOutput<N> }> {
  const admitted = admitCommand(ctx, name, input);
  if (!admitted.ok) return admitted;
  const def = COMMANDS[name] as unknown as CommandDef<z.ZodType, CommandOutput<N>>;
  const planned = def.plan(ctx, admitted.value);
  if (!planned.ok) return planned;
  return ok({ doc: def.doc, write: planned.value });
}

/** The checks before any plan: a command this build knows, documents in a format it knows, the actor's role, the input. */
function admitCommand<N extends CommandName>(ctx: AdmitContext, name: N, input: unknown): Result<z.output<Commands[N]['input']>> {
  if (!isCommandName(name)) return fail('unknown_command', `Unknown command ${String(name)}`);
  const newer = newerFormatRefusal(ctx.roster, ctx.knownDocFormat);
  if (newer) return newer;
  const def = COMMANDS[name] as unknown as CommandDef<z.ZodType, CommandOutput<N>>;
  if (!def.roles.includes(ctx.actor.role)) {
    return fail('forbidden', roleRefusal(ctx.actor.role, def.roles));
  }
  const parsed = def.input.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error);
  return ok(parsed.data as z.output<Commands[N]['input']>);
}

/** What the checks before any plan read: the roster (format mark), the actor, the format this build knows. */
export type AdmitContext = Pick<CommandContext, 'roster' | 'actor' | 'knownDocFormat'>;

/**
 * `setSlot`'s checks, on the booking as the read tables hold it (`lookup`: the booking, `'archived'`, or
 * undefined when there is none). Staging a board move runs these: the same refusals as `setSlot` on the
 * document (which Save runs), without decoding the schedule document.
 */
export function checkStagedSlot(ctx: AdmitContext, lookup: (id: string) => Booking | 'archived' | undefined, input: unknown): Result<void> {
  const admitted = admitCommand(ctx, 'setSlot', input);
  if (!admitted.ok) return admitted;
  const { id, slot } = admitted.value;
  const booking = lookup(id);
  if (booking === undefined || booking === 'archived') return missingBooking(id, booking === 'archived');
  const status = checkSlotChange(ctx, effectiveStatus(booking.status, booking.slot), slot);
  return status.ok ? ok(undefined) : status;
}

/** The one path into the documents: validate, authorize, plan, then write in a single Y transaction. */
export function executeCommand<N extends CommandName>(
  ctx: CommandContext,
  name: N,
  input: unknown,
  origin: Origin = 'local',
): Result<CommandOutput<N>> {
  const planned = planCommand(ctx, name, input);
  if (!planned.ok) return planned;
  let value!: CommandOutput<N>;
  // Stamps of the groups it writes read the command's time where the document has no clock of its own.
  withCommandTime(
    () => Date.parse(ctx.now()),
    () =>
      ctx[planned.value.doc].transact(() => {
        value = planned.value.write();
      }, origin),
  );
  return ok(value);
}
