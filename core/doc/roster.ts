import { SCHEMA_MAP } from './schema-version';
import * as Y from 'yjs';
import {
  DEFAULT_SETTINGS,
  type Customer,
  type Provider,
  type Service,
  type Settings,
  type TimeOff,
} from '../model';
import { CUSTOMER_GROUPS, PROVIDER_GROUPS, PROVIDER_TIME_OFF, SERVICE_GROUPS } from './groups';
import { settingProblem, timeOffProblem } from './record-checks';
import { readableEntries, readableRecord, readGroups } from './records';
import { passOver } from './unreadable';
import type { ConflictWorld } from '../conflicts';

/** Roster document `org/<orgId>/roster`: settings, providers, customers, services (docs/design.md §4). */
export { CUSTOMER_GROUPS, PROVIDER_GROUPS, PROVIDER_TIME_OFF, SERVICE_GROUPS } from './groups';

export const rosterMaps = (doc: Y.Doc) => ({
  /** One key per setting: settings are independent of each other. */
  settings: doc.getMap<unknown>('settings'),
  providers: doc.getMap<Y.Map<unknown>>('providers'),
  customers: doc.getMap<Y.Map<unknown>>('customers'),
  services: doc.getMap<Y.Map<unknown>>('services'),
  /** The documents' format mark (`schema-version.ts`). */
  schema: doc.getMap<unknown>(SCHEMA_MAP),
});

/** The stored settings over the defaults; a stored value that is not a valid setting counts as not set. */
export function readSettings(doc: Y.Doc): Settings {
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const [key, value] of rosterMaps(doc).settings.entries()) {
    if (!Object.hasOwn(DEFAULT_SETTINGS, key)) continue;
    const problem = settingProblem(key, value);
    if (problem) passOver('setting', key, problem);
    else settings[key] = value;
  }
  return settings as Settings;
}

export const isRosterInitialized = (doc: Y.Doc): boolean => rosterMaps(doc).settings.has('timeZone');

/**
 * Readers are total: a record can be seen with a field group missing (an update whose insert waits for an
 * earlier update that has not arrived, while its delete of the old value already applied). Defaults fill
 * the gap until the rest arrives, so projections and the board never meet a half record.
 */
const PROVIDER_DEFAULTS: Omit<Provider, 'id' | 'timeOff'> = {
  name: '',
  email: '',
  phone: '',
  address: '',
  coordinates: null,
  color: '#64748b',
  chatHandle: '',
  skills: [],
  channels: { email: false, sms: false, chat: false },
  active: true,
  weeklyHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
  sortOrder: 0,
};
const CUSTOMER_DEFAULTS: Omit<Customer, 'id'> = {
  name: '',
  email: '',
  phone: '',
  address: '',
  coordinates: null,
  notes: '',
  channels: { email: false, sms: false },
};
const SERVICE_DEFAULTS: Omit<Service, 'id'> = {
  name: '',
  durationMinutes: 60,
  laborHours: 1,
  teamSize: 1,
  requiredSkills: [],
  active: true,
};

export function readProvider(id: string, record: Y.Map<unknown>): Provider {
  const stored = record.get(PROVIDER_TIME_OFF);
  const timeOff: TimeOff[] = [];
  if (stored instanceof Y.Map) {
    for (const [key, entry] of stored.entries()) {
      const problem = timeOffProblem(key, entry);
      if (problem) passOver('provider', id, problem);
      else timeOff.push(entry as TimeOff);
    }
  }
  // Y.Map iteration order differs between replicas, so ties must be broken by something they share.
  timeOff.sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
  return { id, ...PROVIDER_DEFAULTS, ...readGroups(record, PROVIDER_GROUPS), timeOff };
}

export const readCustomer = (id: string, record: Y.Map<unknown>): Customer => ({
  id,
  ...CUSTOMER_DEFAULTS,
  ...readGroups(record, CUSTOMER_GROUPS),
});

export const readService = (id: string, record: Y.Map<unknown>): Service => ({
  id,
  ...SERVICE_DEFAULTS,
  ...readGroups(record, SERVICE_GROUPS),
});

export function getProvider(doc: Y.Doc, id: string): Provider | undefined {
  const record = readableRecord('providers', rosterMaps(doc).providers, id);
  return record ? readProvider(id, record) : undefined;
}
export function getCustomer(doc: Y.Doc, id: string): Customer | undefined {
  const record = readableRecord('customers', rosterMaps(doc).customers, id);
  return record ? readCustomer(id, record) : undefined;
}
export function getService(doc: Y.Doc, id: string): Service | undefined {
  const record = readableRecord('services', rosterMaps(doc).services, id);
  return record ? readService(id, record) : undefined;
}

export const listProviders = (doc: Y.Doc): Provider[] =>
  readableEntries('providers', rosterMaps(doc).providers)
    .map(([id, r]) => readProvider(id, r))
    .sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
export const listCustomers = (doc: Y.Doc): Customer[] =>
  readableEntries('customers', rosterMaps(doc).customers).map(([id, r]) => readCustomer(id, r));
export const listServices = (doc: Y.Doc): Service[] =>
  readableEntries('services', rosterMaps(doc).services).map(([id, r]) => readService(id, r));

/** What the conflict engine needs to know about the organization, read from the roster document. */
export function conflictWorldOf(doc: Y.Doc): ConflictWorld {
  return {
    settings: readSettings(doc),
    providers: new Map(listProviders(doc).map((p) => [p.id, p])),
    services: new Map(listServices(doc).map((s) => [s.id, s])),
  };
}
