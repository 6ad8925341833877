import * as Y from 'yjs';
import { z } from 'zod';
import { fieldList } from '../field-labels';
import {
  bookingFieldsSchema,
  idSchema,
  localDateSchema,
  slotSchema,
  type BookingFields,
  type HistoryEntry,
  type Slot,
  type Stamp,
  type Status,
} from '../model';
import { newRecord, recordOf, writeGroups } from '../doc/records';
import { getCustomer, getProvider, getService, readSettings } from '../doc/roster';
import { BOOKING_GROUPS, getBooking, readHistory, scheduleMaps } from '../doc/schedule';
import { nextMoveLink } from '../moves';
import { sameSlot } from '../slots';
import { checkTransition, effectiveStatus, isClosed, statusAfterSlotChange, STATUS_LABELS } from '../status';
import { fail, fieldError, notFound, ok, type Result } from '../result';
import { addDays, localDateOf, MINUTE_MS, toMs, type LocalDate } from '../time';
import { firstRuleDate, isRuleDate, lastRuleDate, MAX_OCCURRENCES_PER_EXTENSION, ruleDates } from '../recurrence/expand';
import {
  contentOfBooking,
  fingerprintOf,
  materializeOccurrence,
  occurrenceId,
  startDateOf,
  startTimeOf,
} from '../recurrence/occurrence';
import {
  familiesOf,
  isUnstarted,
  isUntouched,
  planSeriesReconcile,
  seriesStamp,
  type ReconcileWorld,
  type SeriesOp,
} from '../recurrence/reconcile';
import { repeatRuleSchema, toRRule, type RepeatRule } from '../recurrence/rule';
import { describeRepeat } from '../recurrence/rule-text';
import {
  appendSeriesLog,
  arrivalOffsetsSchema,
  durationMinutesSchema,
  addSeriesEnd,
  getSeries,
  linksBySeries,
  listSeries,
  listStoredSeries,
  newSeriesRecord,
  resolveSeries,
  occurrenceLinkOf,
  seriesRecordOf,
  seriesTemplateSchema,
  setException,
  setOccurrenceLink,
  type OccurrenceLink,
  type Series,
  type SeriesEnd,
  type SeriesException,
  type SeriesRule,
  type StoredSeries,
  type SeriesTemplate,
} from '../recurrence/series-doc';
import { defineCommand, OFFICE, type CommandContext } from './define';
import { appendHistory, describeSlot, slotTimes } from './history';

/**
 * Recurring jobs (issue 18): a **series** holds a template, an RRULE and exceptions
 * (`core/recurrence/series-doc.ts`); its visits are ordinary bookings under ids derived from (series, date),
 * created for a rolling horizon and kept in line by `extendSeriesHorizon` (`core/recurrence/reconcile.ts`).
 *
 * Decisions (see also the modules above):
 * - **Skip** removes a visit nobody was sent yet (Scheduled or Unscheduled: the technician never had it, and
 *   a cancelled card would only clutter the board and the archive) and **cancels** one already dispatched or
 *   en route (the technician was told about it: the cancellation reaches them like any other, and the record
 *   stays). A visit in progress or completed cannot be skipped.
 * - **This and following** splits: the series ends the day before (an end entry, `series-doc.ts`); a new
 *   series with the edited template starts on that date (COUNT carries what remains). Later visits nobody
 *   changed and nobody started are removed and the new series makes its own; visits that were changed (by
 *   hand or as an exception), dispatched or started stay with the old series, and the new series marks
 *   their dates `covered` so there is never a second visit that day. Skips carry over. On the series' first
 *   visit it is the whole series. Only today or later.
 * - **Whole series** changes the template and/or the rule from now on: not-yet-started visits from now that
 *   nobody changed follow; changed exceptions and dispatched, started or finished visits stay as they are.
 *   Visits before now are records and are never touched; a new rule creates no visits in the past.
 * - **End** adds an end entry (the rule in effect gets UNTIL): later visits from now that are not started
 *   are removed (cancelled when dispatched), also those of series split from it.
 * - **History**: automatic work (extending the horizon, bringing visits in line after a merge) writes none.
 *   Series-level edits write to the series' own log, and to a visit's history only when it already has one:
 *   creating a booking's log is racy for visits (two desktops would each create one, and the merge keeps
 *   one log; the sync server refuses the update that replaces a log). Visits a series creates in the same
 *   transaction as the series itself (create, split) get their log then, as no other replica can know them
 *   yet; edits of one visit (change, skip) write its history like any booking command.
 */

/** An extension reaches at most this far past today. */
const MAX_EXTENSION_WEEKS = 104;
/** A series ending on a date ends within this many days of its start. */
const MAX_SERIES_DAYS = 3660;

const startTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Must be a time like 09:00');
const horizonWeeksSchema = z
  .number()
  .int('Whole weeks')
  .min(1, 'At least 1 week')
  .max(52, 'At most 52 weeks');

/** Weeks of visits to keep ahead: the command's own, else the organization's setting. */
const horizonOf = (ctx: CommandContext, weeks: number | undefined): number => weeks ?? readSettings(ctx.roster).recurrenceHorizonWeeks;

/** The template's fields a user sets (all optional: an edit patches). */
const templatePatchSchema = bookingFieldsSchema.omit({ arrivalWindow: true }).partial().extend({
  assignees: seriesTemplateSchema.shape.assignees.optional(),
  durationMinutes: durationMinutesSchema.optional(),
  arrival: arrivalOffsetsSchema.nullable().optional(),
});
type TemplatePatch = z.output<typeof templatePatchSchema>;

const TEMPLATE_KEYS = [
  'title',
  'customerId',
  'serviceId',
  'priority',
  'teamSize',
  'laborHours',
  'location',
  'notes',
  'assignees',
  'durationMinutes',
  'arrival',
] as const satisfies ReadonlyArray<keyof SeriesTemplate>;

// ---------------------------------------------------------------------------------------------------
// Shared helpers

const stamp = (ctx: CommandContext): Stamp => ({ at: ctx.now(), by: { id: ctx.actor.id, name: ctx.actor.name } });
const zoneOf = (ctx: CommandContext) => readSettings(ctx.roster).timeZone;
const todayOf = (ctx: CommandContext) => localDateOf(toMs(ctx.now()), zoneOf(ctx));
const later = (a: LocalDate, b: LocalDate) => (a > b ? a : b);

function worldOf(ctx: CommandContext): ReconcileWorld {
  const { archived } = scheduleMaps(ctx.schedule);
  return { zone: zoneOf(ctx), booking: (id) => getBooking(ctx.schedule, id), archived: (id) => archived.has(id) };
}

function findSeries(ctx: CommandContext, id: string, field = 'id'): Result<{ series: Series; record: Y.Map<unknown> }> {
  const record = seriesRecordOf(ctx.schedule, id);
  const series = record ? getSeries(ctx.schedule, id) : undefined;
  if (!record || !series) return notFound(field, 'Series', id);
  return ok({ series, record });
}

/** Every series with `changed` in place of (or beside) the stored ones, ends applied (`resolveSeries`). */
function resolveWith(ctx: CommandContext, changed: readonly StoredSeries[]): Map<string, Series> {
  const byId = new Map(listStoredSeries(ctx.schedule).map((s) => [s.id, s]));
  for (const s of changed) byId.set(s.id, s);
  return new Map(resolveSeries([...byId.values()]).map((s) => [s.id, s]));
}

/** The stored part of a resolved series. */
const storedOf = (s: Series): StoredSeries => ({
  id: s.id,
  template: s.template,
  rule: s.rule,
  storedRepeat: s.storedRepeat,
  created: s.created,
  exceptions: s.exceptions,
  ends: s.ends,
});

/** The series split from this one, and theirs. */
function descendantsOf(ctx: CommandContext, id: string): string[] {
  const all = listStoredSeries(ctx.schedule);
  const out: string[] = [];
  const queue = [id];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const s of all) {
      if (s.created.splitFrom === parent && !out.includes(s.id) && s.id !== id) {
        out.push(s.id);
        queue.push(s.id);
      }
    }
  }
  return out;
}

function logEntry(ctx: CommandContext, action: string, summary: string): HistoryEntry {
  return { id: ctx.newId(), at: ctx.now(), by: { id: ctx.actor.id, name: ctx.actor.name }, action, summary };
}

const hasLog = (ctx: CommandContext, bookingId: string) => scheduleMaps(ctx.schedule).history.get(bookingId) instanceof Y.Array;

/** Customers, services and providers a template patch names must exist. */
function checkReferences(ctx: CommandContext, patch: TemplatePatch): Result<void> {
  if (patch.customerId && !getCustomer(ctx.roster, patch.customerId)) return notFound('customerId', 'Customer', patch.customerId);
  if (patch.serviceId && !getService(ctx.roster, patch.serviceId)) return notFound('serviceId', 'Service', patch.serviceId);
  for (const id of patch.assignees ?? []) if (!getProvider(ctx.roster, id)) return notFound('assignees', 'Service provider', id);
  return ok(undefined);
}

/** An end date must fall on or after the start, and within ten years of it. */
function checkEnd(repeat: RepeatRule, startDate: LocalDate): Result<void> {
  if (repeat.end.type !== 'until') return ok(undefined);
  if (repeat.end.date < startDate) return fieldError('repeat.end.date', 'Must be on or after the start date');
  if (repeat.end.date > addDays(startDate, MAX_SERIES_DAYS)) return fieldError('repeat.end.date', 'At most ten years after the start date');
  return ok(undefined);
}

const firstDateOf = (rrule: string, dtstart: string): LocalDate | undefined => firstRuleDate(rrule, dtstart.slice(0, 10));

interface ApplyMode {
  /** `none`: automatic work; `existing`: entries only in logs that exist; `create`: new visits get a log. */
  history: 'none' | 'existing' | 'create';
  /** The stamp of status changes. */
  stamp: Stamp;
  /** Words for the series in history entries. */
  label: string;
}

interface Applied {
  created: string[];
  updated: string[];
  removed: string[];
}

/** Writes a reconcile plan's operations, inside the command's transaction. */
function applyOps(ctx: CommandContext, series: Series, ops: readonly SeriesOp[], mode: ApplyMode): Applied {
  const maps = scheduleMaps(ctx.schedule);
  const applied: Applied = { created: [], updated: [], removed: [] };
  // A visit's creation is stamped by its series alone, so every replica writes the same record.
  const created: Stamp = { at: series.created.at, by: { id: series.created.by.id, name: series.created.by.name } };
  for (const op of ops) {
    if (op.kind === 'create') {
      newRecord(maps.bookings, op.id, BOOKING_GROUPS, {
        ...op.content,
        status: op.status,
        statusChanged: created,
        statusNote: '',
        dispatched: null,
        created,
      });
      setOccurrenceLink(ctx.schedule, op.id, { seriesId: op.seriesId, date: op.date, fingerprint: op.fingerprint });
      if (mode.history === 'create') {
        // A log left by an earlier visit under this id stays (logs are append-only); a new one otherwise.
        if (!hasLog(ctx, op.id)) maps.history.set(op.id, new Y.Array<HistoryEntry>());
        appendHistory(ctx, op.id, 'create', `Created as a visit of "${mode.label}" (${describeSlot(ctx, op.content.slot)})`, undefined, slotTimes(ctx, op.content.slot));
      }
      applied.created.push(op.id);
    } else if (op.kind === 'update') {
      const record = recordOf(maps.bookings, op.id);
      if (!record) continue;
      const { slot, ...fields } = op.content;
      const slotChanged = !sameSlot(op.before.slot, slot);
      let slotMove: { id: string } | null = null;
      if (mode.history !== 'none' && hasLog(ctx, op.id)) {
        const link = slotChanged ? nextMoveLink(op.before, readHistory(ctx.schedule, op.id)) : undefined;
        const entryId = appendHistory(ctx, op.id, 'series_edit', `Updated with "${mode.label}": ${describeSlot(ctx, slot)}`, link, slotTimes(ctx, slot));
        if (slotChanged) slotMove = { id: entryId };
      }
      writeGroups(record, BOOKING_GROUPS, { ...fields, ...(slotChanged ? { slot, slotMove } : {}) });
      if (op.status !== op.before.status) writeGroups(record, BOOKING_GROUPS, { status: op.status, statusChanged: mode.stamp });
      setOccurrenceLink(ctx.schedule, op.id, { seriesId: op.seriesId, date: op.date, fingerprint: op.fingerprint });
      applied.updated.push(op.id);
    } else {
      if (mode.history !== 'none' && hasLog(ctx, op.id)) {
        appendHistory(ctx, op.id, 'series_remove', `Removed from the schedule: "${mode.label}" no longer has this visit`);
      }
      maps.bookings.delete(op.id);
      applied.removed.push(op.id);
    }
  }
  return applied;
}

/**
 * Plans the series' bookings against the documents (`reconcile.ts`), with its family of split series; `all`
 * is every series as it will be (the documents' own when the command changes none).
 */
function planFor(ctx: CommandContext, series: Series, from: LocalDate, until: LocalDate, all?: ReadonlyMap<string, Series>) {
  const links = linksBySeries(ctx.schedule);
  const everyone = all ? [...all.values()] : listSeries(ctx.schedule);
  const relatives = familiesOf(everyone, links).get(series.id) ?? [];
  return planSeriesReconcile(series, links.get(series.id) ?? new Map(), worldOf(ctx), {
    from,
    until,
    budget: MAX_OCCURRENCES_PER_EXTENSION,
    relatives,
  });
}

/** The template after a patch; a new customer brings its address unless a location is given. */
function patchedTemplate(ctx: CommandContext, template: SeriesTemplate, patch: TemplatePatch): SeriesTemplate {
  const next: SeriesTemplate = { ...template };
  for (const key of TEMPLATE_KEYS) if (patch[key] !== undefined) (next as Record<string, unknown>)[key] = patch[key];
  if (patch.customerId && patch.customerId !== template.customerId && patch.location === undefined) {
    const customer = getCustomer(ctx.roster, patch.customerId);
    if (customer) next.location = { address: customer.address, coordinates: customer.coordinates };
  }
  return next;
}

const sameTemplate = (a: SeriesTemplate, b: SeriesTemplate) => TEMPLATE_KEYS.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));

/** Which visit of which series a skip or edit names. */
function resolveVisit(
  ctx: CommandContext,
  input: { id?: string | undefined; seriesId?: string | undefined; date?: string | undefined },
): Result<{ series: Series; record: Y.Map<unknown>; date: LocalDate; bookingId: string }> {
  if (input.id) {
    const link = occurrenceLinkOf(ctx.schedule, input.id);
    if (!link) {
      return getBooking(ctx.schedule, input.id)
        ? fieldError('id', 'This job is not a visit of a repeating series')
        : notFound('id', 'Booking', input.id);
    }
    const found = findSeries(ctx, link.seriesId);
    if (!found.ok) return fail('not_found', 'The series of this job no longer exists', { fieldErrors: { id: 'Its series no longer exists' } });
    return ok({ ...found.value, date: link.date, bookingId: input.id });
  }
  if (!input.seriesId || !input.date) return fieldError('id', 'Name the visit: a job, or a series and a date');
  const found = findSeries(ctx, input.seriesId, 'seriesId');
  if (!found.ok) return found;
  const bookingId = occurrenceId(input.seriesId, input.date);
  const { series } = found.value;
  if (!getBooking(ctx.schedule, bookingId) && !isRuleDate(series.rrule, startDateOf(series), input.date)) {
    return fieldError('date', 'The series has no visit on this date');
  }
  return ok({ ...found.value, date: input.date, bookingId });
}

// ---------------------------------------------------------------------------------------------------

/** The whole-series edit, also used by "this and following" on a series' first visit. */
function planWholeSeriesEdit(
  ctx: CommandContext,
  found: { series: Series; record: Y.Map<unknown> },
  patch: TemplatePatch,
  startTime: string | undefined,
  repeat: RepeatRule | undefined,
  horizonWeeks: number | undefined,
): Result<() => { id: string } & Applied> {
  const { series, record } = found;
  const refs = checkReferences(ctx, patch);
  if (!refs.ok) return refs;
  const startDate = startDateOf(series);
  if (repeat) {
    const end = checkEnd(repeat, startDate);
    if (!end.ok) return end;
  }
  const now = stamp(ctx);
  const template = patchedTemplate(ctx, series.template, patch);
  const templateChanged = !sameTemplate(template, series.template);
  // The stored rule changes; the series' ends (End series, splits) stay and still bound it.
  const rrule = repeat ? toRRule(repeat) : series.rule.rrule;
  const dtstart = `${startDate}T${startTime ?? startTimeOf(series)}`;
  const ruleChanged = rrule !== series.rule.rrule || dtstart !== series.rule.dtstart;
  if (!templateChanged && !ruleChanged) return fail('validation', 'Nothing to change');
  const rule: SeriesRule = ruleChanged ? { rrule, dtstart, changed: now } : series.rule;
  if (ruleChanged && !firstDateOf(rrule, dtstart)) return fieldError('repeat', 'This repeat has no visits');
  const resolved = resolveWith(ctx, [
    {
      ...storedOf(series),
      template: templateChanged ? { ...template, changed: now } : series.template,
      rule,
      storedRepeat: repeat ?? series.storedRepeat,
    },
  ]);
  const next = resolved.get(series.id)!;
  const until = addDays(todayOf(ctx), 7 * horizonOf(ctx, horizonWeeks));
  const plan = planFor(ctx, next, todayOf(ctx), until, resolved);
  const label = describeRepeat(next.repeat);
  const what = [
    ...TEMPLATE_KEYS.filter((k) => JSON.stringify(template[k]) !== JSON.stringify(series.template[k])),
    ...(dtstart !== series.rule.dtstart ? ['time'] : []),
    ...(rrule !== series.rule.rrule ? ['repeat'] : []),
  ];
  return ok(() => {
    if (templateChanged) record.set('template', next.template);
    if (ruleChanged) record.set('rule', next.rule);
    appendSeriesLog(record, logEntry(ctx, 'edit', `Edited ${fieldList(what)} from now on (${label})`));
    return { id: series.id, ...applyOps(ctx, next, plan.ops, { history: 'existing', stamp: now, label }) };
  });
}

export const seriesCommands = {
  /** A repeating job: the series and its visits through the horizon, in one transaction. */
  createSeries: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: templatePatchSchema.extend({
      title: bookingFieldsSchema.shape.title,
      assignees: seriesTemplateSchema.shape.assignees.default([]),
      arrival: arrivalOffsetsSchema.nullable().default(null),
      startDate: localDateSchema,
      startTime: startTimeSchema,
      repeat: repeatRuleSchema,
      horizonWeeks: horizonWeeksSchema.optional(),
    }),
    plan(ctx, input) {
      const { startDate, startTime, repeat, horizonWeeks, ...patch } = input;
      const refs = checkReferences(ctx, patch);
      if (!refs.ok) return refs;
      const end = checkEnd(repeat, startDate);
      if (!end.ok) return end;
      const customer = patch.customerId ? getCustomer(ctx.roster, patch.customerId) : undefined;
      const service = patch.serviceId ? getService(ctx.roster, patch.serviceId) : undefined;
      const template: SeriesTemplate = {
        title: patch.title,
        customerId: patch.customerId ?? null,
        serviceId: patch.serviceId ?? null,
        priority: patch.priority ?? 'normal',
        teamSize: patch.teamSize ?? service?.teamSize ?? 1,
        laborHours: patch.laborHours ?? service?.laborHours ?? 1,
        location: patch.location ?? { address: customer?.address ?? '', coordinates: customer?.coordinates ?? null },
        notes: patch.notes ?? '',
        assignees: patch.assignees,
        durationMinutes: patch.durationMinutes ?? service?.durationMinutes ?? 60,
        arrival: patch.arrival,
        changed: null,
      };
      const rule: SeriesRule = { rrule: toRRule(repeat), dtstart: `${startDate}T${startTime}`, changed: null };
      if (!firstDateOf(rule.rrule, rule.dtstart)) return fieldError('repeat', 'This repeat has no visits on or after the start date');
      const id = ctx.newId();
      const series: Series = {
        id,
        template,
        rule,
        storedRepeat: repeat,
        created: { ...stamp(ctx), splitFrom: null },
        exceptions: new Map(),
        ends: [],
        repeat,
        rrule: rule.rrule,
        ruleSince: null,
      };
      const until = addDays(later(todayOf(ctx), startDate), 7 * horizonOf(ctx, horizonWeeks));
      const plan = planSeriesReconcile(series, new Map(), worldOf(ctx), { from: startDate, until, budget: MAX_OCCURRENCES_PER_EXTENSION });
      const label = describeRepeat(repeat);
      return ok(() => {
        const record = newSeriesRecord(ctx.schedule, id, series);
        appendSeriesLog(record, logEntry(ctx, 'create', `Created: ${template.title}, ${label}, from ${startDate} at ${startTime}`));
        const applied = applyOps(ctx, series, plan.ops, { history: 'create', stamp: stamp(ctx), label });
        return { id, occurrences: applied.created, until, more: plan.more };
      });
    },
  }),

  /**
   * Creates the visits every series has through `until` (or `horizonWeeks` from today) and brings unchanged
   * visits in line with their series. Idempotent, and the same on every replica (`reconcile.ts`): desktops
   * run it as days pass; the sync server can run it for desktops that stay closed.
   */
  extendSeriesHorizon: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: z.object({
      until: localDateSchema.optional(),
      horizonWeeks: horizonWeeksSchema.optional(),
      /** The first date looked at; default today (see `ReconcileRange.from`). */
      from: localDateSchema.optional(),
      seriesId: idSchema.optional(),
    }),
    plan(ctx, input) {
      const today = todayOf(ctx);
      const until = input.until ?? addDays(today, 7 * horizonOf(ctx, input.horizonWeeks));
      const from = input.from ?? today;
      if (until > addDays(today, 7 * MAX_EXTENSION_WEEKS)) return fieldError('until', 'At most two years ahead');
      if (from > until) return fieldError('from', 'Must be on or before the horizon end');
      let all: Series[];
      if (input.seriesId) {
        const found = findSeries(ctx, input.seriesId, 'seriesId');
        if (!found.ok) return found;
        all = [found.value.series];
      } else {
        all = listSeries(ctx.schedule);
      }
      const links = linksBySeries(ctx.schedule);
      const families = familiesOf(listSeries(ctx.schedule), links);
      const world = worldOf(ctx);
      const work: Array<{ series: Series; ops: SeriesOp[] }> = [];
      let budget = MAX_OCCURRENCES_PER_EXTENSION;
      let more = false;
      for (const series of all) {
        const plan = planSeriesReconcile(series, links.get(series.id) ?? new Map(), world, {
          from,
          until,
          budget,
          relatives: families.get(series.id) ?? [],
        });
        if (plan.ops.length > 0) work.push({ series, ops: plan.ops });
        budget -= plan.ops.length;
        if (plan.more) {
          more = true;
          break;
        }
      }
      return ok(() => {
        const total: Applied = { created: [], updated: [], removed: [] };
        for (const { series, ops } of work) {
          const applied = applyOps(ctx, series, ops, { history: 'none', stamp: seriesStamp(series), label: describeRepeat(series.repeat) });
          total.created.push(...applied.created);
          total.updated.push(...applied.updated);
          total.removed.push(...applied.removed);
        }
        return { until, ...total, more };
      });
    },
  }),

  /** Edit every visit from now on (see the decisions at the top). */
  updateSeries: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: templatePatchSchema.extend({
      id: idSchema,
      startTime: startTimeSchema.optional(),
      repeat: repeatRuleSchema.optional(),
      horizonWeeks: horizonWeeksSchema.optional(),
    }),
    plan(ctx, { id, startTime, repeat, horizonWeeks, ...patch }) {
      const found = findSeries(ctx, id);
      if (!found.ok) return found;
      return planWholeSeriesEdit(ctx, found.value, patch, startTime, repeat, horizonWeeks);
    },
  }),

  /** "This and following": the series ends before `date` and continues, edited, as a new series. */
  updateSeriesFrom: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: templatePatchSchema.extend({
      id: idSchema,
      date: localDateSchema,
      startTime: startTimeSchema.optional(),
      repeat: repeatRuleSchema.optional(),
      horizonWeeks: horizonWeeksSchema.optional(),
    }),
    plan(ctx, { id, date, startTime, repeat, horizonWeeks, ...patch }) {
      const found = findSeries(ctx, id);
      if (!found.ok) return found;
      const { series, record } = found.value;
      const startDate = startDateOf(series);
      if (!isRuleDate(series.rrule, startDate, date)) return fieldError('date', 'The series has no visit on this date');
      const today = todayOf(ctx);
      if (date < today) return fieldError('date', 'Pick today or a later visit: earlier visits stay as they were');
      if (Object.keys(patch).length === 0 && startTime === undefined && repeat === undefined) return fail('validation', 'Nothing to change');
      if (date === firstDateOf(series.rrule, series.rule.dtstart)) {
        const whole = planWholeSeriesEdit(ctx, found.value, patch, startTime, repeat, horizonWeeks);
        if (!whole.ok) return whole;
        return ok(() => ({ ...whole.value(), ended: false }));
      }
      const refs = checkReferences(ctx, patch);
      if (!refs.ok) return refs;
      const now = stamp(ctx);

      // The series ends the day before (an end entry, not a rule edit: see series-doc.ts); a count carries
      // over what remains of it.
      const dayBefore = addDays(date, -1);
      const before = ruleDates(series.rrule, startDate, { to: dayBefore }).dates.length;
      const carriedEnd: RepeatRule['end'] =
        series.repeat.end.type === 'count' ? { type: 'count', count: series.repeat.end.count - before } : series.repeat.end;
      const newRepeat: RepeatRule = repeat ?? { ...series.repeat, end: carriedEnd };
      const end = checkEnd(newRepeat, date);
      if (!end.ok) return end;
      const newId = ctx.newId();
      const newRule: SeriesRule = { rrule: toRRule(newRepeat), dtstart: `${date}T${startTime ?? startTimeOf(series)}`, changed: null };
      if (!firstDateOf(newRule.rrule, newRule.dtstart)) return fieldError('repeat', 'This repeat has no visits from this date');
      const endKey = ctx.newId();
      const splitEnd: SeriesEnd = { lastDate: dayBefore, kind: 'split', successorId: newId, by: now };

      // Visits from `date` on: unchanged and not started ones make way; the rest stay, and cover their date.
      const links = linksBySeries(ctx.schedule).get(series.id) ?? new Map<string, OccurrenceLink>();
      const exceptions = new Map<LocalDate, SeriesException>();
      for (const [d, exception] of series.exceptions) {
        if (d >= date && exception.type === 'skipped') exceptions.set(d, { type: 'skipped', by: exception.by });
      }
      const removals: SeriesOp[] = [];
      for (const [bookingId, link] of [...links].sort(([, a], [, b]) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) {
        if (link.date < date) continue;
        const booking = getBooking(ctx.schedule, bookingId);
        if (!booking) continue;
        const changed = series.exceptions.get(link.date)?.type === 'changed';
        if (!changed && isUnstarted(booking) && isUntouched(booking, link)) {
          removals.push({ kind: 'remove', id: bookingId, seriesId: series.id, date: link.date, before: booking });
        } else {
          exceptions.set(link.date, { type: 'covered', seriesId: series.id, by: now });
        }
      }
      const template = { ...patchedTemplate(ctx, series.template, patch), changed: null };
      const resolved = resolveWith(ctx, [
        { ...storedOf(series), ends: [...series.ends, splitEnd] },
        {
          id: newId,
          template,
          rule: newRule,
          storedRepeat: newRepeat,
          created: { ...now, splitFrom: series.id },
          exceptions,
          ends: [],
        },
      ]);
      const successor = resolved.get(newId)!;
      const until = addDays(later(today, date), 7 * horizonOf(ctx, horizonWeeks));
      const plan = planFor(ctx, successor, date, until, resolved);
      const oldLabel = describeRepeat(resolved.get(series.id)!.repeat);
      const label = describeRepeat(successor.repeat);
      return ok(() => {
        addSeriesEnd(record, endKey, splitEnd);
        appendSeriesLog(record, logEntry(ctx, 'split', `Changed from ${date} on: continues as a new series (${label}); this one now ${oldLabel}`));
        const removed = applyOps(ctx, series, removals, { history: 'existing', stamp: now, label: oldLabel }).removed;
        const successorRecord = newSeriesRecord(ctx.schedule, newId, successor);
        for (const [d, exception] of exceptions) setException(successorRecord, d, exception);
        appendSeriesLog(successorRecord, logEntry(ctx, 'create', `Continues the series from ${date}: ${template.title}, ${label}`));
        const created = applyOps(ctx, successor, plan.ops, { history: 'create', stamp: now, label }).created;
        return { id: newId, created, updated: [] as string[], removed, ended: true };
      });
    },
  }),

  /** One visit only: it becomes a `changed` exception and keeps its own time and fields from then on. */
  updateOccurrence: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: bookingFieldsSchema.partial().extend({ id: idSchema, slot: slotSchema.optional() }),
    plan(ctx, { id, slot, ...patch }) {
      const visit = resolveVisit(ctx, { id });
      if (!visit.ok) return visit;
      const { series, record: seriesRecord, date } = visit.value;
      const record = recordOf(scheduleMaps(ctx.schedule).bookings, id);
      const booking = getBooking(ctx.schedule, id);
      if (!record || !booking) return notFound('id', 'Booking', id);
      const status = effectiveStatus(booking.status, booking.slot);
      if (isClosed(status)) return fail('illegal_transition', `The job is ${STATUS_LABELS[status]}: this visit can no longer change`);
      if (patch.customerId && !getCustomer(ctx.roster, patch.customerId)) return notFound('customerId', 'Customer', patch.customerId);
      if (patch.serviceId && !getService(ctx.roster, patch.serviceId)) return notFound('serviceId', 'Service', patch.serviceId);
      const next: Slot | null = slot ?? booking.slot;
      if (!next) return fieldError('slot', 'Give this visit a date and time');
      for (const a of next.assignees) if (!getProvider(ctx.roster, a)) return notFound('slot.assignees', 'Service provider', a);
      const startMs = toMs(next.start);
      const minutes = (toMs(next.end) - startMs) / MINUTE_MS;
      if (startMs % MINUTE_MS !== 0) return fieldError('slot.start', 'Start on a whole minute');
      const duration = durationMinutesSchema.safeParse(minutes);
      if (!duration.success) return fieldError('slot.end', Number.isInteger(minutes) ? duration.error.issues[0]!.message : 'A visit lasts whole minutes');
      const slotChanged = !sameSlot(booking.slot, next);
      const nextStatus = slotChanged ? statusAfterSlotChange(status, next) : ok(booking.status);
      if (!nextStatus.ok) return nextStatus;

      const current = contentOfBooking(booking);
      const { slot: _ignored, ...currentFields } = current ?? { ...booking, slot: null };
      const fields: BookingFields = { ...pickFields(currentFields), ...patch };
      const exception: SeriesException = {
        type: 'changed',
        start: next.start,
        durationMinutes: duration.data,
        assignees: next.assignees,
        fields,
        by: stamp(ctx),
      };
      const exceptions = new Map(series.exceptions).set(date, exception);
      const content = materializeOccurrence({ ...series, exceptions }, date, zoneOf(ctx));
      const changedKeys = [...Object.keys(patch), ...(slotChanged ? ['slot'] : [])];
      return ok(() => {
        setException(seriesRecord, date, exception);
        const { slot: contentSlot, ...contentFields } = content;
        const summary = `Changed this visit only${changedKeys.length ? ` (${fieldList(changedKeys)})` : ''}: ${describeSlot(ctx, contentSlot)}`;
        const link = slotChanged ? nextMoveLink(booking, readHistory(ctx.schedule, id)) : undefined;
        const entryId = appendHistory(ctx, id, 'edit_visit', summary, link, slotTimes(ctx, contentSlot));
        writeGroups(record, BOOKING_GROUPS, { ...contentFields, ...(slotChanged ? { slot: contentSlot, slotMove: { id: entryId } } : {}) });
        if (nextStatus.value !== booking.status) writeStatus(record, nextStatus.value, stamp(ctx));
        setOccurrenceLink(ctx.schedule, id, { seriesId: series.id, date, fingerprint: fingerprintOf(content) });
        return { id, seriesId: series.id, date };
      });
    },
  }),

  /** Skip one visit: removed if nobody was sent yet, cancelled if dispatched or en route. */
  skipOccurrence: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: z.object({
      id: idSchema.optional(),
      seriesId: idSchema.optional(),
      date: localDateSchema.optional(),
      reason: z.string().trim().max(500, 'At most 500 characters').default(''),
    }),
    plan(ctx, input) {
      const visit = resolveVisit(ctx, input);
      if (!visit.ok) return visit;
      const { series, record: seriesRecord, date, bookingId } = visit.value;
      if (series.exceptions.get(date)?.type === 'skipped') {
        return fail('conflict', 'This visit is already skipped', { fieldErrors: { [input.id ? 'id' : 'date']: 'Already skipped' } });
      }
      const booking = getBooking(ctx.schedule, bookingId);
      const status = booking ? effectiveStatus(booking.status, booking.slot) : null;
      if (status === 'in_progress' || status === 'completed') {
        return fail('illegal_transition', `This visit is ${STATUS_LABELS[status]}: it can no longer be skipped`);
      }
      const why = input.reason ? `: ${input.reason}` : '';
      const outcome: 'removed' | 'cancelled' | 'none' =
        status === 'scheduled' || status === 'unscheduled' ? 'removed' : status === 'dispatched' || status === 'en_route' ? 'cancelled' : 'none';
      if (outcome === 'cancelled') {
        const legal = checkTransition(status!, 'cancelled');
        if (!legal.ok) return legal;
      }
      return ok(() => {
        setException(seriesRecord, date, { type: 'skipped', by: stamp(ctx) });
        appendSeriesLog(seriesRecord, logEntry(ctx, 'skip', `Skipped the visit on ${date}${why}`));
        const record = recordOf(scheduleMaps(ctx.schedule).bookings, bookingId);
        if (outcome === 'removed') {
          if (hasLog(ctx, bookingId)) appendHistory(ctx, bookingId, 'skip', `Skipped this visit of the series${why}`);
          scheduleMaps(ctx.schedule).bookings.delete(bookingId);
        } else if (outcome === 'cancelled' && record) {
          writeStatus(record, 'cancelled', stamp(ctx), `Skipped${why}`);
          appendHistory(ctx, bookingId, 'cancel', `Cancelled: skipped this visit of the series${why}`);
        }
        return { seriesId: series.id, date, id: bookingId, booking: outcome };
      });
    },
  }),

  /** The series ends after `lastDate`: later visits from now that are not started are removed or cancelled. */
  endSeries: defineCommand({
    doc: 'schedule',
    roles: OFFICE,
    input: z.object({ id: idSchema, lastDate: localDateSchema }),
    plan(ctx, { id, lastDate }) {
      const found = findSeries(ctx, id);
      if (!found.ok) return found;
      const { series, record } = found.value;
      const startDate = startDateOf(series);
      if (lastDate < addDays(startDate, -1)) return fieldError('lastDate', `The series starts on ${startDate}`);
      const last = lastRuleDate(series.rrule, startDate);
      if (last !== null && last <= lastDate) {
        return fail('conflict', `The series already ends on ${last}`, { fieldErrors: { lastDate: `Already ends on ${last}` } });
      }
      const now = stamp(ctx);
      const nowMs = toMs(ctx.now());
      const endKey = ctx.newId();
      const end: SeriesEnd = { lastDate, kind: 'end', successorId: null, by: now };
      // The end bounds the series and what it was split into (`resolveSeries`): their later visits go too.
      const affected = [series.id, ...descendantsOf(ctx, series.id)];
      const removals: SeriesOp[] = [];
      const cancels: string[] = [];
      const allLinks = linksBySeries(ctx.schedule);
      for (const seriesId of affected) {
        const links = allLinks.get(seriesId) ?? new Map<string, OccurrenceLink>();
        for (const [bookingId, link] of [...links].sort(([, a], [, b]) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) {
          if (link.date <= lastDate) continue;
          const booking = getBooking(ctx.schedule, bookingId);
          if (!booking?.slot || toMs(booking.slot.start) < nowMs) continue;
          const status = effectiveStatus(booking.status, booking.slot);
          if (status === 'scheduled' || status === 'unscheduled') {
            removals.push({ kind: 'remove', id: bookingId, seriesId, date: link.date, before: booking });
          } else if (status === 'dispatched') {
            cancels.push(bookingId);
          }
        }
      }
      const label = describeRepeat(resolveWith(ctx, [{ ...storedOf(series), ends: [...series.ends, end] }]).get(series.id)!.repeat);
      return ok(() => {
        addSeriesEnd(record, endKey, end);
        appendSeriesLog(record, logEntry(ctx, 'end', `Ends after ${lastDate} (${label})`));
        const removed = applyOps(ctx, series, removals, { history: 'existing', stamp: now, label }).removed;
        for (const bookingId of cancels) {
          const booking = recordOf(scheduleMaps(ctx.schedule).bookings, bookingId);
          if (!booking) continue;
          writeStatus(booking, 'cancelled', now, 'The series ended');
          appendHistory(ctx, bookingId, 'cancel', `Cancelled: the series ends after ${lastDate}`);
        }
        return { id, removed, cancelled: cancels };
      });
    },
  }),
};

function writeStatus(record: Y.Map<unknown>, status: Status, by: Stamp, note?: string) {
  writeGroups(record, BOOKING_GROUPS, { status, statusChanged: by, ...(note === undefined ? {} : { statusNote: note }) });
}

function pickFields(b: BookingFields): BookingFields {
  return {
    title: b.title,
    customerId: b.customerId,
    serviceId: b.serviceId,
    priority: b.priority,
    teamSize: b.teamSize,
    laborHours: b.laborHours,
    location: b.location,
    arrivalWindow: b.arrivalWindow,
    notes: b.notes,
  };
}
