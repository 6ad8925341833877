/**
 * The field groups of each kind of record (see `records.ts`): which fields are written together as one
 * value. Kept apart from the readers so the record schemas (`record-schemas.ts`) can build on them
 * without an import cycle.
 */
import type { GroupSpec } from './records';

export const PROVIDER_GROUPS = {
  profile: ['name', 'email', 'phone', 'address', 'coordinates', 'color', 'chatHandle'],
  skills: ['skills'],
  channels: ['channels'],
  active: ['active'],
  hours: ['weeklyHours'],
  order: ['sortOrder'],
} as const satisfies GroupSpec;
/** Time off is a nested map keyed by entry id, so two dispatchers adding time off both keep theirs. */
export const PROVIDER_TIME_OFF = 'timeOff';

export const CUSTOMER_GROUPS = {
  profile: ['name', 'email', 'phone', 'address', 'coordinates'],
  notes: ['notes'],
  channels: ['channels'],
} as const satisfies GroupSpec;

export const SERVICE_GROUPS = {
  details: ['name', 'durationMinutes', 'laborHours', 'teamSize', 'requiredSkills'],
  active: ['active'],
} as const satisfies GroupSpec;

export const BOOKING_GROUPS = {
  details: ['title', 'customerId', 'serviceId', 'priority', 'teamSize', 'laborHours'],
  location: ['location'],
  arrival: ['arrivalWindow'],
  notes: ['notes'],
  /** start, end and assignees: one value, so two offline moves never merge into a chimera. */
  slot: ['slot', 'slotMove'],
  status: ['status', 'statusChanged'],
  /** Its own group: a technician's "running late" note must not re-write (and so undo) a concurrent cancel. */
  statusNote: ['statusNote'],
  dispatch: ['dispatched'],
  created: ['created'],
} as const satisfies GroupSpec;

/**
 * Fields a group held in earlier versions, still read from documents written then (the status note was in
 * the `status` group). A field's own group, later in the spec, wins when both hold it.
 */
export const BOOKING_LEGACY_FIELDS: LegacyFields = { status: ['statusNote'] };

export type LegacyFields = Readonly<Record<string, readonly string[]>>;

/** The fields a group's value may hold: its own, then those it held in earlier versions. */
export const fieldsOf = (group: string, fields: readonly string[], legacy: LegacyFields): readonly string[] =>
  legacy[group] ? [...fields, ...legacy[group]] : fields;
