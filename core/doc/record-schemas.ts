/**
 * What a stored record may hold, field group by field group, built from the model's schemas (`model.ts`):
 * the commands validate what users type, and these check what is already in a shared document, where any
 * client holding a token could have written anything.
 *
 * A group may lack fields: readers fill defaults (a record can arrive in pieces, and a group written
 * before a field existed lacks it). A field that is there must have its model type.
 */
import { z } from 'zod';
import {
  bookingFieldsSchema,
  customerFieldsSchema,
  historyEntrySchema,
  idSchema,
  instantSchema,
  providerFieldsSchema,
  serviceFieldsSchema,
  settingsFieldsSchema,
  slotSchema,
  stampSchema,
  STATUSES,
  timeOffSchema,
} from '../model';
import {
  BOOKING_GROUPS,
  BOOKING_LEGACY_FIELDS,
  CUSTOMER_GROUPS,
  fieldsOf,
  PROVIDER_GROUPS,
  SERVICE_GROUPS,
  type LegacyFields,
} from './groups';
import type { GroupSpec } from './records';

/** Every field a booking record stores, across its groups. */
const bookingRecordFieldsSchema = bookingFieldsSchema.extend({
  slot: slotSchema.nullable(),
  slotMove: z.object({ id: idSchema }).nullable(),
  status: z.enum(STATUSES),
  statusChanged: stampSchema.nullable(),
  // A status note, a running-late report or a cancel reason: each at most 1000 characters plus a label.
  statusNote: z.string().max(2000),
  dispatched: stampSchema.nullable(),
  created: stampSchema,
});

export type GroupSchemas = Readonly<Record<string, z.ZodType>>;

function groupSchemas(spec: GroupSpec, fields: z.ZodObject, legacy: LegacyFields = {}): GroupSchemas {
  return Object.fromEntries(
    Object.entries(spec).map(([group, names]) => [
      group,
      fields.pick(Object.fromEntries(fieldsOf(group, names, legacy).map((name) => [name, true])) as Record<string, true>).partial(),
    ]),
  );
}

/** The collections whose entries are records of field groups, with the schema of each group. */
export const RECORD_GROUPS: Record<RecordCollection, { spec: GroupSpec; legacy: LegacyFields; schemas: GroupSchemas }> = {
  providers: { spec: PROVIDER_GROUPS, legacy: {}, schemas: groupSchemas(PROVIDER_GROUPS, providerFieldsSchema) },
  customers: { spec: CUSTOMER_GROUPS, legacy: {}, schemas: groupSchemas(CUSTOMER_GROUPS, customerFieldsSchema) },
  services: { spec: SERVICE_GROUPS, legacy: {}, schemas: groupSchemas(SERVICE_GROUPS, serviceFieldsSchema) },
  bookings: {
    spec: BOOKING_GROUPS,
    legacy: BOOKING_LEGACY_FIELDS,
    schemas: groupSchemas(BOOKING_GROUPS, bookingRecordFieldsSchema, BOOKING_LEGACY_FIELDS),
  },
};
export type RecordCollection = 'providers' | 'customers' | 'services' | 'bookings';

/** One setting per key of the roster's `settings` map. */
export const SETTING_SCHEMAS: Readonly<Record<string, z.ZodType>> = settingsFieldsSchema.shape;

export { historyEntrySchema, timeOffSchema };

/** An entry of the schedule's `archived` map (written by the server's archiver). */
export const archiveMarkerSchema = z.object({ archivedAt: instantSchema });

/**
 * A slot as a Save's request records it before and after: the slot's own fields, without its span rules (a
 * job's old slot is recorded as it was, and a request is never refused for what was already stored).
 */
const savedSlotSchema = z.object({ start: instantSchema, end: instantSchema, assignees: z.array(idSchema).max(50) });

/**
 * An entry of the schedule's `notificationRequests` map, as the Save command writes it: the server's update
 * rules check new entries with it, and the notification worker reads every request through it.
 */
export const notificationRequestSchema = z.object({
  id: idSchema,
  createdAt: instantSchema,
  by: stampSchema.shape.by,
  bookingIds: z.array(idSchema).max(500),
  notifyProviders: z.boolean(),
  notifyCustomers: z.boolean(),
  reason: z.enum(['save', 'send_to_tech']),
  changes: z.array(z.object({ id: idSchema, before: savedSlotSchema.nullable(), after: savedSlotSchema.nullable() })).max(500).optional(),
  beforeLink: z.boolean().optional(),
});
