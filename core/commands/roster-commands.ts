import { markSchemaVersion } from '../doc/schema-version';
import * as Y from 'yjs';
import { z } from 'zod';
import {
  customerFieldsSchema,
  DEFAULT_SETTINGS,
  idSchema,
  providerFieldsSchema,
  serviceFieldsSchema,
  settingsFieldsSchema,
  settingsSchema,
  timeOffSchema,
  type ProviderFields,
  type Settings,
  type TimeOff,
} from '../model';
import { newRecord, recordOf, writeGroups } from '../doc/records';
import {
  CUSTOMER_GROUPS,
  isRosterInitialized,
  listProviders,
  PROVIDER_GROUPS,
  PROVIDER_TIME_OFF,
  readSettings,
  rosterMaps,
  SERVICE_GROUPS,
} from '../doc/roster';
import { fail, notFound, ok } from '../result';
import { ADMIN, defineCommand, OFFICE, validationFailure } from './define';

const PROVIDER_PALETTE = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#0891b2', '#dc2626', '#4f46e5', '#65a30d'];

function writeSettings(map: Y.Map<unknown>, settings: Partial<Settings>) {
  for (const [key, value] of Object.entries(settings)) if (map.get(key) !== value) map.set(key, value);
}

export const rosterCommands = {
  initializeOrganization: defineCommand({
    doc: 'roster',
    roles: ADMIN,
    input: settingsFieldsSchema.partial(),
    plan(ctx, input) {
      if (isRosterInitialized(ctx.roster)) return fail('conflict', 'The organization is already set up');
      const parsed = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...input });
      if (!parsed.success) return validationFailure(parsed.error);
      return ok(() => {
        writeSettings(rosterMaps(ctx.roster).settings, parsed.data);
        markSchemaVersion(ctx.roster, ctx.knownDocFormat);
      });
    },
  }),

  updateSettings: defineCommand({
    doc: 'roster',
    roles: ADMIN,
    input: settingsFieldsSchema.partial(),
    plan(ctx, input) {
      const parsed = settingsSchema.safeParse({ ...readSettings(ctx.roster), ...input });
      if (!parsed.success) return validationFailure(parsed.error);
      // Only the keys the user changed are written, so concurrent edits of other settings survive.
      return ok(() => writeSettings(rosterMaps(ctx.roster).settings, input));
    },
  }),

  createProvider: defineCommand({
    doc: 'roster',
    roles: OFFICE,
    input: providerFieldsSchema.partial().extend({ name: providerFieldsSchema.shape.name }),
    plan(ctx, input) {
      const { providers } = rosterMaps(ctx.roster);
      // Only scan the roster when the caller did not choose a place in the order.
      const order = input.sortOrder ?? Math.max(0, ...listProviders(ctx.roster).map((p) => p.sortOrder)) + 1;
      const fields: ProviderFields = {
        email: '',
        phone: '',
        address: '',
        coordinates: null,
        color: PROVIDER_PALETTE[providers.size % PROVIDER_PALETTE.length]!,
        chatHandle: '',
        skills: [],
        channels: { email: true, sms: false, chat: false },
        active: true,
        weeklyHours: readSettings(ctx.roster).defaultWeeklyHours,
        sortOrder: order,
        ...input,
      };
      const id = ctx.newId();
      return ok(() => {
        const record = newRecord(providers, id, PROVIDER_GROUPS, fields);
        record.set(PROVIDER_TIME_OFF, new Y.Map<TimeOff>());
        return { id };
      });
    },
  }),

  updateProvider: defineCommand({
    doc: 'roster',
    roles: OFFICE,
    input: providerFieldsSchema.partial().extend({ id: idSchema }),
    plan(ctx, { id, ...patch }) {
      const record = recordOf(rosterMaps(ctx.roster).providers, id);
      if (!record) return notFound('id', 'Service provider', id);
      return ok(() => writeGroups(record, PROVIDER_GROUPS, patch));
    },
  }),

  addTimeOff: defineCommand({
    doc: 'roster',
    roles: OFFICE,
    input: z.object({
      providerId: idSchema,
      start: timeOffSchema.shape.start,
      end: timeOffSchema.shape.end,
      reason: timeOffSchema.shape.reason.default(''),
    }),
    plan(ctx, { providerId, ...span }) {
      const record = recordOf(rosterMaps(ctx.roster).providers, providerId);
      if (!record) return notFound('providerId', 'Service provider', providerId);
      const id = ctx.newId();
      const parsed = timeOffSchema.safeParse({ id, ...span });
      if (!parsed.success) return validationFailure(parsed.error);
      return ok(() => {
        let map = record.get(PROVIDER_TIME_OFF) as Y.Map<TimeOff> | undefined;
        if (!map) {
          map = new Y.Map<TimeOff>();
          record.set(PROVIDER_TIME_OFF, map);
        }
        map.set(id, parsed.data);
        return { id };
      });
    },
  }),

  removeTimeOff: defineCommand({
    doc: 'roster',
    roles: OFFICE,
    input: z.object({ providerId: idSchema, timeOffId: idSchema }),
    plan(ctx, { providerId, timeOffId }) {
      const record = recordOf(rosterMaps(ctx.roster).providers, providerId);
      if (!record) return notFound('providerId', 'Service provider', providerId);
      const map = record.get(PROVIDER_TIME_OFF) as Y.Map<TimeOff> | undefined;
      if (!map?.has(timeOffId)) return notFound('timeOffId', 'Time off', timeOffId);
      return ok(() => map.delete(timeOffId));
    },
  }),

  createCustomer: defineCommand({
    doc: 'roster',
    roles: OFFICE,
    input: customerFieldsSchema.partial().extend({ name: customerFieldsSchema.shape.name }),
    plan(ctx, input) {
      const id = ctx.newId();
      const fields = {
        email: '',
        phone: '',
        address: '',
        coordinates: null,
        notes: '',
        channels: { email: true, sms: false },
        ...input,
      };
      return ok(() => {
        newRecord(rosterMaps(ctx.roster).customers, id, CUSTOMER_GROUPS, fields);
        return { id };
      });
    },
  }),

  updateCustomer: defineCommand({
    doc: 'roster',
    roles: OFFICE,
    input: customerFieldsSchema.partial().extend({ id: idSchema }),
    plan(ctx, { id, ...patch }) {
      const record = recordOf(rosterMaps(ctx.roster).customers, id);
      if (!record) return notFound('id', 'Customer', id);
      return ok(() => writeGroups(record, CUSTOMER_GROUPS, patch));
    },
  }),

  createService: defineCommand({
    doc: 'roster',
    roles: OFFICE,
    input: serviceFieldsSchema.partial().extend({ name: serviceFieldsSchema.shape.name }),
    plan(ctx, input) {
      const id = ctx.newId();
      const fields = { durationMinutes: 60, laborHours: 1, teamSize: 1, requiredSkills: [], active: true, ...input };
      return ok(() => {
        newRecord(rosterMaps(ctx.roster).services, id, SERVICE_GROUPS, fields);
        return { id };
      });
    },
  }),

  updateService: defineCommand({
    doc: 'roster',
    roles: OFFICE,
    input: serviceFieldsSchema.partial().extend({ id: idSchema }),
    plan(ctx, { id, ...patch }) {
      const record = recordOf(rosterMaps(ctx.roster).services, id);
      if (!record) return notFound('id', 'Service', id);
      return ok(() => writeGroups(record, SERVICE_GROUPS, patch));
    },
  }),
};
