import { z } from 'zod';
import { ID_PATTERN } from './ids';
import { isValidTimeZone, localTimeMinutes, toMs, WEEKDAYS } from './time';
import { DISTANCE_UNITS } from './units';
import { TIME_FORMATS } from './format';

/** Domain types and their validation. Types are inferred from the schemas so the two never drift. */

export const idSchema = z.string().regex(ID_PATTERN, 'Must be a valid id');
export const instantSchema = z.iso.datetime({ message: 'Must be an ISO date-time in UTC, e.g. 2026-11-23T14:00:00Z' });
export const localDateSchema = z.iso.date({ message: 'Must be a date like 2026-11-23' });
export const localTimeSchema = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'Must be a time like 08:30');
/**
 * One length limit per kind of text, the same in every form (`maxLength`), command and import: a note is
 * 4,000 characters whether it is a job's or a customer's.
 */
export const TEXT_LIMITS = {
  /** Providers, services, the organization. */
  name: 120,
  customerName: 160,
  jobTitle: 160,
  address: 300,
  /** Job and customer notes. */
  notes: 4000,
  chatHandle: 120,
  timeOffReason: 200,
  licenseKey: 200,
  skill: 40,
} as const;

const trimmed = (max: number) => z.string().trim().max(max, `At most ${max} characters`);
const requiredText = (max: number) => trimmed(max).min(1, 'Required');
const optionalEmail = z.union([z.literal(''), z.email('Must be an email address like ana@example.com')]);
const phoneSchema = z
  .string()
  .trim()
  .max(32, 'At most 32 characters')
  .regex(/^$|^\+?[0-9 ().-]{5,}$/, 'Must be a phone number like +1 555 010 2000');

/** Epoch ms, or null for a string that is not an instant (its own format issue reports that). */
const msOrNull = (instant: string): number | null => {
  try {
    return toMs(instant);
  } catch {
    return null;
  }
};
/** Refinements run even after a format issue (zod 4), so they must not throw on unparsable instants. */
const spanRefine = <T extends { start: string; end: string }>(s: T) => {
  const start = msOrNull(s.start);
  const end = msOrNull(s.end);
  return start === null || end === null || end > start;
};
const spanAtMost = (maxMs: number) => <T extends { start: string; end: string }>(s: T) => {
  const start = msOrNull(s.start);
  const end = msOrNull(s.end);
  return start === null || end === null || end - start <= maxMs;
};

export const coordinatesSchema = z.object({
  lat: z.number().min(-90, 'Latitude is between -90 and 90').max(90, 'Latitude is between -90 and 90'),
  lng: z.number().min(-180, 'Longitude is between -180 and 180').max(180, 'Longitude is between -180 and 180'),
});
export type Coordinates = z.infer<typeof coordinatesSchema>;

export const ROLES = ['admin', 'dispatcher', 'technician', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export interface Actor {
  id: string;
  name: string;
  role: Role;
  /** Set for technicians: the service provider they are. */
  providerId?: string;
}

// ---------------------------------------------------------------------------------------------------
// Working hours (providers', and the organization's usual week)

export const workIntervalSchema = z
  .object({ start: localTimeSchema, end: localTimeSchema })
  .refine((i) => localTimeMinutes(i.end) > localTimeMinutes(i.start), {
    message: 'End must be after start',
    path: ['end'],
  });
export type WorkInterval = z.infer<typeof workIntervalSchema>;

const dayIntervals = z.array(workIntervalSchema).max(6, 'At most 6 intervals a day').superRefine((list, ctx) => {
  const sorted = [...list].sort((a, b) => localTimeMinutes(a.start) - localTimeMinutes(b.start));
  for (let i = 1; i < sorted.length; i++) {
    if (localTimeMinutes(sorted[i]!.start) < localTimeMinutes(sorted[i - 1]!.end)) {
      ctx.addIssue({ code: 'custom', message: 'Intervals on the same day must not overlap' });
      return;
    }
  }
});

export const weeklyHoursSchema = z.object(
  Object.fromEntries(WEEKDAYS.map((d) => [d, dayIntervals])) as Record<(typeof WEEKDAYS)[number], typeof dayIntervals>,
);
export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;

// ---------------------------------------------------------------------------------------------------
// Organization settings

/** The average travel speeds route sheets accept (walking pace to motorway). */
export const TRAVEL_SPEED_KMH = { min: 5, max: 130 } as const;

/** The schedule assistant's weights: 0 (ignore this goal) to 10. */
export const ASSISTANT_WEIGHT = { min: 0, max: 10 } as const;

export const settingsFieldsSchema = z.object({
  name: requiredText(TEXT_LIMITS.name),
  timeZone: z.string().refine(isValidTimeZone, 'Unknown time zone; use an IANA name like America/Chicago'),
  timelineStart: localTimeSchema,
  timelineEnd: localTimeSchema,
  autoResize: z.boolean(),
  selfDispatch: z.boolean(),
  dailyEmailTime: localTimeSchema,
  notifyProvidersByDefault: z.boolean(),
  notifyCustomersByDefault: z.boolean(),
  archiveAfterDays: z.number().int().min(1, 'At least 1 day').max(3650, 'At most 3650 days'),
  /** FullCalendar premium licence key (docs/design.md §10): a setting, so a commercial licensee can enter theirs. */
  calendarLicenseKey: trimmed(TEXT_LIMITS.licenseKey),
  /**
   * Route sheets estimate travel from the straight-line distance between stops: times this factor for the
   * roads' detours, driven at this average speed (docs/design.md §9). Estimates, not directions.
   */
  travelSpeedKmh: z
    .number()
    .min(TRAVEL_SPEED_KMH.min, `At least ${TRAVEL_SPEED_KMH.min} km/h`)
    .max(TRAVEL_SPEED_KMH.max, `At most ${TRAVEL_SPEED_KMH.max} km/h`),
  travelDistanceFactor: z.number().min(1, 'At least 1 (the straight line)').max(3, 'At most 3'),
  /** How distances and speeds are shown and typed (route sheets, settings); stored values stay in km. */
  distanceUnit: z.enum(DISTANCE_UNITS, { error: 'Kilometres or miles' }),
  /** How clock times are shown and sent (board, route sheets, emails, tech page): core/format.ts. */
  timeFormat: z.enum(TIME_FORMATS, { error: '12-hour or 24-hour' }),
  /** Recurring jobs have real visits on the board this many weeks ahead, extended as days pass. */
  recurrenceHorizonWeeks: z.number().int('Whole weeks').min(1, 'At least 1 week').max(52, 'At most 52 weeks'),
  /**
   * Fill a day (core/assistant/fill-day.ts) weighs travel against balanced load: a kilometre of driving
   * costs `assistantTravelWeight`, an uneven day costs `assistantBalanceWeight` (0 turns a goal off).
   */
  assistantTravelWeight: z.number().min(ASSISTANT_WEIGHT.min, `At least ${ASSISTANT_WEIGHT.min}`).max(ASSISTANT_WEIGHT.max, `At most ${ASSISTANT_WEIGHT.max}`),
  assistantBalanceWeight: z.number().min(ASSISTANT_WEIGHT.min, `At least ${ASSISTANT_WEIGHT.min}`).max(ASSISTANT_WEIGHT.max, `At most ${ASSISTANT_WEIGHT.max}`),
  /** The usual working week: what a new provider's hours start from (set up on first run). */
  defaultWeeklyHours: weeklyHoursSchema,
});
/**
 * The settings' cross-field rule, in one place: the timeline ends after it starts. Judged only when both are
 * valid times (their own errors say the rest), so the Settings screen can say it before the backend, which
 * runs it through `settingsSchema`, would.
 */
export function settingsCrossFieldErrors(s: Pick<Settings, 'timelineStart' | 'timelineEnd'>): Record<string, string> {
  const valid = localTimeSchema.safeParse(s.timelineStart).success && localTimeSchema.safeParse(s.timelineEnd).success;
  if (valid && localTimeMinutes(s.timelineEnd) <= localTimeMinutes(s.timelineStart)) return { timelineEnd: 'Must be after the timeline start' };
  return {};
}
export const settingsSchema = settingsFieldsSchema.superRefine((s, ctx) => {
  for (const [path, message] of Object.entries(settingsCrossFieldErrors(s))) ctx.addIssue({ code: 'custom', path: [path], message });
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  name: 'My company',
  timeZone: 'America/Chicago',
  timelineStart: '06:00',
  timelineEnd: '20:00',
  autoResize: false,
  selfDispatch: false,
  dailyEmailTime: '05:00',
  notifyProvidersByDefault: true,
  notifyCustomersByDefault: false,
  archiveAfterDays: 30,
  calendarLicenseKey: 'AGPL-My-Frontend-And-Backend-Are-Open-Source',
  // City driving: about 30 km/h door to door, roads about 1.3 times the straight line.
  travelSpeedKmh: 30,
  travelDistanceFactor: 1.3,
  distanceUnit: 'km',
  // Organizations set up before the setting keep the 24 h clock they had; first run picks from the locale.
  timeFormat: '24h',
  recurrenceHorizonWeeks: 8,
  assistantTravelWeight: 1,
  assistantBalanceWeight: 1,
  defaultWeeklyHours: {
    mon: [{ start: '08:00', end: '17:00' }],
    tue: [{ start: '08:00', end: '17:00' }],
    wed: [{ start: '08:00', end: '17:00' }],
    thu: [{ start: '08:00', end: '17:00' }],
    fri: [{ start: '08:00', end: '17:00' }],
    sat: [],
    sun: [],
  },
};

// ---------------------------------------------------------------------------------------------------
// Service providers


export const channelsSchema = z.object({ email: z.boolean(), sms: z.boolean(), chat: z.boolean() });
export type Channels = z.infer<typeof channelsSchema>;

export const timeOffSchema = z
  .object({ id: idSchema, start: instantSchema, end: instantSchema, reason: trimmed(TEXT_LIMITS.timeOffReason) })
  .refine(spanRefine, { message: 'End must be after start', path: ['end'] });
export type TimeOff = z.infer<typeof timeOffSchema>;

const skillsSchema = z.array(requiredText(TEXT_LIMITS.skill)).max(30, 'At most 30 skills');
const colorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Must be a color like #3366cc');

export const providerFieldsSchema = z.object({
  name: requiredText(TEXT_LIMITS.name),
  email: optionalEmail,
  phone: phoneSchema,
  address: trimmed(TEXT_LIMITS.address),
  coordinates: coordinatesSchema.nullable(),
  color: colorSchema,
  chatHandle: trimmed(TEXT_LIMITS.chatHandle),
  skills: skillsSchema,
  channels: channelsSchema,
  active: z.boolean(),
  weeklyHours: weeklyHoursSchema,
  sortOrder: z.number().int(),
});
export type ProviderFields = z.infer<typeof providerFieldsSchema>;
export type Provider = ProviderFields & { id: string; timeOff: TimeOff[] };

// ---------------------------------------------------------------------------------------------------
// Customers and services

export const customerFieldsSchema = z.object({
  name: requiredText(TEXT_LIMITS.customerName),
  email: optionalEmail,
  phone: phoneSchema,
  address: trimmed(TEXT_LIMITS.address),
  coordinates: coordinatesSchema.nullable(),
  notes: trimmed(TEXT_LIMITS.notes),
  channels: z.object({ email: z.boolean(), sms: z.boolean() }),
});
export type CustomerFields = z.infer<typeof customerFieldsSchema>;
export type Customer = CustomerFields & { id: string };

export const serviceFieldsSchema = z.object({
  name: requiredText(TEXT_LIMITS.name),
  durationMinutes: z.number().int().min(5, 'At least 5 minutes').max(24 * 60, 'At most 24 hours'),
  laborHours: z.number().min(0.25, 'At least 0.25 hours').max(200, 'At most 200 hours'),
  teamSize: z.number().int().min(1, 'At least 1').max(20, 'At most 20'),
  requiredSkills: skillsSchema,
  active: z.boolean(),
});
export type ServiceFields = z.infer<typeof serviceFieldsSchema>;
export type Service = ServiceFields & { id: string };

// ---------------------------------------------------------------------------------------------------
// Bookings

export const STATUSES = [
  'unscheduled',
  'scheduled',
  'dispatched',
  'en_route',
  'in_progress',
  'completed',
  'cancelled',
] as const;
export type Status = (typeof STATUSES)[number];
export const PRIORITIES = ['low', 'normal', 'high', 'emergency'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Bookings longer than this are refused; it also bounds the range queries' look-back. */
export const MAX_BOOKING_MS = 7 * 86_400_000;

export const arrivalWindowSchema = z
  .object({ start: instantSchema, end: instantSchema })
  .refine(spanRefine, { message: 'End must be after start', path: ['end'] });
export type ArrivalWindow = z.infer<typeof arrivalWindowSchema>;

/** Where and with whom a booking happens: always written as one value, never field by field (docs/design.md §4). */
export const slotSchema = z
  .object({
    start: instantSchema,
    end: instantSchema,
    assignees: z.array(idSchema).max(20, 'At most 20 assignees').refine((a) => new Set(a).size === a.length, {
      message: 'A provider can be assigned only once',
    }),
  })
  .refine(spanRefine, { message: 'End must be after start', path: ['end'] })
  .refine(spanAtMost(MAX_BOOKING_MS), {
    message: 'A booking can last at most 7 days',
    path: ['end'],
  });
export type Slot = z.infer<typeof slotSchema>;

export const locationSchema = z.object({ address: trimmed(TEXT_LIMITS.address), coordinates: coordinatesSchema.nullable() });
export type Location = z.infer<typeof locationSchema>;

export const bookingFieldsSchema = z.object({
  title: requiredText(TEXT_LIMITS.jobTitle),
  customerId: idSchema.nullable(),
  serviceId: idSchema.nullable(),
  priority: z.enum(PRIORITIES),
  teamSize: z.number().int().min(1, 'At least 1').max(20, 'At most 20'),
  laborHours: z.number().min(0.25, 'At least 0.25 hours').max(200, 'At most 200 hours'),
  location: locationSchema,
  arrivalWindow: arrivalWindowSchema.nullable(),
  notes: trimmed(TEXT_LIMITS.notes),
});
export type BookingFields = z.infer<typeof bookingFieldsSchema>;

export interface Stamp {
  at: Instant;
  by: { id: string; name: string };
}
/** Who did something and when. `by.id` is a user id, or the server's own actor id: any string. */
export const stampSchema = z.object({ at: instantSchema, by: z.object({ id: z.string(), name: z.string() }) });

export interface Booking extends BookingFields {
  id: string;
  slot: Slot | null;
  /** The status as last written; see `effectiveStatus` for what the board shows after a merge. */
  status: Status;
  statusChanged: Stamp | null;
  statusNote: string;
  dispatched: Stamp | null;
  created: Stamp;
  /** The history entry of the move that wrote `slot`, stored in the slot group so it travels with it. */
  slotMove: { id: string } | null;
}

export interface HistoryEntry {
  id: string;
  at: Instant;
  by: { id: string; name: string };
  action: string;
  summary: string;
  /** Set on entries that wrote the slot: lets every replica see concurrent offline moves (core/moves.ts). */
  move?: MoveLink;
  /** The times `summary` names, as facts, so they are shown in the reader's clock (core/history-text.ts). */
  times?: HistoryTimes;
}

/** `text` is the part of the summary (written in 24 h) that a display replaces by `start`–`end` (and `with`). */
export interface HistoryTimes {
  text: string;
  start: Instant;
  end: Instant;
  /** The people of a slot, by name as they were then; absent for times that have no team (an arrival window). */
  with?: string[];
}

export interface MoveLink {
  /** The move whose slot this one replaced (null: the slot as created). */
  replaces: string | null;
  /** Lost moves the author was shown when moving again: they stop being reported. */
  resolves: string[];
}

/**
 * The stored shapes of history entries, checked where documents are read or written by others (the sync
 * server's update rules, total readers). Written by `appendHistory`, so never user input directly.
 */
export const moveLinkSchema = z.object({ replaces: idSchema.nullable(), resolves: z.array(idSchema) });
export const historyEntrySchema = z.object({
  id: idSchema,
  at: instantSchema,
  by: stampSchema.shape.by,
  action: z.string(),
  summary: z.string(),
  move: moveLinkSchema.optional(),
  times: z.object({ text: z.string(), start: instantSchema, end: instantSchema, with: z.array(z.string()).optional() }).optional(),
});

type Instant = string;

/** The schemas above describe exactly the interfaces (a change to one without the other fails to compile). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShapes: [
  Same<z.infer<typeof stampSchema>, Stamp>,
  Same<z.infer<typeof moveLinkSchema>, MoveLink>,
  Same<z.infer<typeof historyEntrySchema>, HistoryEntry>,
] = [true, true, true];
void sameShapes;
