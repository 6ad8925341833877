import type { Booking, Customer, Provider, Service, Settings } from '../model';
import { STATUS_LABELS } from '../status';
import { localDateOf, localTimeOf, MINUTE_MS, toMs, type LocalDate } from '../time';
import { fieldLabel } from './fields';
import type { ImportKind, ImportRowResult } from './kinds';

/**
 * Export tables (issue 18): each list as a spreadsheet or a bookkeeper wants it, and such that importing
 * the file back changes nothing. Headers are the import fields' labels, so the guess maps them back;
 * times are wall-clock in the organization's zone (`Date` `2026-11-24`, `Start` `09:00`, `End` `11:30`,
 * or `2026-11-25 01:00` when the job ends on another day); people are named, with their email where a name
 * would not say who (two of that name, or a name with a list separator in it).
 *
 * Core builds rows of strings; the backend writes them as text with papaparse.
 */

export interface ExportData {
  settings: Settings;
  providers: Provider[];
  customers: Customer[];
  services: Service[];
  /** Jobs to list (the backend picks them: a date range, or all), archived ones included. */
  bookings: Booking[];
}

export interface ExportTable {
  fileName: string;
  header: string[];
  rows: string[][];
}

/**
 * Cells a spreadsheet would run as a formula get a leading apostrophe (`=`, `@`, or `+`/`-` followed by
 * anything but a number or phone number), so an exported name cannot run as a formula. Import removes it.
 */
export const FORMULA_PREFIX = /^(?:[=@\t\r]|[+-](?![\d\s().-]*$))/;
export const unescapeFormula = (text: string): string => (/^'[=@+\-\t\r]/.test(text) ? text.slice(1) : text);

const yesNo = (b: boolean) => (b ? 'Yes' : 'No');
/** `a; b`; one value holding a comma gets a trailing `;` so import splits on `;` alone. */
const list = (values: readonly string[]) => {
  const text = values.join('; ');
  return values.length === 1 && /[,|]/.test(values[0]!) ? `${text};` : text;
};
const number = (n: number) => String(n);

const header = (kind: ImportKind, keys: readonly string[]) => keys.map((k) => fieldLabel(kind, k));

/** Whether a name says who it is: no one else has it, and it holds no list separator. */
function clearNames(people: ReadonlyArray<{ name: string }>): (name: string) => boolean {
  const counts = new Map<string, number>();
  for (const p of people) counts.set(p.name.trim().toLowerCase(), (counts.get(p.name.trim().toLowerCase()) ?? 0) + 1);
  return (name) => name.trim() !== '' && counts.get(name.trim().toLowerCase()) === 1 && !/[;,|\n]/.test(name);
}

export function exportTable(
  kind: ImportKind,
  data: ExportData,
  options: { today: LocalDate; from?: LocalDate; to?: LocalDate },
): ExportTable {
  const fileName = `crewline-${kind}-${kind === 'jobs' && (options.from || options.to) ? `${options.from ?? 'start'}-to-${options.to ?? 'end'}` : options.today}.csv`;
  if (kind === 'providers') {
    const keys = ['name', 'email', 'phone', 'address', 'skills', 'chatHandle', 'color', 'active', 'id'];
    const rows = data.providers.map((p) => [p.name, p.email, p.phone, p.address, list(p.skills), p.chatHandle, p.color, yesNo(p.active), p.id]);
    return { fileName, header: header(kind, keys), rows };
  }
  if (kind === 'customers') {
    const keys = ['name', 'email', 'phone', 'address', 'notes', 'id'];
    const rows = [...data.customers]
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map((c) => [c.name, c.email, c.phone, c.address, c.notes, c.id]);
    return { fileName, header: header(kind, keys), rows };
  }
  if (kind === 'services') {
    const keys = ['name', 'durationMinutes', 'laborHours', 'teamSize', 'requiredSkills', 'active', 'id'];
    const rows = [...data.services]
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map((s) => [s.name, number(s.durationMinutes), number(s.laborHours), number(s.teamSize), list(s.requiredSkills), yesNo(s.active), s.id]);
    return { fileName, header: header(kind, keys), rows };
  }
  const zone = data.settings.timeZone;
  const providers = new Map(data.providers.map((p) => [p.id, p]));
  const clearProvider = clearNames(data.providers);
  const providerCell = (p: Provider) => (clearProvider(p.name) ? p.name : p.email || p.id);
  const customers = new Map(data.customers.map((c) => [c.id, c]));
  // The name, unless another customer has it too and this one has no email (its own column) to tell.
  const clearCustomer = clearNames(data.customers);
  const customerCell = (c: Customer) => (c.email || clearCustomer(c.name) ? c.name : c.id);
  const serviceNames = new Map(data.services.map((s) => [s.id, s.name]));
  // Status is for reading: an import does not set it (the commands move a job through its states).
  const keys = ['date', 'start', 'end', 'duration', 'title', 'status', 'customer', 'customerEmail', 'address', 'assignees', 'service', 'priority', 'teamSize', 'laborHours', 'notes', 'id'];
  const headerRow = keys.map((k) => (k === 'status' ? 'Status' : fieldLabel(kind, k)));
  const sorted = [...data.bookings].sort(
    (a, b) => (a.slot ? toMs(a.slot.start) : Infinity) - (b.slot ? toMs(b.slot.start) : Infinity) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id),
  );
  const rows = sorted.map((b) => {
    const start = b.slot ? toMs(b.slot.start) : null;
    const end = b.slot ? toMs(b.slot.end) : null;
    const day = start === null ? '' : localDateOf(start, zone);
    const endDay = end === null ? '' : localDateOf(end, zone);
    const customer = b.customerId ? customers.get(b.customerId) : undefined;
    return [
      day,
      start === null ? '' : localTimeOf(start, zone),
      end === null ? '' : endDay === day ? localTimeOf(end, zone) : `${endDay} ${localTimeOf(end, zone)}`,
      start === null || end === null ? '' : number(Math.round((end - start) / MINUTE_MS)),
      b.title,
      STATUS_LABELS[b.status] ?? b.status,
      customer ? customerCell(customer) : '',
      customer?.email ?? '',
      b.location.address,
      (b.slot?.assignees ?? []).map((id) => (providers.has(id) ? providerCell(providers.get(id)!) : id)).join('; '),
      b.serviceId ? (serviceNames.get(b.serviceId) ?? '') : '',
      b.priority.charAt(0).toUpperCase() + b.priority.slice(1),
      number(b.teamSize),
      number(b.laborHours),
      b.notes,
      b.id,
    ];
  });
  return { fileName, header: headerRow, rows };
}

/** The rejected rows as they were, with an "Error" column naming each problem's column. */
export function rejectedTable(columns: readonly string[], rows: ReadonlyArray<{ line: number; cells: string[] }>, results: readonly ImportRowResult[]) {
  const byLine = new Map(rows.map((r) => [r.line, r.cells]));
  const errorColumn = columns.includes('Error') ? 'Import error' : 'Error';
  const rejected = results
    .filter((r) => r.outcome === 'error')
    .map((r) => {
      const cells = columns.map((_, i) => byLine.get(r.line)?.[i] ?? '');
      const message = r.errors.map((e) => (e.column ? `${e.column}: ${e.message}` : e.message)).join('; ');
      return [...cells, `Line ${r.line}: ${message}`];
    });
  return { header: [...columns, errorColumn], rows: rejected };
}
