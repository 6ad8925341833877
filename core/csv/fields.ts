import type { ImportFieldInfo, ImportKind, ImportMapping } from './kinds';

/**
 * The fields each kind imports, with the label of the form that edits them, and the headers other tools
 * write for them: our own export (the label), plain spreadsheets (English and German), Google Contacts
 * (old and new CSV layouts), Outlook's CSV export, and Jobber's client and job exports. Data, not code:
 * to recognise another tool's file, add its headers here, best match first.
 *
 * A header matches an alias when both are equal after dropping case, accents, spaces and punctuation
 * ("E-mail 1 - Value" = "email1value"), so "E-mail", "Email" and "EMAIL" are one alias.
 */
export interface ImportField extends ImportFieldInfo {
  aliases: readonly string[];
}

const ID: ImportField = {
  key: 'id',
  label: 'Crewline ID',
  hint: 'Written by Crewline exports: a re-import updates that record.',
  aliases: ['Crewline ID', 'ID', 'Record ID'],
};

const PERSON_NAME = ['Name', 'Full name', 'Display name', 'Contact name'];
const FIRST_NAME: ImportField = {
  key: 'firstName',
  label: 'First name',
  hint: 'Joined with Last name when there is no Name column.',
  aliases: ['First name', 'Given name', 'Firstname', 'Forename', 'Vorname'],
};
const LAST_NAME: ImportField = {
  key: 'lastName',
  label: 'Last name',
  aliases: ['Last name', 'Family name', 'Surname', 'Lastname', 'Nachname'],
};
const EMAIL_ALIASES = [
  'Email',
  'Email address',
  'E-mail 1 - Value',
  'Primary email',
  'E-mails',
  'Email 1',
  'Work email',
  'Home email',
  'E-mail 2 Address',
  'Mail',
  'E-Mail-Adresse',
];
const PHONE_ALIASES = [
  'Phone',
  'Phone number',
  'Mobile phone',
  'Mobile',
  'Cell',
  'Cell phone',
  'Phone 1 - Value',
  'Primary phone',
  'Business phone',
  'Home phone',
  'Main Phone #s',
  'Mobile Phone #s',
  'Work phone',
  'Telephone',
  'Tel',
  'Telefon',
  'Mobiltelefon',
  'Handy',
];
/** The address in one column; when there is none, it is put together from the parts below. */
const ADDRESS_ALIASES = [
  'Address',
  'Full address',
  'Street address',
  'Address 1 - Formatted',
  'Business Address',
  'Home Address',
  'Mailing address',
  'Adresse',
  'Anschrift',
];
const ADDRESS_PARTS = (prefixes: readonly string[]): ImportField[] => {
  const withPrefixes = (names: readonly string[]) => [...names, ...prefixes.flatMap((p) => names.map((n) => `${p} ${n}`))];
  return [
    {
      key: 'street',
      label: 'Street',
      hint: 'With City, State, ZIP and Country, makes the address when there is no Address column.',
      aliases: [
        'Street',
        'Street 1',
        'Address line 1',
        'Address 1 - Street',
        'Business Street',
        'Home Street',
        'Service street',
        'Service Street 1',
        'Billing Street 1',
        'Billing street',
        'Property street',
        ...withPrefixes(['Street']),
        'Straße',
        'Strasse',
      ],
    },
    {
      key: 'street2',
      label: 'Street (line 2)',
      aliases: ['Street 2', 'Address line 2', 'Business Street 2', 'Home Street 2', 'Service Street 2', 'Billing Street 2', 'Address 1 - Extended Address'],
    },
    {
      key: 'city',
      label: 'City',
      aliases: ['City', 'Town', 'Address 1 - City', 'Business City', 'Home City', 'Service city', 'Billing City', 'Property city', ...withPrefixes(['City']), 'Ort', 'Stadt'],
    },
    {
      key: 'region',
      label: 'State / province',
      aliases: [
        'State',
        'Province',
        'Region',
        'State/Province',
        'Address 1 - Region',
        'Business State',
        'Home State',
        'Service province',
        'Service state',
        'Billing State',
        'Billing province',
        'Property province',
        'Bundesland',
      ],
    },
    {
      key: 'postalCode',
      label: 'ZIP / postal code',
      aliases: [
        'ZIP',
        'ZIP code',
        'Postal code',
        'Postcode',
        'Post code',
        'Address 1 - Postal Code',
        'Business Postal Code',
        'Home Postal Code',
        'Service ZIP',
        'Service zip code',
        'Service postal code',
        'Billing Zip code',
        'Billing postal code',
        'Property postal code',
        'PLZ',
        'Postleitzahl',
      ],
    },
    {
      key: 'country',
      label: 'Country',
      aliases: ['Country', 'Address 1 - Country', 'Business Country/Region', 'Home Country/Region', 'Service country', 'Billing country', 'Land'],
    },
  ];
};
const ACTIVE = (hint: string): ImportField => ({
  key: 'active',
  label: 'Active',
  hint: `${hint} Yes/No, True/False, 1/0, Active/Inactive.`,
  aliases: ['Active', 'Status', 'Enabled', 'Aktiv'],
});
const NOTES = ['Notes', 'Note', 'Comments', 'Comment', 'Remarks', 'Notizen', 'Bemerkungen'];

export const IMPORT_FIELDS: Readonly<Record<ImportKind, readonly ImportField[]>> = {
  providers: [
    { key: 'name', label: 'Name', aliases: [...PERSON_NAME, 'Technician', 'Team member', 'Employee', 'Employee name', 'Service provider', 'Provider', 'Techniker', 'Mitarbeiter'] },
    FIRST_NAME,
    LAST_NAME,
    { key: 'email', label: 'Email', aliases: EMAIL_ALIASES },
    { key: 'phone', label: 'Phone', aliases: PHONE_ALIASES },
    { key: 'address', label: 'Address', hint: 'Start point / home base for route sheets.', aliases: ADDRESS_ALIASES },
    ...ADDRESS_PARTS(['Home', 'Business']),
    { key: 'skills', label: 'Skills', hint: 'Separated by ; or ,', aliases: ['Skills', 'Skill', 'Qualifications', 'Certifications', 'Trades', 'Fähigkeiten'] },
    { key: 'chatHandle', label: 'Team chat handle', aliases: ['Team chat handle', 'Chat handle', 'Chat', 'Slack', 'Slack handle', 'Teams'] },
    { key: 'color', label: 'Color', hint: 'Like #3366cc.', aliases: ['Color', 'Colour', 'Calendar color', 'Farbe'] },
    ACTIVE('Whether jobs can be assigned to them.'),
    ID,
  ],
  customers: [
    {
      key: 'name',
      label: 'Name',
      hint: 'When empty: First name + Last name, else Company.',
      aliases: [...PERSON_NAME, 'Customer', 'Customer name', 'Client', 'Client name', 'Kunde', 'Kundenname'],
    },
    FIRST_NAME,
    LAST_NAME,
    {
      key: 'company',
      label: 'Company',
      hint: 'The name when the row names no person.',
      aliases: ['Company', 'Company name', 'Organization', 'Organization name', 'Organization 1 - Name', 'Business name', 'Firma', 'Firmenname'],
    },
    { key: 'email', label: 'Email', aliases: [...EMAIL_ALIASES, 'Client email', 'Customer email'] },
    { key: 'phone', label: 'Phone', aliases: [...PHONE_ALIASES, 'Client phone', 'Customer phone'] },
    { key: 'address', label: 'Address', hint: 'Where jobs for this customer happen by default.', aliases: [...ADDRESS_ALIASES, 'Service address', 'Property address'] },
    ...ADDRESS_PARTS(['Service', 'Home', 'Business', 'Billing']),
    { key: 'notes', label: 'Notes', aliases: NOTES },
    ID,
  ],
  services: [
    { key: 'name', label: 'Name', aliases: ['Name', 'Service', 'Service name', 'Product/Service', 'Item', 'Item name', 'Leistung', 'Dienstleistung'] },
    {
      key: 'durationMinutes',
      label: 'Duration (minutes)',
      hint: 'Minutes (90), h:mm (1:30) or with units (1.5 h, 1h 30m).',
      aliases: ['Duration (minutes)', 'Duration', 'Minutes', 'Length', 'Default duration', 'Dauer', 'Dauer (Minuten)'],
    },
    { key: 'laborHours', label: 'Labor hours', aliases: ['Labor hours', 'Labour hours', 'Hours', 'Man hours', 'Person hours', 'Arbeitsstunden'] },
    { key: 'teamSize', label: 'Team size', aliases: ['Team size', 'Crew size', 'Technicians needed', 'People', 'Teamgröße'] },
    { key: 'requiredSkills', label: 'Required skills', hint: 'Separated by ; or ,', aliases: ['Required skills', 'Skills', 'Skill'] },
    ACTIVE('Whether it is offered for new jobs.'),
    ID,
  ],
  jobs: [
    {
      key: 'title',
      label: 'Title',
      hint: 'When empty, the service name.',
      aliases: ['Title', 'Job title', 'Job', 'Job name', 'Summary', 'Subject', 'Visit title', 'Titel', 'Auftrag'],
    },
    {
      key: 'customer',
      label: 'Customer',
      hint: 'Name, email or Crewline ID of an existing customer.',
      aliases: ['Customer', 'Customer name', 'Client', 'Client name', 'Contact', 'Kunde'],
    },
    { key: 'customerEmail', label: 'Customer email', hint: 'Tells customers of the same name apart.', aliases: ['Customer email', 'Client email', 'Client e-mail', 'Kunden-E-Mail'] },
    { key: 'service', label: 'Service', hint: 'Name of an existing service.', aliases: ['Service', 'Service name', 'Service type', 'Job type', 'Leistung'] },
    {
      key: 'date',
      label: 'Date',
      hint: 'When Start holds only a time.',
      aliases: ['Date', 'Start date', 'Visit date', 'Scheduled date', 'Schedule date', 'Job date', 'Appointment date', 'Datum'],
    },
    {
      key: 'start',
      label: 'Start',
      hint: 'A time (with Date), or a date and time.',
      aliases: ['Start', 'Start time', 'Schedule start', 'Scheduled start', 'Starts', 'Start date/time', 'Time', 'From', 'Beginn', 'Startzeit', 'Von'],
    },
    {
      key: 'end',
      label: 'End',
      hint: 'A time on the start day, or a date and time.',
      aliases: ['End', 'End time', 'Schedule end', 'Scheduled end', 'Ends', 'Finish', 'End date/time', 'To', 'Ende', 'Endzeit', 'Bis'],
    },
    {
      key: 'duration',
      label: 'Duration (minutes)',
      hint: 'When there is no End: minutes (90), h:mm (1:30) or with units (1.5 h).',
      aliases: ['Duration (minutes)', 'Duration', 'Minutes', 'Length', 'Dauer', 'Dauer (Minuten)'],
    },
    {
      key: 'assignees',
      label: 'Assignees',
      hint: 'Names or emails of service providers, separated by ; or ,',
      aliases: ['Assignees', 'Assigned to', 'Assignee', 'Technicians', 'Technician', 'Team', 'Visit team', 'Crew', 'Employees', 'Employee', 'Provider', 'Techniker', 'Mitarbeiter'],
    },
    { key: 'priority', label: 'Priority', hint: 'Low, Normal, High or Emergency.', aliases: ['Priority', 'Urgency', 'Priorität'] },
    { key: 'teamSize', label: 'Team size', aliases: ['Team size', 'Crew size', 'Technicians needed'] },
    { key: 'laborHours', label: 'Labor hours', aliases: ['Labor hours', 'Labour hours', 'Man hours'] },
    {
      key: 'address',
      label: 'Address',
      hint: "When empty on a new job, the customer's address.",
      aliases: ['Address', 'Service address', 'Job address', 'Property address', 'Location', 'Site', 'Adresse', 'Einsatzort'],
    },
    ...ADDRESS_PARTS(['Service', 'Property']),
    { key: 'notes', label: 'Notes', aliases: [...NOTES, 'Instructions', 'Job instructions', 'Visit instructions', 'Description'] },
    ID,
  ],
};

/** At least one of these fields must have a column (the record's name, in one of its forms). */
export const REQUIRED_FIELDS: Readonly<Record<ImportKind, readonly string[]>> = {
  providers: ['name', 'firstName', 'lastName'],
  customers: ['name', 'firstName', 'lastName', 'company'],
  services: ['name'],
  jobs: ['title', 'service'],
};

/** "E-mail 1 - Value" -> "email1value": case, accents, spaces and punctuation do not count. */
export const headerKey = (header: string): string =>
  header
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');

const aliasKeys = new Map<ImportKind, Array<{ field: string; keys: string[] }>>();
function keysOf(kind: ImportKind) {
  let keys = aliasKeys.get(kind);
  if (!keys) {
    keys = IMPORT_FIELDS[kind].map((f) => ({ field: f.key, keys: [...new Set([f.label, ...f.aliases].map(headerKey))] }));
    aliasKeys.set(kind, keys);
  }
  return keys;
}

/**
 * A mapping from the headers alone: each field takes the column matching its best alias; a column fills
 * one field. Ties between fields go to the better-ranked alias, then to the field listed first.
 */
export function guessMapping(kind: ImportKind, columns: readonly string[]): ImportMapping {
  const byKey = new Map<string, number[]>();
  columns.forEach((column, index) => {
    const key = headerKey(column);
    if (!key) return;
    byKey.set(key, [...(byKey.get(key) ?? []), index]);
  });
  const candidates: Array<{ field: string; column: number; rank: number; order: number }> = [];
  keysOf(kind).forEach(({ field, keys }, order) => {
    keys.forEach((key, rank) => {
      for (const column of byKey.get(key) ?? []) candidates.push({ field, column, rank, order });
    });
  });
  candidates.sort((a, b) => a.rank - b.rank || a.order - b.order || a.column - b.column);
  const mapping: ImportMapping = Object.fromEntries(IMPORT_FIELDS[kind].map((f) => [f.key, null]));
  const used = new Set<number>();
  for (const c of candidates) {
    if (mapping[c.field] !== null || used.has(c.column)) continue;
    mapping[c.field] = columns[c.column]!;
    used.add(c.column);
  }
  return mapping;
}

export const fieldLabel = (kind: ImportKind, key: string): string =>
  IMPORT_FIELDS[kind].find((f) => f.key === key)?.label ?? key;
