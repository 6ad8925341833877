import * as Y from 'yjs';
import { z } from 'zod';
import {
  bookingFieldsSchema,
  idSchema,
  instantSchema,
  localDateSchema,
  MAX_BOOKING_MS,
  stampSchema,
  type HistoryEntry,
  type Stamp,
} from '../model';
import { historyOf } from '../doc/schedule';
import { passOver } from '../doc/unreadable';
import { addDays, toMs, type LocalDate, type LocalTime } from '../time';
import { lastRuleDate } from './expand';
import { parseRRule, toRRule, type RepeatRule } from './rule';

/**
 * Where recurring series live in the schedule document (`org/<id>/schedule`), beside `bookings`. Two
 * top-level maps, named here until they move into `core/doc/schedule.ts`:
 *
 * - `series`: series id (UUIDv7) -> a Y.Map record:
 *   - `template` (plain object, written whole): the fields every visit gets — title, customer, service,
 *     priority, team size, labor hours, location, notes, assignees, duration, arrival window offsets — and
 *     `changed` (who changed it last, and when: from then on unchanged visits follow it).
 *   - `rule` (plain object, written whole): `rrule` (RFC 5545 RRULE value), `dtstart` (local date-time in
 *     the organization's zone, `2026-12-01T09:00`: the first date and every visit's start time) and
 *     `changed`. Separate from `template`, so a rename on one desktop and a new time on another both stay.
 *   - `created` (plain object): the creation stamp and `splitFrom` (the series this one continues after a
 *     "this and following" edit, or null).
 *   - `ends` (Y.Map, created with the record): entry id -> an end (`{lastDate, kind: 'end' | 'split',
 *     successorId, by}`). Ending a series, or splitting it, adds an entry instead of rewriting `rule`, so a
 *     concurrent edit of the rule on another desktop cannot undo the end, and two ends both count: the
 *     series ends after the earliest. (See `resolveSeries` for how series split from the same one, and ends
 *     of the series they came from, bound each other after a merge.)
 *   - `exceptions` (Y.Map, created with the record): original local date -> `skipped`, `changed` (the
 *     visit's own start, duration, assignees and fields: it no longer follows the template) or `covered`
 *     (after a split: that date's visit stays with the earlier series). One entry per date, so exceptions
 *     for different dates made on two desktops both survive.
 *   - `log` (Y.Array, created with the record): the series' own history (created, edited, split, ended).
 * - `seriesOccurrences`: booking id -> `{seriesId, date, fingerprint}`, a plain value: which series and
 *   original date a booking is a visit of, and the fingerprint of the content the series last gave it (a
 *   booking whose content still has that fingerprint was not changed by hand since, so series edits may
 *   rewrite it). Written identically by every replica that creates the same visit.
 *
 * The nested types (`ends`, `exceptions`, `log`) are made in the transaction that creates the series, by the
 * one desktop that does, so no two replicas ever create them concurrently (which would drop one side's
 * entries). Occurrence bookings are
 * ordinary records in `bookings`, under ids derived from (series, date) (`occurrence.ts`).
 *
 * Readers are total like `core/doc`'s: a value that does not pass its schema is passed over and reported,
 * never thrown on. The sync server checks what clients write here (`core/doc/update-rules.ts`): each part,
 * entry and link against the schemas below, only admins and dispatchers, and a series, its log and its ends
 * append-only; it also extends every organization's series once a day (`sync-server/src/sync/series-horizon.ts`).
 */

export const SERIES_MAP = 'series';
export const OCCURRENCES_MAP = 'seriesOccurrences';

export type LocalDateTime = string; // YYYY-MM-DDTHH:MM

export const localDateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, 'Must be a local date and time like 2026-12-01T09:00')
  .refine((v) => localDateSchema.safeParse(v.slice(0, 10)).success, 'Must be a real date');

export const splitLocalDateTime = (value: LocalDateTime): [LocalDate, LocalTime] => [value.slice(0, 10), value.slice(11, 16)];

/** Longest visit a series makes, the same bound as any booking. */
export const MAX_DURATION_MINUTES = MAX_BOOKING_MS / 60_000;

export const assigneesSchema = z
  .array(idSchema)
  .max(20, 'At most 20 assignees')
  .refine((a) => new Set(a).size === a.length, { message: 'A provider can be assigned only once' });

export const durationMinutesSchema = z
  .number({ error: 'Say how long each visit takes' })
  .int('Whole minutes')
  .min(5, 'At least 5 minutes')
  .max(MAX_DURATION_MINUTES, 'A visit can last at most 7 days');

/** The arrival window of each visit, in minutes from its start (-30 and 30: from 08:30 to 09:30 for 09:00). */
export const arrivalOffsetsSchema = z
  .object({
    fromMinutes: z.number().int('Whole minutes').min(-1440, 'At most a day before').max(1440, 'At most a day after'),
    toMinutes: z.number().int('Whole minutes').min(-1440, 'At most a day before').max(1440, 'At most a day after'),
  })
  .refine((a) => a.toMinutes > a.fromMinutes, { message: 'The window must end after it starts', path: ['toMinutes'] });
export type ArrivalOffsets = z.infer<typeof arrivalOffsetsSchema>;

const templateFields = bookingFieldsSchema.omit({ arrivalWindow: true });

export const seriesTemplateSchema = templateFields.extend({
  assignees: assigneesSchema,
  durationMinutes: durationMinutesSchema,
  arrival: arrivalOffsetsSchema.nullable(),
  changed: stampSchema.nullable(),
});
export type SeriesTemplate = z.infer<typeof seriesTemplateSchema>;
/** The template's fields a user edits (everything but the stamp). */
export type TemplateFields = Omit<SeriesTemplate, 'changed'>;

export const seriesRuleSchema = z.object({
  rrule: z
    .string()
    .max(200)
    .refine((r) => parseRRule(r).ok, 'Not a supported repeat rule'),
  dtstart: localDateTimeSchema,
  changed: stampSchema.nullable(),
});
export type SeriesRule = z.infer<typeof seriesRuleSchema>;

export const seriesCreatedSchema = stampSchema.extend({ splitFrom: idSchema.nullable() });
export type SeriesCreated = z.infer<typeof seriesCreatedSchema>;

export const seriesExceptionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('skipped'), by: stampSchema }),
  z.object({
    type: z.literal('changed'),
    /** The visit's own start: an instant, pinned (it follows neither the template's time nor a DST rule). */
    start: instantSchema,
    durationMinutes: durationMinutesSchema,
    assignees: assigneesSchema,
    /** The visit's own fields, all of them: a changed visit no longer follows the template. */
    fields: bookingFieldsSchema,
    by: stampSchema,
  }),
  z.object({ type: z.literal('covered'), seriesId: idSchema, by: stampSchema }),
]);
export type SeriesException = z.infer<typeof seriesExceptionSchema>;
export type ChangedException = Extract<SeriesException, { type: 'changed' }>;

export const seriesEndSchema = z.object({
  /** The last local date the series may have a visit on. */
  lastDate: localDateSchema,
  /** `end`: End series; `split`: "this and following" continued it as `successorId` from the next day. */
  kind: z.enum(['end', 'split']),
  successorId: idSchema.nullable(),
  by: stampSchema,
});
export type SeriesEnd = z.infer<typeof seriesEndSchema>;

export const occurrenceLinkSchema = z.object({
  seriesId: idSchema,
  date: localDateSchema,
  fingerprint: z.string().max(64),
});
export type OccurrenceLink = z.infer<typeof occurrenceLinkSchema>;

/** A series as stored, before its ends are applied. */
export interface StoredSeries {
  id: string;
  template: SeriesTemplate;
  rule: SeriesRule;
  /** `rule.rrule`, read. */
  storedRepeat: RepeatRule;
  created: SeriesCreated;
  exceptions: ReadonlyMap<LocalDate, SeriesException>;
  ends: readonly SeriesEnd[];
}

/** A series as the rest of the code uses it: its rule with every end that applies to it. */
export interface Series extends StoredSeries {
  /** The rule in effect: the stored one, ending after the earliest end that applies. */
  repeat: RepeatRule;
  /** `repeat` as an RRULE value: what is expanded. */
  rrule: string;
  /**
   * When the rule in effect last changed (its own edit, or the end that now bounds it), or null. Visits
   * planned before it belong to the rule as it was: they are neither created nor removed.
   */
  ruleSince: string | null;
}

export const seriesMaps = (doc: Y.Doc) => ({
  series: doc.getMap<unknown>(SERIES_MAP),
  occurrences: doc.getMap<unknown>(OCCURRENCES_MAP),
});

function checked<T>(schema: z.ZodType<T>, value: unknown, kind: string, id: string): T | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  passOver(kind, id, `${issue.path.map(String).join('.') || 'value'}: ${issue.message}`);
  return undefined;
}

/** The series' record, if the value under `id` is one. */
export function seriesRecordOf(doc: Y.Doc, id: string): Y.Map<unknown> | undefined {
  const value = seriesMaps(doc).series.get(id);
  return value instanceof Y.Map ? value : undefined;
}

export function readSeriesRecord(id: string, record: Y.Map<unknown>): StoredSeries | undefined {
  const template = checked(seriesTemplateSchema, record.get('template'), 'series', id);
  const rule = checked(seriesRuleSchema, record.get('rule'), 'series', id);
  const created = checked(seriesCreatedSchema, record.get('created'), 'series', id);
  if (!template || !rule || !created) return undefined;
  const repeat = parseRRule(rule.rrule);
  if (!repeat.ok) return undefined;
  const exceptions = new Map<LocalDate, SeriesException>();
  const stored = record.get('exceptions');
  if (stored instanceof Y.Map) {
    for (const [date, value] of stored.entries()) {
      if (!localDateSchema.safeParse(date).success) {
        passOver('series exception', `${id}/${date}`, 'not a date');
        continue;
      }
      const exception = checked(seriesExceptionSchema, value, 'series exception', `${id}/${date}`);
      if (exception) exceptions.set(date, exception);
    }
  }
  const ends: SeriesEnd[] = [];
  const storedEnds = record.get('ends');
  if (storedEnds instanceof Y.Map) {
    for (const [key, value] of storedEnds.entries()) {
      const end = checked(seriesEndSchema, value, 'series end', `${id}/${key}`);
      if (end) ends.push(end);
    }
  }
  return { id, template, rule, storedRepeat: repeat.value, created, exceptions, ends };
}

const startOf = (s: StoredSeries): LocalDate => s.rule.dtstart.slice(0, 10);
const byStartThenId = (a: StoredSeries, b: StoredSeries) =>
  startOf(a) < startOf(b) ? -1 : startOf(a) > startOf(b) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

interface Cut {
  date: LocalDate;
  at: string;
}

/**
 * Applies to each series the ends that bound it, the same way on every replica whatever order edits arrived
 * in. Series split from one another ("this and following", `created.splitFrom`) form a family, and:
 * - each date of the family belongs to the member that starts latest on or before it (of two starting the
 *   same day, the greater id): a member ends the day before the next member starts. Without concurrency
 *   this is exactly where each split ended its series; when two desktops split the same series offline,
 *   each continuation ends where the next one begins, so the family never has two visits a day;
 * - End series on a member ends it and every member that starts after it (a series ended on one desktop
 *   while another split it ends on both branches);
 * - a member's own ends count too (its split points).
 * The earliest of these is the member's last date; a COUNT that ends sooner still ends it.
 */
export function resolveSeries(all: readonly StoredSeries[]): Series[] {
  const families = seriesFamilies(all);
  const cutsOf = new Map<string, Cut[]>();
  for (const members of families.values()) {
    members.sort(byStartThenId);
    const endsSoFar: Cut[] = [];
    members.forEach((s, i) => {
      const cuts: Cut[] = [...endsSoFar, ...s.ends.map((e) => ({ date: e.lastDate, at: e.by.at }))];
      const next = members[i + 1];
      if (next) cuts.push({ date: addDays(startOf(next), -1), at: next.created.at });
      cutsOf.set(s.id, cuts);
      for (const e of s.ends) if (e.kind === 'end') endsSoFar.push({ date: e.lastDate, at: e.by.at });
    });
  }
  return all.map((s) => {
    let binding: Cut | undefined;
    for (const cut of cutsOf.get(s.id) ?? []) {
      if (!binding || cut.date < binding.date || (cut.date === binding.date && cut.at < binding.at)) binding = cut;
    }
    const repeat = binding ? endBy(s.storedRepeat, s.rule.rrule, startOf(s), binding.date) : s.storedRepeat;
    const cut = repeat !== s.storedRepeat;
    const stamps = [s.rule.changed?.at, cut ? binding!.at : undefined].filter((x): x is string => x !== undefined);
    const ruleSince = stamps.sort((a, b) => toMs(b) - toMs(a))[0] ?? null;
    return { ...s, repeat, rrule: cut ? toRRule(repeat) : s.rule.rrule, ruleSince };
  });
}

/** The rule ending after `lastDate` at the latest (unchanged when it already ends by then). */
function endBy(repeat: RepeatRule, rrule: string, start: LocalDate, lastDate: LocalDate): RepeatRule {
  if (repeat.end.type === 'until' && repeat.end.date <= lastDate) return repeat;
  if (repeat.end.type === 'count') {
    const last = lastRuleDate(rrule, start);
    if (last !== null && last <= lastDate) return repeat;
  }
  return { ...repeat, end: { type: 'until', date: lastDate } };
}

export function getSeries(doc: Y.Doc, id: string): Series | undefined {
  return listSeries(doc).find((s) => s.id === id);
}

/** Every readable series as stored, by id. */
export function listStoredSeries(doc: Y.Doc): StoredSeries[] {
  const stored: StoredSeries[] = [];
  for (const [id, value] of seriesMaps(doc).series.entries()) {
    if (!(value instanceof Y.Map)) continue;
    const series = readSeriesRecord(id, value);
    if (series) stored.push(series);
  }
  return stored.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Every readable series, by id, with its ends applied. */
export const listSeries = (doc: Y.Doc): Series[] => resolveSeries(listStoredSeries(doc));

/** The series' own history, oldest first. */
export const readSeriesLog = (doc: Y.Doc, id: string): HistoryEntry[] => historyOf(seriesRecordOf(doc, id)?.get('log'), id);

/**
 * Links are checked once per stored value: Yjs hands out the same object until it is overwritten, and an
 * extension reads every link of every series.
 */
const linkChecks = new WeakMap<object, OccurrenceLink | null>();
function readLink(bookingId: string, value: unknown): OccurrenceLink | undefined {
  if (typeof value === 'object' && value !== null) {
    const known = linkChecks.get(value);
    if (known !== undefined) return known ?? undefined;
    const link = checked(occurrenceLinkSchema, value, 'series occurrence', bookingId);
    linkChecks.set(value, link ?? null);
    return link;
  }
  return value === undefined ? undefined : checked(occurrenceLinkSchema, value, 'series occurrence', bookingId);
}

/** Which series and date a booking is a visit of, if it is one. */
export function occurrenceLinkOf(doc: Y.Doc, bookingId: string): OccurrenceLink | undefined {
  return readLink(bookingId, seriesMaps(doc).occurrences.get(bookingId));
}

/** Every readable link, grouped by series: booking id -> link. */
export function linksBySeries(doc: Y.Doc): Map<string, Map<string, OccurrenceLink>> {
  const out = new Map<string, Map<string, OccurrenceLink>>();
  for (const [bookingId, value] of seriesMaps(doc).occurrences.entries()) {
    const link = readLink(bookingId, value);
    if (!link) continue;
    let links = out.get(link.seriesId);
    if (!links) out.set(link.seriesId, (links = new Map()));
    links.set(bookingId, link);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Writers (inside the caller's transaction)

export function newSeriesRecord(
  doc: Y.Doc,
  id: string,
  fields: { template: SeriesTemplate; rule: SeriesRule; created: SeriesCreated },
): Y.Map<unknown> {
  const record = new Y.Map<unknown>();
  seriesMaps(doc).series.set(id, record);
  record.set('template', fields.template);
  record.set('rule', fields.rule);
  record.set('created', fields.created);
  record.set('exceptions', new Y.Map<SeriesException>());
  record.set('ends', new Y.Map<SeriesEnd>());
  record.set('log', new Y.Array<HistoryEntry>());
  return record;
}

/** Adds an end under its own key, so concurrent ends all survive. */
export function addSeriesEnd(record: Y.Map<unknown>, key: string, end: SeriesEnd): void {
  let ends = record.get('ends');
  if (!(ends instanceof Y.Map)) record.set('ends', (ends = new Y.Map<SeriesEnd>()));
  (ends as Y.Map<SeriesEnd>).set(key, end);
}

export function setException(record: Y.Map<unknown>, date: LocalDate, exception: SeriesException): void {
  let exceptions = record.get('exceptions');
  // Only a broken record lacks its map: then this writer's map is the one (see the note at the top).
  if (!(exceptions instanceof Y.Map)) record.set('exceptions', (exceptions = new Y.Map<SeriesException>()));
  (exceptions as Y.Map<SeriesException>).set(date, exception);
}

export function appendSeriesLog(record: Y.Map<unknown>, entry: HistoryEntry): void {
  let log = record.get('log');
  if (!(log instanceof Y.Array)) record.set('log', (log = new Y.Array<HistoryEntry>()));
  (log as Y.Array<HistoryEntry>).push([entry]);
}

export function setOccurrenceLink(doc: Y.Doc, bookingId: string, link: OccurrenceLink): void {
  const map = seriesMaps(doc).occurrences;
  const current = map.get(bookingId) as OccurrenceLink | undefined;
  if (current && current.seriesId === link.seriesId && current.date === link.date && current.fingerprint === link.fingerprint) return;
  map.set(bookingId, { seriesId: link.seriesId, date: link.date, fingerprint: link.fingerprint });
}

export type { Stamp };

/**
 * Series split from one another, by the series they all descend from (a split's `splitFrom` names the
 * series it ended; a loop, which only hostile data could make, stops where it closes).
 */
export function seriesFamilies<S extends { id: string; created: { splitFrom?: string | null } }>(all: readonly S[]): Map<string, S[]> {
  const byId = new Map(all.map((s) => [s.id, s]));
  const rootOf = (s: S): string => {
    const seen = new Set<string>();
    let at = s;
    while (at.created.splitFrom && byId.has(at.created.splitFrom) && !seen.has(at.id)) {
      seen.add(at.id);
      at = byId.get(at.created.splitFrom)!;
    }
    return at.id;
  };
  const families = new Map<string, S[]>();
  for (const s of all) {
    const root = rootOf(s);
    families.set(root, [...(families.get(root) ?? []), s]);
  }
  return families;
}

/**
 * A log entry of a series: undo never removes one (the log says what happened, and the server refuses its
 * removal while the series exists). Used as the desktop's undo `deleteFilter`.
 */
export function isSeriesLogEntry(item: Y.Item): boolean {
  const log = item.parent;
  if (!(log instanceof Y.Array) || log._item?.parentSub !== 'log') return false;
  const record = log._item.parent as Y.AbstractType<unknown>;
  return record._item !== null && record._item.parent === record.doc?.share.get(SERIES_MAP);
}
