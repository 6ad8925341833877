import { v5 as uuidv5 } from 'uuid';
import type { ArrivalWindow, Booking, BookingFields, Location, Slot } from '../model';
import { fromMs, localToMs, MINUTE_MS, toMs, type LocalDate, type LocalTime } from '../time';
import { splitLocalDateTime, type Series } from './series-doc';

/**
 * A series' visit on one of its dates, as a booking: its id and its content are functions of the series
 * and the date alone, so every replica that creates it — two desktops extending the horizon offline, or the
 * server for desktops that stay closed — creates the same record under the same key.
 */

/** Fixed namespaces (random UUIDs chosen once): changing either would re-key every future visit. */
const OCCURRENCE_NAMESPACE = '6f1d8a52-3c47-4d0e-9b6a-2e5c7f80a4d1';
const FINGERPRINT_NAMESPACE = 'b3e0c9f4-71a2-4c55-8d3e-0f6a9b21c7e8';

/**
 * The booking id of a series' visit on its original local date: a UUIDv5 of `${seriesId}/${date}`. It
 * passes the id checks every booking id does (core/ids.ts `ID_PATTERN`, the sync server's record rules).
 */
export const occurrenceId = (seriesId: string, date: LocalDate): string => uuidv5(`${seriesId}/${date}`, OCCURRENCE_NAMESPACE);

/** What a series decides about a visit: the booking fields and the slot. */
export interface OccurrenceContent extends BookingFields {
  slot: Slot;
}

export const startTimeOf = (series: Series): LocalTime => splitLocalDateTime(series.rule.dtstart)[1];
export const startDateOf = (series: Series): LocalDate => splitLocalDateTime(series.rule.dtstart)[0];

/** The planned start of the visit on `date` by the rule's time of day (ignoring a changed exception). */
export const plannedStartMs = (series: Series, date: LocalDate, zone: string): number => localToMs(date, startTimeOf(series), zone);

/** The content with keys and nested values in one fixed order, so equal content serialises equally. */
export function canonicalContent(c: OccurrenceContent): OccurrenceContent {
  const location: Location = {
    address: c.location.address,
    coordinates: c.location.coordinates ? { lat: c.location.coordinates.lat, lng: c.location.coordinates.lng } : null,
  };
  const arrivalWindow: ArrivalWindow | null = c.arrivalWindow ? { start: c.arrivalWindow.start, end: c.arrivalWindow.end } : null;
  return {
    title: c.title,
    customerId: c.customerId,
    serviceId: c.serviceId,
    priority: c.priority,
    teamSize: c.teamSize,
    laborHours: c.laborHours,
    location,
    arrivalWindow,
    notes: c.notes,
    slot: { start: c.slot.start, end: c.slot.end, assignees: [...c.slot.assignees] },
  };
}

/** A short, stable digest of content (UUIDv5 of its canonical JSON). */
export const fingerprintOf = (c: OccurrenceContent): string => uuidv5(JSON.stringify(canonicalContent(c)), FINGERPRINT_NAMESPACE);

/** A booking's content as a series would describe it; null for a booking without a date. */
export function contentOfBooking(b: Booking): OccurrenceContent | null {
  if (!b.slot) return null;
  return canonicalContent(b as OccurrenceContent);
}

/**
 * The visit on `date` as the series describes it now: the template, at the rule's start time on that date
 * in `zone` (DST gaps move forward, folds take the earlier time: `core/time.ts`) — or, for a date with a
 * `changed` exception, that visit's own start, duration, assignees and fields.
 */
export function materializeOccurrence(series: Series, date: LocalDate, zone: string): OccurrenceContent {
  const t = series.template;
  const exception = series.exceptions.get(date);
  const changed = exception?.type === 'changed' ? exception : undefined;
  const startMs = changed ? toMs(changed.start) : localToMs(date, startTimeOf(series), zone);
  const durationMinutes = changed?.durationMinutes ?? t.durationMinutes;
  const base: OccurrenceContent = {
    title: t.title,
    customerId: t.customerId,
    serviceId: t.serviceId,
    priority: t.priority,
    teamSize: t.teamSize,
    laborHours: t.laborHours,
    location: t.location,
    arrivalWindow: t.arrival
      ? { start: fromMs(startMs + t.arrival.fromMinutes * MINUTE_MS), end: fromMs(startMs + t.arrival.toMinutes * MINUTE_MS) }
      : null,
    notes: t.notes,
    slot: {
      start: fromMs(startMs),
      end: fromMs(startMs + durationMinutes * MINUTE_MS),
      assignees: changed?.assignees ?? t.assignees,
    },
  };
  return canonicalContent({ ...base, ...(changed?.fields ?? {}), slot: base.slot });
}
