/**
 * The messages people read (pure): plain text, HTML email and a short SMS form, rendered from the latest
 * state of the documents when a batch closes. Times are in the organization's time zone with its
 * abbreviation (CST/CDT), so a recipient elsewhere, or on a DST day, reads them right.
 */
import type { RouteSheet, RouteSheets } from '../../../core/route-sheets/route-sheet';
import type { Booking, Customer, Provider, Service, Settings } from '../../../core/model';
import { escapeHtml } from '../../../core/html';
import { arrivalWindowFits, saveChanges, type SlotState } from '../../../core/notifications/save-audience';
import { effectiveStatus } from '../../../core/status';
import { formatterFor, type Formatter } from '../../../core/format';
import { localDateOf, toMs } from '../../../core/time';
import type { EventKind, RecipientRef, RenderedMessage } from './types';

export interface TemplateWorld {
  settings: Pick<Settings, 'name' | 'timeZone' | 'timeFormat'>;
  providers: ReadonlyMap<string, Provider>;
  customers: ReadonlyMap<string, Customer>;
  services: ReadonlyMap<string, Service>;
}

export interface BatchItem {
  bookingId: string;
  /** Undefined when the booking is gone (archived): nothing to say about it. */
  booking: Booking | undefined;
  /** The events batched for it, oldest first. */
  kinds: readonly EventKind[];
  /** The job's slot before the Save that caused these events (Saves only): what changed is said from it. */
  before?: SlotState | null;
}

const SMS_LIMIT = 1500;

/** "Tue, Nov 24, 2026, 9:00 AM–11:00 AM CST" (or 09:00–11:00, as the organization's clock reads); a span over midnight names both days. */
export function whenLabel(start: string, end: string, fmt: Formatter): string {
  const timeZone = fmt.settings.timeZone;
  const s = toMs(start);
  const e = toMs(end);
  const startZone = fmt.zoneAbbreviation(s);
  const endZone = fmt.zoneAbbreviation(e);
  if (localDateOf(s, timeZone) === localDateOf(Math.max(s, e - 1), timeZone)) {
    const zone = startZone === endZone ? startZone : `${startZone}/${endZone}`;
    return `${fmt.dayWithYear(s)}, ${fmt.timeRange(s, e)} ${zone}`;
  }
  return `${fmt.dayWithYear(s)}, ${fmt.time(s)} ${startZone} – ${fmt.dayWithYear(e)}, ${fmt.time(e)} ${endZone}`;
}

interface Line {
  headline: string;
  title: string;
  /** Label/value rows of the job's details. */
  rows: Array<[string, string]>;
  /** One line for SMS. */
  short: string;
}

function providerLine(world: TemplateWorld, providerId: string, item: BatchItem): Line | null {
  const booking = item.booking;
  if (!booking) return null;
  const fmt = formatterFor(world.settings);
  const joinNames = (names: string[]) => fmt.list(names);
  const status = effectiveStatus(booking.status, booking.slot);
  const assigned = booking.slot?.assignees.includes(providerId) ?? false;
  let headline: string;
  if (status === 'cancelled') headline = 'Cancelled';
  else if (!assigned) {
    // Added and taken off again within one batch: nothing happened as far as they are concerned.
    if (item.kinds[0] === 'assigned') return null;
    headline = 'Removed from job';
  } else if (item.kinds.includes('dispatched')) headline = 'Sent to you';
  else if (item.kinds[0] === 'assigned') headline = 'New job for you';
  else headline = 'Job changed';

  const rows: Array<[string, string]> = [];
  const when = booking.slot ? whenLabel(booking.slot.start, booking.slot.end, fmt) : 'No date yet';
  rows.push(['When', when]);
  // The slot before (a Save's, or the one last seen): what changed for someone who was, and still is, on the job.
  if (headline === 'Job changed' && item.before !== undefined) {
    const before = item.before;
    const changed = saveChanges(before, booking.slot);
    if (changed.length > 0) rows.push(['What changed', fmt.list(changed)]);
    if (changed.includes('time') && before) rows.push(['Was', whenLabel(before.start, before.end, fmt)]);
    if (changed.includes('team')) {
      const now = new Set(booking.slot?.assignees ?? []);
      const left = before?.assignees.filter((id) => id !== providerId && !now.has(id)).map((id) => world.providers.get(id)?.name ?? 'someone') ?? [];
      if (left.length > 0) rows.push(['No longer with you', joinNames(left)]);
    }
  }
  if (booking.arrivalWindow) rows.push(['Arrival window', whenLabel(booking.arrivalWindow.start, booking.arrivalWindow.end, fmt)]);
  if (booking.location.address) rows.push(['Address', booking.location.address]);
  const service = booking.serviceId ? world.services.get(booking.serviceId) : undefined;
  if (service) rows.push(['Service', service.name]);
  const customer = booking.customerId ? world.customers.get(booking.customerId) : undefined;
  if (customer) rows.push(['Customer', [customer.name, customer.phone].filter(Boolean).join(', ')]);
  if (assigned) {
    const mates = (booking.slot?.assignees ?? []).filter((id) => id !== providerId).map((id) => world.providers.get(id)?.name ?? 'someone');
    if (mates.length > 0) rows.push(['With', joinNames(mates)]);
  }
  if (booking.priority === 'high' || booking.priority === 'emergency') rows.push(['Priority', booking.priority]);
  if (customer?.notes) rows.push(['Access notes', customer.notes]);
  if (booking.notes) rows.push(['Notes', booking.notes]);
  if (status === 'cancelled' && booking.statusNote) rows.push(['Reason', booking.statusNote]);
  // Said plainly, first thing after the headline: someone may be on their way to it.
  if (headline === 'Cancelled') rows.unshift(['What to do', 'Do not go: the job is cancelled']);
  else if (headline === 'Removed from job') rows.unshift(['What to do', 'Do not go: you are no longer on this job']);
  const short = `${headline}: ${booking.title}${booking.slot ? `, ${when}` : ''}${booking.location.address ? `, ${booking.location.address}` : ''}`;
  return { headline, title: booking.title, rows, short };
}

function customerLine(world: TemplateWorld, item: BatchItem): Line | null {
  const booking = item.booking;
  if (!booking) return null;
  const fmt = formatterFor(world.settings);
  const joinNames = (names: string[]) => fmt.list(names);
  const status = effectiveStatus(booking.status, booking.slot);
  const service = booking.serviceId ? world.services.get(booking.serviceId) : undefined;
  const what = service?.name ?? booking.title;
  const techs = (booking.slot?.assignees ?? []).map((id) => world.providers.get(id)?.name).filter((n): n is string => !!n);
  // An arrival window the job no longer starts in is stale: the customer is told the job's time instead.
  const windowFits = booking.arrivalWindow !== null && arrivalWindowFits(booking.arrivalWindow, booking.slot);
  const window = (windowFits ? booking.arrivalWindow : null) ?? (booking.slot ? { start: booking.slot.start, end: booking.slot.end } : null);
  const moved = item.before !== undefined && booking.slot !== null && saveChanges(item.before, booking.slot).includes('time');
  const rows: Array<[string, string]> = [];
  let headline: string;
  if (status === 'cancelled') headline = 'Your appointment is cancelled';
  else if (item.kinds.includes('on_the_way') && status === 'en_route') {
    headline = techs.length > 0 ? `Your technician ${joinNames(techs)} ${techs.length > 1 ? 'are' : 'is'} on the way` : 'Your technician is on the way';
  } else if (!booking.slot) headline = 'We are rescheduling your appointment and will be in touch';
  else if (moved) headline = 'Your appointment has moved';
  else headline = 'Your appointment';
  if (window && status !== 'cancelled') {
    rows.push([windowFits ? 'Arrival window' : moved ? 'New time' : 'When', whenLabel(window.start, window.end, fmt)]);
  }
  else if (window) rows.push(['Was', whenLabel(window.start, window.end, fmt)]);
  if (booking.location.address) rows.push(['Address', booking.location.address]);
  if (techs.length > 0 && status !== 'cancelled') rows.push(['Technician', joinNames(techs)]);
  const short = `${headline}: ${what}${window ? `, ${whenLabel(window.start, window.end, fmt)}` : ''}`;
  return { headline, title: what, rows, short };
}

function compose(company: string, greeting: string, lines: Line[], subject: string, footer: string): RenderedMessage {
  const text = [
    greeting,
    '',
    ...lines.flatMap((line) => [`${line.headline}: ${line.title}`, ...line.rows.map(([k, v]) => `  ${k}: ${v}`), '']),
    footer,
    `— ${company}`,
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; color: #1f2937">',
    `<p>${escapeHtml(greeting)}</p>`,
    ...lines.map(
      (line) =>
        `<h3 style="margin-bottom: 4px">${escapeHtml(line.headline)}: ${escapeHtml(line.title)}</h3>` +
        '<table style="border-collapse: collapse">' +
        line.rows
          .map(([k, v]) => `<tr><th style="text-align: left; padding: 2px 12px 2px 0; vertical-align: top">${escapeHtml(k)}</th><td style="padding: 2px 0; white-space: pre-wrap">${escapeHtml(v)}</td></tr>`)
          .join('') +
        '</table>',
    ),
    `<p style="color: #6b7280">${escapeHtml(footer)}<br>— ${escapeHtml(company)}</p>`,
    '</body></html>',
  ].join('\n');
  let short = `${company}: ${lines.map((l) => l.short).join(' | ')}`;
  if (short.length > SMS_LIMIT) short = `${short.slice(0, SMS_LIMIT - 1)}…`;
  return { subject, text, html, short };
}

/** One message for one recipient covering every job batched for them; null when nothing is left to say. */
export function renderBatch(world: TemplateWorld, recipient: RecipientRef, items: readonly BatchItem[]): RenderedMessage | null {
  const company = world.settings.name;
  if (recipient.kind === 'provider') {
    const provider = world.providers.get(recipient.id);
    const lines = items.map((item) => providerLine(world, recipient.id, item)).filter((l): l is Line => l !== null);
    if (!provider || lines.length === 0) return null;
    const subject = lines.length === 1 ? `${lines[0]!.headline}: ${lines[0]!.title}` : `${formatterFor(world.settings).count(lines.length, 'job update')} from ${company}`;
    return compose(company, `Hi ${provider.name},`, lines, subject, 'Reply to the office if something does not fit.');
  }
  const customer = world.customers.get(recipient.id);
  const lines = items.map((item) => customerLine(world, item)).filter((l): l is Line => l !== null);
  if (!customer || lines.length === 0) return null;
  const subject = lines.length === 1 ? `${lines[0]!.headline} — ${company}` : `Your appointments with ${company}`;
  return compose(company, `Hello ${customer.name},`, lines, subject, 'Call us if you need to change anything.');
}

/** The daily schedule email for one provider: the route sheet's stops (same model, same times). */
export function renderDailySchedule(sheets: RouteSheets, sheet: RouteSheet): RenderedMessage {
  const zone = sheets.timeZone;
  const fmt = formatterFor(sheets);
  const lines: Line[] = sheet.stops.map((stop) => {
    // On a DST day the sheet's labels already carry the zone.
    const time = sheets.zoneInTimes ? stop.timeLabel : `${stop.timeLabel} ${fmt.zoneAbbreviation(toMs(stop.start))}`;
    const rows: Array<[string, string]> = [['Time', time]];
    if (stop.arrivalWindow) rows.push(['Arrival window', stop.arrivalWindow.label]);
    if (stop.address) rows.push(['Address', stop.address]);
    if (stop.service) rows.push(['Service', stop.service]);
    if (stop.customer) rows.push(['Customer', [stop.customer.name, stop.customer.phone].filter(Boolean).join(', ')]);
    if (stop.teamMates.length > 0) rows.push(['With', fmt.list(stop.teamMates)]);
    if (stop.accessNotes) rows.push(['Access notes', stop.accessNotes]);
    if (stop.notes) rows.push(['Notes', stop.notes]);
    return { headline: `${stop.number}. ${stop.timeLabel}`, title: stop.title, rows, short: `${stop.timeLabel} ${stop.title}` };
  });
  const count = sheet.stops.length;
  const greeting =
    count === 0
      ? `Hi ${sheet.provider.name}, you have no jobs on ${sheets.dateLabel}.`
      : `Hi ${sheet.provider.name}, your schedule for ${sheets.dateLabel}: ${fmt.count(count, 'job')}.`;
  const subject = `Your schedule for ${sheets.dateLabel}${count === 0 ? ': no jobs' : ` (${fmt.count(count, 'job')})`}`;
  return compose(sheets.company, greeting, lines, subject, `Times are ${zone} time. The office may still change things; you will be told.`);
}
