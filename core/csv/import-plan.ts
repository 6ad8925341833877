import type { z } from 'zod';
import { countText, listText, pluralWord } from '../format';
import { OFFICE, type CommandContext } from '../commands/define';
import { COMMANDS, planCommand, type CommandName } from '../commands/index';
import { roleRefusal } from '../commands/refusal';
import { listCustomers, listProviders, listServices, readSettings } from '../doc/roster';
import { getBooking, listBookings } from '../doc/schedule';
import { ID_PATTERN } from '../ids';
import type { Booking, Customer, Provider, Service, Slot } from '../model';
import { fail, ok, type AppError, type Result } from '../result';
import { sameSlot } from '../slots';
import { fromMs, localDateOf, localToMs, MINUTE_MS, toMs, type LocalDate } from '../time';
import { unescapeFormula } from './export';
import { fieldLabel, IMPORT_FIELDS, REQUIRED_FIELDS } from './fields';
import type {
  CsvTable,
  DateOrder,
  DateReading,
  ImportCellError,
  ImportCounts,
  ImportKind,
  ImportMapping,
  ImportRowResult,
  RowOutcome,
} from './kinds';
import {
  DATE_EXAMPLES,
  dateOrderOf,
  defaultDateOrder,
  firstOfMany,
  readBoolean,
  readDateTime,
  readDurationMinutes,
  readList,
  readNumber,
  type DateTimeReading,
} from './values';

/**
 * Planning an import (issue 18): every row of a parsed file read through the mapping, matched against the
 * existing records, and checked by the very commands that will write it (`planCommand`: the commands'
 * zod inputs from `model.ts`, roles, references), without writing anything. `commitImport` then runs the
 * rows' commands in one Y transaction: one undo step, one update to sync.
 *
 * Re-import updates instead of duplicating. A row is the record whose Crewline ID (our export's column)
 * it names; else, for providers and customers, the one with its email, else the only one with its name
 * (and no other email); services by name; jobs by title + customer + start. Empty cells never change an
 * existing record: a partial sheet cannot wipe data. A row whose values all equal the record is unchanged.
 */

export interface ImportOptions {
  mapping: ImportMapping;
  /** How to read 11/12/2026: from the request, else the file's dates, else the organization's zone. */
  dateOrder?: DateOrder;
  /** Archived (read-only) jobs by id, so a re-imported export of old jobs matches instead of duplicating. */
  archivedBooking?: (id: string) => Booking | undefined;
}

export interface PlannedCommand {
  name: CommandName;
  input: Record<string, unknown>;
}

export interface PlannedRow {
  line: number;
  cells: string[];
  outcome: RowOutcome;
  errors: ImportCellError[];
  match: { id: string; label: string } | null;
  changes: string[];
  commands: PlannedCommand[];
  /** Command input path -> the import fields its value came from (for naming columns in errors). */
  origin: Record<string, string[]>;
}

export interface ImportPlan {
  kind: ImportKind;
  columns: string[];
  /** The mapping used, without the entries in `mappingErrors`; every field listed (null = not imported). */
  mapping: ImportMapping;
  mappingErrors: Record<string, string>;
  dates: DateReading;
  rows: PlannedRow[];
  counts: ImportCounts;
}

const COMMAND_NAMES = {
  providers: { create: 'createProvider', update: 'updateProvider' },
  customers: { create: 'createCustomer', update: 'updateCustomer' },
  services: { create: 'createService', update: 'updateService' },
  jobs: { create: 'createBooking', update: 'updateBooking' },
} as const satisfies Record<ImportKind, { create: CommandName; update: CommandName }>;

const NOUNS: Record<ImportKind, string> = { providers: 'service provider', customers: 'customer', services: 'service', jobs: 'job' };

/** Where a mapping is unusable: unknown fields, columns not in the file, no column for the record's name. */
export function checkMapping(kind: ImportKind, columns: readonly string[], mapping: ImportMapping) {
  const known = new Set(IMPORT_FIELDS[kind].map((f) => f.key));
  const present = new Set(columns);
  const errors: Record<string, string> = {};
  const clean: ImportMapping = Object.fromEntries(IMPORT_FIELDS[kind].map((f) => [f.key, null]));
  for (const [field, column] of Object.entries(mapping)) {
    if (!known.has(field)) errors[field] = `Not a field of ${NOUNS[kind]}s`;
    else if (column !== null && column !== '' && !present.has(column)) errors[field] = `No column "${column}" in this file`;
    else clean[field] = column || null;
  }
  const required = REQUIRED_FIELDS[kind];
  if (!required.some((f) => clean[f])) {
    errors[required[0]!] ??= `Required: map a column to ${required.map((f) => fieldLabel(kind, f)).join(' or ')}`;
  }
  return { mapping: clean, errors };
}

const nameKey = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const addTo = <K, V>(map: Map<K, V[]>, key: K, value: V) => map.set(key, [...(map.get(key) ?? []), value]);

interface Rec {
  id: string;
  label: string;
  email: string;
  fields: Record<string, unknown>;
}

/** Existing records of one kind, found by id, email and name. */
class RecordIndex {
  readonly byId = new Map<string, Rec>();
  readonly byEmail = new Map<string, Rec[]>();
  readonly byName = new Map<string, Rec[]>();
  constructor(records: Iterable<Rec>) {
    for (const r of records) {
      this.byId.set(r.id, r);
      if (r.email) addTo(this.byEmail, r.email.toLowerCase(), r);
      addTo(this.byName, nameKey(r.label), r);
    }
  }

  /** By email, else the one record of that name whose email is not another one. */
  find(email: string, name: string, noun: string): Result<Rec | null> {
    if (email) {
      const withEmail = this.byEmail.get(email.toLowerCase()) ?? [];
      if (withEmail.length === 1) return ok(withEmail[0]!);
      if (withEmail.length > 1) return fail('conflict', `${withEmail.length} ${noun}s have the email ${email}: add the Crewline ID column to say which`);
    }
    if (!name) return ok(null);
    const named = (this.byName.get(nameKey(name)) ?? []).filter((r) => !email || !r.email || r.email.toLowerCase() === email.toLowerCase());
    if (named.length === 1) return ok(named[0]!);
    if (named.length > 1) return fail('conflict', `${named.length} ${noun}s are named ${name}: add an Email column to tell them apart`);
    return ok(null);
  }
}

/** The cells of one row by import field, trimmed ('' when the field has no column). */
type Cells = (field: string) => string;

interface Draft {
  fields: Record<string, unknown>;
  origin: Record<string, string[]>;
  errors: Array<{ fields: string[]; message: string }>;
}

const newDraft = (): Draft => ({ fields: {}, origin: {}, errors: [] });

/** Sets `key` from `field` when the cell has a value, read by `read` (null: refused with `problem`). */
function take<T>(d: Draft, cells: Cells, field: string, key: string, read: (text: string) => T | null, problem: (text: string) => string) {
  const text = cells(field);
  if (!text) return;
  const value = read(text);
  if (value === null) d.errors.push({ fields: [field], message: problem(text) });
  else {
    d.fields[key] = value;
    d.origin[key] = [field];
  }
}

const notNumber = (text: string) => `Not a number: "${text}"`;
const notYesNo = (text: string) => `Not yes or no: "${text}"`;
const notDuration = (text: string) => `Not a duration: "${text}" (write minutes like 90, 1:30 or 1.5 h)`;

/** The name: its own column, else first + last name, else (customers) the company. */
function takeName(d: Draft, cells: Cells, withCompany: boolean) {
  const candidates: Array<[string[], string]> = [
    [['name'], cells('name')],
    [['firstName', 'lastName'].filter((f) => cells(f)), [cells('firstName'), cells('lastName')].filter(Boolean).join(' ')],
  ];
  if (withCompany) candidates.push([['company'], cells('company')]);
  const found = candidates.find(([, value]) => value);
  d.origin.name = found?.[0] ?? ['name'];
  if (found) d.fields.name = found[1];
}

/** The address: its own column (line breaks become commas), else street, city, state ZIP, country. */
function takeAddress(d: Draft, cells: Cells, key: string) {
  const whole = cells('address');
  if (whole) {
    d.fields[key] = whole.split(/\s*[\r\n]+\s*/).filter(Boolean).join(', ');
    d.origin[key] = ['address'];
    return;
  }
  const parts = ['street', 'street2', 'city', 'region', 'postalCode', 'country'].filter((f) => cells(f));
  if (parts.length === 0) return;
  const regionZip = [cells('region'), cells('postalCode')].filter(Boolean).join(' ');
  d.fields[key] = [cells('street'), cells('street2'), cells('city'), regionZip, cells('country')].filter(Boolean).join(', ');
  d.origin[key] = parts;
}

function rosterDraft(kind: Exclude<ImportKind, 'jobs'>, cells: Cells): Draft {
  const d = newDraft();
  takeName(d, cells, kind === 'customers');
  if (kind === 'services') {
    take(d, cells, 'durationMinutes', 'durationMinutes', readDurationMinutes, notDuration);
    take(d, cells, 'laborHours', 'laborHours', readNumber, notNumber);
    take(d, cells, 'teamSize', 'teamSize', readNumber, notNumber);
    take(d, cells, 'requiredSkills', 'requiredSkills', readList, () => '');
    take(d, cells, 'active', 'active', readBoolean, notYesNo);
    return d;
  }
  take(d, cells, 'email', 'email', firstOfMany, () => '');
  take(d, cells, 'phone', 'phone', firstOfMany, () => '');
  takeAddress(d, cells, 'address');
  if (kind === 'customers') take(d, cells, 'notes', 'notes', (t) => t, () => '');
  else {
    take(d, cells, 'skills', 'skills', readList, () => '');
    take(d, cells, 'chatHandle', 'chatHandle', (t) => t, () => '');
    take(d, cells, 'color', 'color', (t) => t, () => '');
    take(d, cells, 'active', 'active', readBoolean, notYesNo);
  }
  return d;
}

/** Input path (`slot.end`, `skills.2`) -> the import fields its value came from. */
function fieldsOfPath(origin: Record<string, string[]>, known: ReadonlySet<string>, path: string): string[] {
  if (origin[path]) return origin[path];
  const segments = path.split('.');
  for (let i = segments.length - 1; i > 0; i--) {
    const prefix = segments.slice(0, i).join('.');
    if (origin[prefix]) return origin[prefix];
  }
  const first = segments[0]!;
  return known.has(first) ? [first] : [];
}

/** An id for checks that write nothing: a fresh UUIDv7 per row and command cost a quarter of a 10k-row preview. */
const PLANNING_ID = '00000000-0000-7000-8000-000000000000';

export function planImport(base: CommandContext, kind: ImportKind, table: CsvTable, options: ImportOptions): Result<ImportPlan> {
  if (!OFFICE.includes(base.actor.role)) return fail('forbidden', roleRefusal(base.actor.role, OFFICE));
  // The same context (its lazy schedule getter kept), but the plans' ids are thrown away with the plans.
  const ctx = Object.defineProperties({}, Object.getOwnPropertyDescriptors(base)) as CommandContext;
  ctx.newId = () => PLANNING_ID;
  const checked = checkMapping(kind, table.columns, options.mapping);
  const { mapping } = checked;
  const columnIndex = new Map(table.columns.map((c, i) => [c, i]));
  const fieldColumn = new Map<string, number>();
  for (const [field, column] of Object.entries(mapping)) if (column) fieldColumn.set(field, columnIndex.get(column)!);
  const settings = readSettings(ctx.roster);
  const dates = decideDateOrder(kind, table, fieldColumn, options.dateOrder, settings.timeZone);
  const known = new Set(IMPORT_FIELDS[kind].map((f) => f.key));
  const columnsOf = (fields: readonly string[]) => {
    const names = [...new Set(fields.map((f) => mapping[f]).filter((c): c is string => !!c))];
    return names.length ? names.join(' + ') : null;
  };
  const errorOf = (fields: readonly string[], message: string): ImportCellError => ({ column: columnsOf(fields), field: fields[0] ?? null, message });
  const appErrors = (error: AppError, origin: Record<string, string[]>): ImportCellError[] => {
    const entries = Object.entries(error.fieldErrors ?? {});
    if (entries.length === 0) return [{ column: null, field: null, message: error.message }];
    return entries.map(([path, message]) => {
      const fields = fieldsOfPath(origin, known, path);
      if (message === 'Required') return errorOf(fields, `${fields.length ? fieldLabel(kind, fields[0]!) : path} is required`);
      return errorOf(fields, fields.length ? message : `${path}: ${message}`);
    });
  };

  const planner = kind === 'jobs' ? new JobPlanner(ctx, settings.timeZone, dates.order, options) : new RosterPlanner(ctx, kind);
  const seen = new Map<string, number>();
  const rows: PlannedRow[] = [];
  for (const row of table.rows) {
    const cells: Cells = (field) => {
      const index = fieldColumn.get(field);
      return index === undefined ? '' : unescapeFormula((row.cells[index] ?? '').trim());
    };
    const planned = planner.plan(cells);
    const out: PlannedRow = {
      line: row.line,
      cells: row.cells,
      outcome: 'error',
      errors: planned.errors.map((e) => errorOf(e.fields, e.message)),
      match: planned.match ? { id: planned.match.id, label: planned.match.label } : null,
      changes: planned.changes,
      commands: [],
      origin: planned.origin,
    };
    if (row.problem) out.errors.push(errorOf([], row.problem));
    if (row.extraCells) {
      out.errors.push(errorOf([], `${countText(row.extraCells, 'more value', 'more values')} than the header has columns: is a value with a delimiter missing its quotes?`));
    }
    if (out.errors.length === 0 && planned.key) {
      const earlier = seen.get(planned.key);
      if (earlier !== undefined) out.errors.push(errorOf([], `Same ${NOUNS[kind]} as line ${earlier}: only the first is imported`));
      else seen.set(planned.key, row.line);
    }
    if (out.errors.length === 0) {
      for (const command of planned.commands) {
        const checkedCommand = planCommand(ctx, command.name, command.input);
        if (!checkedCommand.ok) {
          out.errors.push(...appErrors(checkedCommand.error, planned.origin));
          break;
        }
      }
    }
    if (out.errors.length > 0) {
      planner.rejected(planned);
    } else {
      out.commands = planned.commands;
      out.outcome = planned.match ? (planned.commands.length ? 'update' : 'unchanged') : 'create';
    }
    rows.push(out);
  }
  const counts: ImportCounts = { total: rows.length, create: 0, update: 0, unchanged: 0, error: 0 };
  for (const r of rows) counts[r.outcome]++;
  return ok({ kind, columns: table.columns, mapping, mappingErrors: checked.errors, dates, rows, counts });
}

function decideDateOrder(
  kind: ImportKind,
  table: CsvTable,
  fieldColumn: ReadonlyMap<string, number>,
  requested: DateOrder | undefined,
  timeZone: string,
): DateReading {
  if (requested) return { order: requested, decidedBy: 'request', timeZone };
  if (kind === 'jobs') {
    const indexes = ['date', 'start', 'end'].map((f) => fieldColumn.get(f)).filter((i): i is number => i !== undefined);
    const fromFile = dateOrderOf(
      (function* () {
        for (const row of table.rows) for (const i of indexes) if (row.cells[i]) yield row.cells[i];
      })(),
    );
    if (fromFile) return { order: fromFile, decidedBy: 'file', timeZone };
  }
  return { order: defaultDateOrder(timeZone), decidedBy: 'timeZone', timeZone };
}

interface RowPlan {
  match: Rec | null;
  commands: PlannedCommand[];
  changes: string[];
  origin: Record<string, string[]>;
  errors: Array<{ fields: string[]; message: string }>;
  /** What makes two rows of the file the same record (duplicates are refused after the first). */
  key: string | null;
  /** Set for a new provider: its place at the end of the board. */
  sortOrder?: number;
}

interface Planner {
  plan(cells: Cells): RowPlan;
  /** A row that was refused after `plan` (duplicate, command check): give back what it reserved. */
  rejected(plan: RowPlan): void;
}

/** Providers, customers and services: roster records matched by id, email, name. */
class RosterPlanner implements Planner {
  private readonly index: RecordIndex;
  private readonly names: (typeof COMMAND_NAMES)[ImportKind];
  private readonly updateInput: z.ZodType;
  private nextSortOrder = 0;

  constructor(
    private readonly ctx: CommandContext,
    private readonly kind: Exclude<ImportKind, 'jobs'>,
  ) {
    const records: Array<Provider | Customer | Service> =
      kind === 'providers' ? listProviders(ctx.roster) : kind === 'customers' ? listCustomers(ctx.roster) : listServices(ctx.roster);
    this.index = new RecordIndex(
      records.map((r) => ({ id: r.id, label: r.name, email: 'email' in r ? r.email : '', fields: r as unknown as Record<string, unknown> })),
    );
    this.names = COMMAND_NAMES[kind];
    this.updateInput = COMMANDS[this.names.update].input;
    if (kind === 'providers') this.nextSortOrder = Math.max(0, ...(records as Provider[]).map((p) => p.sortOrder)) + 1;
  }

  plan(cells: Cells): RowPlan {
    const d = rosterDraft(this.kind, cells);
    const plan: RowPlan = { match: null, commands: [], changes: [], origin: d.origin, errors: d.errors, key: null };
    if (d.errors.length) return plan;
    const email = typeof d.fields.email === 'string' ? d.fields.email.trim() : '';
    const name = typeof d.fields.name === 'string' ? d.fields.name : '';
    const idText = cells('id');
    const byId = idText ? this.index.byId.get(idText) : undefined;
    const found = byId ? ok(byId) : this.index.find(this.kind === 'services' ? '' : email, name, NOUNS[this.kind]);
    if (!found.ok) {
      d.errors.push({ fields: email ? ['email'] : d.origin.name!, message: found.error.message });
      return plan;
    }
    const match = found.value;
    plan.match = match;
    plan.key = match ? `id:${match.id}` : email ? `email:${email.toLowerCase()}` : name ? `name:${nameKey(name)}` : null;
    if (!match) {
      const input = { ...d.fields };
      if (this.kind === 'providers') input.sortOrder = plan.sortOrder = this.nextSortOrder++;
      plan.commands.push({ name: this.names.create, input });
      return plan;
    }
    // Compared as the command would store them (trimmed, typed), so "unchanged" means it.
    const parsed = this.updateInput.safeParse({ id: match.id, ...d.fields });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(String).join('.');
        d.errors.push({ fields: fieldsOfPath(d.origin, new Set(Object.keys(d.origin)), path), message: issue.message });
      }
      return plan;
    }
    const { id: _id, ...normalized } = parsed.data as Record<string, unknown>;
    const diff: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(normalized)) if (!same(value, match.fields[key])) diff[key] = value;
    // A new address makes the old coordinates wrong (route sheets would measure from the old place).
    if ('address' in diff && match.fields.coordinates) diff.coordinates = null;
    plan.changes = Object.keys(diff).flatMap((k) => d.origin[k] ?? (k === 'coordinates' ? [] : [k]));
    if (Object.keys(diff).length) plan.commands.push({ name: this.names.update, input: { id: match.id, ...diff } });
    return plan;
  }

  rejected(plan: RowPlan): void {
    if (plan.sortOrder !== undefined && plan.sortOrder === this.nextSortOrder - 1) this.nextSortOrder--;
  }
}

/** Jobs: bookings matched by id (active or archived), else by title + customer + start. */
class JobPlanner implements Planner {
  private readonly customers: RecordIndex;
  private readonly providers: RecordIndex;
  private readonly services: Map<string, Service[]>;
  private readonly servicesById: Map<string, Service>;
  private byKey: Map<string, Booking[]> | null = null;
  private readonly updateInput = COMMANDS.updateBooking.input;
  /** A file repeats its dates and times: each is read, placed in the zone and written out once. */
  private readonly readings = new Map<string, DateTimeReading | null>();
  private readonly localMs = new Map<string, number>();
  private readonly instants = new Map<number, string>();

  constructor(
    private readonly ctx: CommandContext,
    private readonly zone: string,
    private readonly order: DateOrder,
    private readonly options: ImportOptions,
  ) {
    const rec = (r: Customer | Provider): Rec => ({ id: r.id, label: r.name, email: r.email, fields: {} });
    this.customers = new RecordIndex(listCustomers(ctx.roster).map(rec));
    this.providers = new RecordIndex(listProviders(ctx.roster).map(rec));
    const services = listServices(ctx.roster);
    this.services = new Map();
    for (const s of services) addTo(this.services, nameKey(s.name), s);
    this.servicesById = new Map(services.map((s) => [s.id, s]));
  }

  rejected(): void {}

  plan(cells: Cells): RowPlan {
    const d = newDraft();
    const plan: RowPlan = { match: null, commands: [], changes: [], origin: d.origin, errors: d.errors, key: null };
    const customerId = this.customer(d, cells);
    const service = this.service(d, cells);
    const title = cells('title') || service?.name || '';
    d.origin.title = !cells('title') && service ? ['service'] : ['title'];
    if (title) d.fields.title = title;
    if (customerId) d.fields.customerId = customerId;
    if (service) d.fields.serviceId = service.id;
    if (cells('priority')) {
      d.fields.priority = cells('priority').toLowerCase();
      d.origin.priority = ['priority'];
    }
    take(d, cells, 'teamSize', 'teamSize', readNumber, notNumber);
    take(d, cells, 'laborHours', 'laborHours', readNumber, notNumber);
    take(d, cells, 'notes', 'notes', (t) => t, () => '');
    takeAddress(d, cells, 'location');
    const span = this.span(d, cells, service);
    const assignees = this.assignees(d, cells);
    if (d.errors.length) return plan;

    const idText = cells('id');
    let existing: Booking | undefined;
    if (idText && ID_PATTERN.test(idText)) existing = getBooking(this.ctx.schedule, idText) ?? this.options.archivedBooking?.(idText);
    if (!existing && title) {
      const found = this.byFallbackKey(title, customerId, span?.start ?? null);
      if (found.length > 1) {
        d.errors.push({ fields: ['title'], message: `${found.length} jobs have this title, customer and start: add the Crewline ID column to say which` });
        return plan;
      }
      existing = found[0];
    }
    plan.key = existing ? `id:${existing.id}` : `job:${this.key(title, customerId, span?.start ?? null)}`;
    const location = typeof d.fields.location === 'string' ? { address: d.fields.location, coordinates: null } : undefined;
    if (location) d.fields.location = location;

    if (!existing) {
      if (assignees && !span) {
        d.errors.push({ fields: ['assignees'], message: 'Assignees need a date and start time: a job without a date goes to the unassigned queue' });
        return plan;
      }
      const slot: Slot | null = span ? { start: this.instant(span.start), end: this.instant(span.end), assignees: assignees ?? [] } : null;
      plan.commands.push({ name: 'createBooking', input: { ...d.fields, slot } });
      return plan;
    }

    plan.match = { id: existing.id, label: existing.title, email: '', fields: {} };
    const parsed = this.updateInput.safeParse({ id: existing.id, ...d.fields });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(String).join('.');
        d.errors.push({ fields: fieldsOfPath(d.origin, new Set(['title', 'priority', 'teamSize', 'laborHours', 'notes']), path), message: issue.message });
      }
      return plan;
    }
    const { id: _id, ...normalized } = parsed.data as Record<string, unknown>;
    const diff: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(normalized)) {
      const current = (existing as unknown as Record<string, unknown>)[key];
      if (key === 'location') {
        const address = (value as { address: string }).address;
        if (address !== existing.location.address) diff.location = { address, coordinates: null };
      } else if (!same(value, current)) diff[key] = value;
    }
    const changes = Object.keys(diff).flatMap((k) => d.origin[k] ?? [k]);
    let slot: Slot | null = existing.slot;
    if (span) slot = { start: this.instant(span.start), end: this.instant(span.end), assignees: assignees ?? existing.slot?.assignees ?? [] };
    else if (assignees) {
      if (!existing.slot) {
        d.errors.push({ fields: ['assignees'], message: 'Assignees need a date and start time: this job has none' });
        return plan;
      }
      slot = { ...existing.slot, assignees };
    }
    if (Object.keys(diff).length) plan.commands.push({ name: 'updateBooking', input: { id: existing.id, ...diff } });
    if (!sameSlot(existing.slot, slot)) {
      plan.commands.push({ name: 'setSlot', input: { id: existing.id, slot } });
      const before = existing.slot;
      if (!before || !slot || toMs(before.start) !== toMs(slot.start)) changes.push('start');
      if (!before || !slot || toMs(before.end) !== toMs(slot.end)) changes.push('end');
      if (!sameSlot(before && slot ? { ...before, start: slot.start, end: slot.end } : before, slot)) changes.push('assignees');
    }
    plan.changes = [...new Set(changes)];
    return plan;
  }

  private wallClock(date: LocalDate, time: string): number {
    const key = `${date} ${time}`;
    let ms = this.localMs.get(key);
    if (ms === undefined) {
      ms = localToMs(date, time, this.zone);
      this.localMs.set(key, ms);
    }
    return ms;
  }

  private instant(ms: number): string {
    let text = this.instants.get(ms);
    if (text === undefined) {
      text = fromMs(ms);
      this.instants.set(ms, text);
    }
    return text;
  }

  private key(title: string, customerId: string | null, start: number | null) {
    return `${nameKey(title)}|${customerId ?? ''}|${start ?? ''}`;
  }

  private byFallbackKey(title: string, customerId: string | null, start: number | null): Booking[] {
    if (!this.byKey) {
      this.byKey = new Map();
      for (const b of listBookings(this.ctx.schedule)) {
        addTo(this.byKey, this.key(b.title, b.customerId, b.slot ? toMs(b.slot.start) : null), b);
      }
    }
    return this.byKey.get(this.key(title, customerId, start)) ?? [];
  }

  /** The customer by its email column, else the Customer column as a Crewline ID, an email or a name. */
  private customer(d: Draft, cells: Cells): string | null {
    const email = firstOfMany(cells('customerEmail'));
    const text = cells('customer');
    if (!email && !text) return null;
    const fields = [email ? 'customerEmail' : null, text ? 'customer' : null].filter((f): f is string => f !== null);
    d.origin.customerId = fields;
    if (text && ID_PATTERN.test(text)) {
      const byId = this.customers.byId.get(text);
      if (byId) return byId.id;
    }
    const asEmail = email || (text.includes('@') ? text : '');
    const found = this.customers.find(asEmail, asEmail === text ? '' : text, 'customer');
    if (!found.ok) {
      d.errors.push({ fields, message: found.error.message });
      return null;
    }
    if (!found.value) {
      d.errors.push({ fields, message: `Unknown customer ${[text, email && email !== text ? `<${email}>` : ''].filter(Boolean).join(' ')}: import customers first, or check the spelling` });
      return null;
    }
    return found.value.id;
  }

  private service(d: Draft, cells: Cells): Service | null {
    const text = cells('service');
    if (!text) return null;
    d.origin.serviceId = ['service'];
    const byId = ID_PATTERN.test(text) ? this.servicesById.get(text) : undefined;
    const found = byId ? [byId] : (this.services.get(nameKey(text)) ?? []);
    if (found.length === 1) return found[0]!;
    d.errors.push({
      fields: ['service'],
      message: found.length ? `${found.length} services are named ${text}` : `Unknown service "${text}": import services first, or check the spelling`,
    });
    return null;
  }

  /** Providers by email or name; every unknown or ambiguous one is named. Null when the cell is empty. */
  private assignees(d: Draft, cells: Cells): string[] | null {
    const text = cells('assignees');
    if (!text) return null;
    d.origin['slot.assignees'] = ['assignees'];
    const ids: string[] = [];
    const unknown: string[] = [];
    const problems: string[] = [];
    for (const token of readList(text)) {
      const found = this.providers.find(token.includes('@') ? token : '', token.includes('@') ? '' : token, 'service provider');
      if (!found.ok) problems.push(found.error.message);
      else if (!found.value) unknown.push(`"${token}"`);
      else if (!ids.includes(found.value.id)) ids.push(found.value.id);
    }
    if (unknown.length) {
      problems.unshift(`Unknown ${pluralWord(unknown.length, 'assignee')} ${listText(unknown)}: no service provider has that name or email`);
    }
    if (problems.length) d.errors.push({ fields: ['assignees'], message: problems.join('; ') });
    return ids;
  }

  /** Start and end in epoch ms from Date / Start / End / Duration (or the service's duration); null = no date. */
  private span(d: Draft, cells: Cells, service: Service | null): { start: number; end: number } | null {
    const [dateText, startText, endText, durationText] = [cells('date'), cells('start'), cells('end'), cells('duration')];
    if (!dateText && !startText) {
      if (endText || durationText) d.errors.push({ fields: ['start'], message: 'An end or duration needs a start: add a Start (and Date) column' });
      return null;
    }
    const read = (field: string, text: string): DateTimeReading | null => {
      if (!text) return null;
      let r = this.readings.get(text);
      if (r === undefined) {
        r = readDateTime(text, this.order);
        this.readings.set(text, r);
      }
      if (!r) d.errors.push({ fields: [field], message: `Not a date or time: "${text}". Dates like ${DATE_EXAMPLES[this.order]}; times like 09:00 or 9:00 AM` });
      return r;
    };
    const date = read('date', dateText);
    const start = read('start', startText);
    const end = read('end', endText);
    if (d.errors.length) return null;
    if (date?.kind === 'time') {
      d.errors.push({ fields: ['date'], message: `Not a date: "${dateText}"` });
      return null;
    }
    d.origin['slot.start'] = d.origin.slot = [date ? 'date' : null, start ? 'start' : null].filter((f): f is string => f !== null);
    let startMs: number;
    const at = (r: Extract<DateTimeReading, { kind: 'local' }>) => this.wallClock(r.date, r.time!);
    if (start?.kind === 'instant') startMs = start.ms;
    else if (start?.kind === 'local' && start.time) startMs = at(start);
    else if (start?.kind === 'time' && date?.kind === 'local') startMs = this.wallClock(date.date, start.time);
    else if (start?.kind === 'time') {
      d.errors.push({ fields: ['start'], message: `Start "${startText}" has no date: add a Date column, or write the date with the time` });
      return null;
    } else if (!start && date?.kind === 'instant') startMs = date.ms;
    else if (!start && date?.kind === 'local' && date.time) startMs = at(date);
    else {
      d.errors.push({ fields: ['start'], message: 'A date needs a start time, like 09:00 or 9:00 AM' });
      return null;
    }
    const day: LocalDate = start?.kind === 'local' ? start.date : date?.kind === 'local' ? date.date : localDateOf(startMs, this.zone);

    let endMs: number | null = null;
    if (end) {
      d.origin['slot.end'] = ['end'];
      if (end.kind === 'instant') endMs = end.ms;
      else if (end.kind === 'time') endMs = this.wallClock(day, end.time);
      else if (end.time) endMs = at(end);
      else {
        d.errors.push({ fields: ['end'], message: `End "${endText}" has no time` });
        return null;
      }
    }
    if (durationText) {
      const minutes = readDurationMinutes(durationText);
      if (minutes === null) {
        d.errors.push({ fields: ['duration'], message: notDuration(durationText) });
        return null;
      }
      const byDuration = startMs + minutes * MINUTE_MS;
      if (endMs === null) {
        endMs = byDuration;
        d.origin['slot.end'] = ['duration'];
      } else if (Math.abs(endMs - byDuration) >= MINUTE_MS) {
        d.errors.push({
          fields: ['end', 'duration'],
          message: `End and duration disagree: the end is ${Math.round((endMs - startMs) / MINUTE_MS)} minutes after the start, the duration says ${minutes}`,
        });
        return null;
      }
    }
    if (endMs === null) {
      if (!service) {
        d.errors.push({ fields: ['end', 'duration'], message: 'Give an end time or a duration (or a service, whose duration is used)' });
        return null;
      }
      endMs = startMs + service.durationMinutes * MINUTE_MS;
      d.origin['slot.end'] = ['service'];
    }
    return { start: startMs, end: endMs };
  }
}

/**
 * Writes the plan's rows, each through its commands, all in one Y transaction of the kind's document: one
 * undo step, one update to sync. Each row's commands are planned again first (against the documents as the
 * rows before it left them) and a row whose check now fails is refused whole, without writing any of it.
 * Run inside `LocalStore.batch` so the file holds all of it or none.
 */
export function commitImport(ctx: CommandContext, plan: ImportPlan): ImportRowResult[] {
  const doc = plan.kind === 'jobs' ? ctx.schedule : ctx.roster;
  const known = new Set(IMPORT_FIELDS[plan.kind].map((f) => f.key));
  const results: ImportRowResult[] = [];
  const write = () => {
    for (const row of plan.rows) {
      if (row.outcome === 'error' || row.outcome === 'unchanged') {
        results.push({ line: row.line, outcome: row.outcome, id: row.match?.id ?? null, errors: row.errors });
        continue;
      }
      const writes: Array<() => unknown> = [];
      let refused: AppError | null = null;
      for (const command of row.commands) {
        const planned = planCommand(ctx, command.name, command.input);
        if (!planned.ok) {
          refused = planned.error;
          break;
        }
        writes.push(planned.value.write);
      }
      if (refused) {
        const fields = Object.keys(refused.fieldErrors ?? {});
        const errors = fields.length
          ? fields.map((path) => {
              const from = fieldsOfPath(row.origin, known, path);
              return { column: from.map((f) => plan.mapping[f]).filter(Boolean).join(' + ') || null, field: from[0] ?? null, message: refused.fieldErrors![path]! };
            })
          : [{ column: null, field: null, message: refused.message }];
        results.push({ line: row.line, outcome: 'error', id: null, errors });
        continue;
      }
      let id = row.match?.id ?? null;
      for (const w of writes) {
        const out = w() as { id?: string } | undefined;
        if (row.outcome === 'create' && out?.id) id = out.id;
      }
      results.push({ line: row.line, outcome: row.outcome === 'create' ? 'created' : 'updated', id, errors: [] });
    }
  };
  if (plan.rows.some((r) => r.outcome === 'create' || r.outcome === 'update')) doc.transact(write, 'local');
  else write();
  return results;
}
