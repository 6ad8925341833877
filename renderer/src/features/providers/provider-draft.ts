import { DEFAULT_SETTINGS, type Channels, type Provider, type ProviderFields, type WeeklyHours } from '../../../../core/model';
import { WEEKDAYS } from '../../../../core/time';
import { normalizeTime, numberText, parseCoordinates, parseNumber } from '../forms/values';
import type { ContactDraft } from '../forms/ContactFields';

/** What the provider form edits: inputs as strings, converted to ProviderFields on submit. */
export interface ProviderDraft extends ContactDraft {
  color: string;
  chatHandle: string;
  skills: string[];
  channels: Channels;
  active: boolean;
  /** Blank: last in the order for a new provider, unchanged for an existing one. */
  sortOrder: string;
  weeklyHours: WeeklyHours;
}

/** The same palette the backend picks from when no color is given. */
export const PROVIDER_PALETTE = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#0891b2', '#dc2626', '#4f46e5', '#65a30d'];

/** A copy of a week, so editing the draft never edits the settings it came from. */
const copyWeek = (week: WeeklyHours): WeeklyHours =>
  Object.fromEntries(WEEKDAYS.map((d) => [d, week[d].map((i) => ({ ...i }))])) as WeeklyHours;

/** A new provider's form: hours start from the organization's usual week (`defaultWeeklyHours`). */
export function newProviderDraft(existingProviders: number, usualWeek: WeeklyHours = DEFAULT_SETTINGS.defaultWeeklyHours): ProviderDraft {
  return {
    name: '',
    email: '',
    phone: '',
    address: '',
    lat: '',
    lng: '',
    color: PROVIDER_PALETTE[existingProviders % PROVIDER_PALETTE.length]!,
    chatHandle: '',
    skills: [],
    channels: { email: true, sms: false, chat: false },
    active: true,
    sortOrder: '',
    weeklyHours: copyWeek(usualWeek),
  };
}

export function draftFromProvider(p: Provider): ProviderDraft {
  return {
    name: p.name,
    email: p.email,
    phone: p.phone,
    address: p.address,
    lat: numberText(p.coordinates?.lat),
    lng: numberText(p.coordinates?.lng),
    color: p.color,
    chatHandle: p.chatHandle,
    skills: [...p.skills],
    channels: { ...p.channels },
    active: p.active,
    sortOrder: numberText(p.sortOrder),
    weeklyHours: copyWeek(p.weeklyHours),
  };
}

/** Draft -> command fields, plus the errors found before sending (values that cannot even be sent). */
export function fieldsFromDraft(d: ProviderDraft): { fields: Partial<ProviderFields> & { name: string }; errors: Record<string, string> } {
  const coordinates = parseCoordinates(d.lat, d.lng);
  const errors: Record<string, string> = { ...coordinates.errors };
  const fields: Partial<ProviderFields> & { name: string } = {
    name: d.name,
    email: d.email.trim(),
    phone: d.phone,
    address: d.address,
    coordinates: coordinates.value,
    color: d.color,
    chatHandle: d.chatHandle,
    skills: d.skills,
    channels: d.channels,
    active: d.active,
    weeklyHours: Object.fromEntries(
      WEEKDAYS.map((day) => [day, d.weeklyHours[day].map((i) => ({ start: normalizeTime(i.start), end: normalizeTime(i.end) }))]),
    ) as WeeklyHours,
  };
  const order = parseNumber(d.sortOrder);
  if (order === 'invalid') errors.sortOrder = 'Must be a whole number';
  else if (order !== null) fields.sortOrder = order;
  return { fields, errors };
}
