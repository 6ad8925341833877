import { todayIn } from '../../../core/clock';
import { OFFICE } from '../../../core/commands/define';
import type { LocalDate } from '../../../core/time';
import type { LocalStore } from '../store/local-store';

/** How often the keeper looks whether the organization's date changed (a real-time interval, not "now"). */
const CHECK_EVERY_MS = 60_000;
/** Extensions in a row when one answers `more` (each creates at most MAX_OCCURRENCES_PER_EXTENSION visits). */
const MAX_RUNS_PER_CHECK = 20;

export interface HorizonRun {
  date: LocalDate;
  created: number;
  updated: number;
  removed: number;
}

export interface SeriesHorizonKeeperOptions {
  checkEveryMs?: number;
  log?: (message: string) => void;
}

/**
 * Keeps recurring visits created for the organization's horizon (`recurrenceHorizonWeeks` ahead) on this
 * desktop: `extendSeriesHorizon` when the workspace opens, again whenever the organization's local date (by
 * the store's clock, never the system's) is a new one, and when the settings change (a longer horizon).
 *
 * It is automatic work, not the user's: it runs through `LocalStore.executeAutomatic`, so it is no undo step
 * (Ctrl+Z must not delete next month's visits the user never saw being made, nor drop their redo stack),
 * while it is still a local change that syncs like any other. The command is idempotent and writes
 * byte-identical visits on every replica, so two desktops (or the server) doing it offline never duplicate.
 * Viewers and technicians cannot run it (the command is the office's), so they skip it.
 */
export class SeriesHorizonKeeper {
  private lastDate: LocalDate | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private pending: ReturnType<typeof setImmediate> | null = null;
  private offChange: (() => void) | null = null;
  private readonly log: (message: string) => void;

  constructor(
    private readonly store: LocalStore,
    private readonly options: SeriesHorizonKeeperOptions = {},
  ) {
    this.log = options.log ?? (() => undefined);
  }

  /** Checks now, then every minute and after every settings change, until `stop`. */
  start(): void {
    if (this.timer) return;
    this.check();
    this.timer = setInterval(() => this.check(), this.options.checkEveryMs ?? CHECK_EVERY_MS);
    this.timer.unref?.();
    this.offChange = this.store.onChange(({ changed }) => {
      if (changed.settings.length === 0) return;
      // Outside the change event: the write that fired it has only just committed.
      this.lastDate = null;
      this.pending ??= setImmediate(() => {
        this.pending = null;
        this.check();
      });
    });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.pending) clearImmediate(this.pending);
    this.offChange?.();
    this.timer = null;
    this.pending = null;
    this.offChange = null;
  }

  /**
   * Extends the horizon if the organization's date is not the one it last did so for; null when there was
   * nothing to do (the same day, or an actor who may not).
   */
  check(): HorizonRun | null {
    const { store } = this;
    if (!store.db.open) return null;
    if (!OFFICE.includes(store.context().actor.role)) return null;
    const today = todayIn(store.clock, store.queries.settings().timeZone);
    if (today === this.lastDate) return null;
    const run: HorizonRun = { date: today, created: 0, updated: 0, removed: 0 };
    for (let i = 0; i < MAX_RUNS_PER_CHECK; i++) {
      let result;
      try {
        result = store.executeAutomatic('extendSeriesHorizon', {});
      } catch (error) {
        this.log(`Could not extend recurring jobs: ${String(error)}`);
        return null;
      }
      if (!result.ok) {
        this.log(`Could not extend recurring jobs: ${result.error.message}`);
        return null;
      }
      run.created += result.value.created.length;
      run.updated += result.value.updated.length;
      run.removed += result.value.removed.length;
      if (!result.value.more) break;
    }
    this.lastDate = today;
    return run;
  }
}
