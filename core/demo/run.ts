import type { CommandInput, CommandName, CommandOutput } from '../commands/index';
import type { Actor } from '../model';
import type { Result } from '../result';
import { fromMs } from '../time';

/**
 * How generators write: the same shape as `Workspace.run` (core/testing/fixture.ts), i.e. `executeCommand`
 * bound to a context. The store passes its own so its SQLite projection follows every command.
 * The optional third argument is only used when a generator is told `technicianActors: true`.
 */
export type RunCommand = <N extends CommandName>(name: N, input: CommandInput<N>, actor?: Actor) => Result<CommandOutput<N>>;

/** Optional hooks shared by the generators. */
export interface GeneratorHooks {
  /**
   * Sets the clock the commands stamp history and status changes with (e.g. `Workspace.setNow`). When given,
   * the generator moves it to plausible moments (a job is created days before it happens, checked out when
   * it ends ...), so history reads like real use and archiving by age works. Without it, every stamp is
   * whatever the context's clock says. At the end the clock is left at the scenario's "now" (the demo's
   * anchor time; the scale generator's `asOf`).
   */
  setNow?: (instant: string) => void;
  /**
   * Pass a technician actor (the assigned provider) as the third argument of `run` for en route / check-in
   * / check-out, so history shows the technician instead of the office. Only for a `run` that accepts an
   * actor there, like `Workspace.run`.
   */
  technicianActors?: boolean;
}

export interface Runner {
  must<N extends CommandName>(name: N, input: CommandInput<N>, actor?: Actor): CommandOutput<N>;
  /** Moves the injected clock (no-op without `setNow`). */
  at(ms: number): void;
  readonly commands: number;
}

export function createRunner(run: RunCommand, hooks: GeneratorHooks, label: string): Runner {
  let commands = 0;
  let lastClock = Number.NaN;
  return {
    must(name, input, actor) {
      commands++;
      const result = actor && hooks.technicianActors ? run(name, input, actor) : run(name, input);
      if (!result.ok) {
        const { code, message } = result.error;
        throw new Error(`${label}: command ${name} failed (${code}): ${message}\ninput: ${JSON.stringify(input)}`);
      }
      return result.value;
    },
    at(ms) {
      if (!hooks.setNow || ms === lastClock) return;
      lastClock = ms;
      hooks.setNow(fromMs(ms));
    },
    get commands() {
      return commands;
    },
  };
}

/** A technician actor for a provider (history then reads "by <provider name>"). */
export const technicianActor = (providerId: string, name: string): Actor => ({
  id: `tech-${providerId}`,
  name,
  role: 'technician',
  providerId,
});
