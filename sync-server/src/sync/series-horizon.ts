/**
 * Recurring series' visits for desktops that stay closed (issue 18): once a day per organization, when its
 * local date (its `timeZone`, by the server's clock) has moved on since the last pass, the server runs core's
 * `extendSeriesHorizon` on the organization's schedule as `crewline-server` (`serverCommand`, origin
 * `server`): visits through `recurrenceHorizonWeeks` from today are created and unchanged ones brought in
 * line with their series, exactly as a desktop's extension would. A visit's id and content are functions of
 * its series and date alone (`core/recurrence/occurrence.ts`), so a desktop that extended offline and then
 * syncs writes the same records under the same keys: no duplicates, nothing for the merge to choose. The
 * write is one Y transaction per pass that the room persists and publishes like any update, so connected
 * consoles see the new visits at once.
 *
 * From today on only: visits on past days and archived ones are the reconcile's to leave alone
 * (`reconcile.ts` skips archived ids and plans from `from`). An organization without series costs one look.
 */
import { readSettings } from '../../../core/doc/roster';
import { seriesMaps } from '../../../core/recurrence/series-doc';
import { systemClock, type Clock } from '../../../core/clock';
import { localDateOf, type LocalDate } from '../../../core/time';
import { organizationsWithSchedules, SERVER_ACTOR } from './archiver';
import { serverCommand, withOrgDocs } from './org-docs';
import type { RoomRegistry } from './room-registry';

/** One extension creates at most `MAX_OCCURRENCES_PER_EXTENSION` visits and says if there are more. */
const MAX_PASSES = 20;

export interface HorizonRun {
  orgId: string;
  /** The organization's local date the pass was for. */
  date: LocalDate;
  /** False when the organization has no series (nothing was run). */
  ran: boolean;
  created: string[];
  updated: string[];
  removed: string[];
  error?: string;
}

/** Extends one organization's series through its horizon as of `nowMs`; returns what it did and its zone. */
export function extendOrganizationSeries(registry: RoomRegistry, orgId: string, nowMs: number): HorizonRun & { zone: string } {
  return withOrgDocs(registry, orgId, (docs) => {
    const zone = readSettings(docs.roster).timeZone;
    const run: HorizonRun & { zone: string } = { orgId, zone, date: localDateOf(nowMs, zone), ran: false, created: [], updated: [], removed: [] };
    if (seriesMaps(docs.schedule).series.size === 0) return run;
    run.ran = true;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const result = serverCommand(docs, SERVER_ACTOR, 'extendSeriesHorizon', {}, nowMs);
      if (!result.ok) return { ...run, error: result.error.message };
      run.created.push(...result.value.created);
      run.updated.push(...result.value.updated);
      run.removed.push(...result.value.removed);
      if (!result.value.more) break;
    }
    return run;
  });
}

export class SeriesHorizon {
  private timer: NodeJS.Timeout | null = null;
  /**
   * Per organization, the local date of its last pass and the zone it was read in (so a check that finds
   * nothing due loads no document). In memory: after a restart every organization gets one pass, which
   * finds nothing to do when its visits are already there.
   */
  private readonly done = new Map<string, { date: LocalDate; zone: string }>();

  constructor(
    private readonly registry: RoomRegistry,
    private readonly now: Clock = systemClock,
  ) {}

  /** Checks every `intervalMs` which organizations' day has begun (first check after one interval). */
  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => this.runDue(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Extends each organization whose local date moved on since its last pass; one that fails is reported and retried next check. */
  runDue(nowMs = this.now()): HorizonRun[] {
    const runs: HorizonRun[] = [];
    for (const orgId of organizationsWithSchedules(this.registry)) {
      const last = this.done.get(orgId);
      if (last && localDateOf(nowMs, last.zone) === last.date) continue;
      try {
        const { zone, ...run } = extendOrganizationSeries(this.registry, orgId, nowMs);
        if (run.error) this.registry.log.warn({ event: 'series_extend_failed', orgId, error: run.error }, 'extending the series failed');
        else this.done.set(orgId, { date: run.date, zone });
        runs.push(run);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.registry.log.warn({ event: 'series_extend_failed', orgId, error: message }, 'extending the series failed');
        runs.push({ orgId, date: '', ran: false, created: [], updated: [], removed: [], error: message });
      }
    }
    return runs;
  }
}
