import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../core/clock';
import { MAX_CSV_CHARS, type ImportKind, type ImportMapping } from '../../../core/csv/index';
import { rosterMaps, scheduleMaps, type Actor, type BackendClient } from '../../../core/index';
import { LocalStore } from '../store/local-store';
import { dumpReadTables } from '../store/testing/tables';
import { tempDir } from '../store/testing/temp-dir';
import { BackendApi, directClient } from './backend-api';
import { readCsvText, writeCsvText } from './import-api';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const dispatcher: Actor = { id: 'u1', name: 'Dana Dispatcher', role: 'dispatcher' };
const admin: Actor = { id: 'a', name: 'Admin', role: 'admin' };

function open() {
  const tmp = tempDir();
  const store = LocalStore.open(tmp.file('ws.sqlite'), { actor: dispatcher, clock: fixedClock(Date.parse('2026-11-23T12:00:00Z')) });
  cleanups.push(() => {
    if (store.db.open) store.close();
    tmp.cleanup();
  });
  const client = directClient(new BackendApi(store, { version: 'test', transport: 'websocket' }));
  return { store, client };
}

async function must<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Acme in Chicago: two providers, two customers, two services. */
async function seeded() {
  const { store, client } = open();
  store.execute('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' }, admin);
  const run = async (name: string, input: unknown) => (await must(client.request('commands:run', { name, input }))) as { id: string };
  const ids = {
    ana: (await run('createProvider', { name: 'Ana Silva', email: 'ana@acme.example', skills: ['HVAC'] })).id,
    bo: (await run('createProvider', { name: 'Bo Chen', email: 'bo@acme.example' })).id,
    smith: (await run('createCustomer', { name: 'Smith Residence', email: 'smith@example.com', address: '12 Oak St, Chicago, IL 60601' })).id,
    jones: (await run('createCustomer', { name: 'Jones Bakery', phone: '+1 312 555 0100' })).id,
    tuneUp: (await run('createService', { name: 'AC tune-up', durationMinutes: 90, laborHours: 1.5 })).id,
    install: (await run('createService', { name: 'Panel install', durationMinutes: 240, laborHours: 8, teamSize: 2 })).id,
  };
  store.clearUndoHistory();
  return { store, client, ids };
}

const csv = (...lines: string[]) => lines.join('\n');
const preview = (client: BackendClient, kind: ImportKind, csvText: string, mapping?: ImportMapping) =>
  must(client.request('import:preview', { kind, csvText, ...(mapping ? { mapping } : {}) }));
async function commit(client: BackendClient, kind: ImportKind, csvText: string, mapping?: ImportMapping) {
  const used = mapping ?? (await preview(client, kind, csvText)).mapping;
  return must(client.request('import:commit', { kind, csvText, mapping: used }));
}

/** The documents' content a user can see and undo (history logs are kept by design; see the jobs test). */
/** `value` with every group entry's stamps (`_s`, `_b`) left out: what an undo restores is values, stamped anew. */
function withoutStamps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutStamps);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== '_s' && key !== '_b').map(([key, v]) => [key, withoutStamps(v)]));
}

function content(store: LocalStore) {
  const r = rosterMaps(store.docs.roster);
  const s = scheduleMaps(store.docs.schedule);
  return {
    settings: r.settings.toJSON(),
    providers: r.providers.toJSON(),
    customers: r.customers.toJSON(),
    services: r.services.toJSON(),
    bookings: s.bookings.toJSON(),
    archived: s.archived.toJSON(),
    notificationRequests: s.notificationRequests.toJSON(),
    tables: dumpReadTables(store.db),
  };
}
const updateRows = (store: LocalStore) => store.db.prepare('SELECT count(*) FROM doc_updates').pluck().get() as number;

describe('reading real-world CSV files', () => {
  it('reads a BOM, CRLF, semicolons and quoted values holding delimiters, quotes and line breaks, with their line numbers', async () => {
    const { client } = await seeded();
    const text =
      '\uFEFFName;E-Mail;Adresse;Notizen\r\n' +
      '"Müller, Hans";hans@example.de;"Hauptstr. 1\r\n10115 Berlin";"Sagt ""Moin"""\r\n' +
      '\r\n' +
      'Zoë Schmidt;zoe@example.de;Weg 2, Köln;\r\n';
    const p = await preview(client, 'customers', text);
    expect(p.delimiter).toBe(';');
    expect(p.columns).toEqual(['Name', 'E-Mail', 'Adresse', 'Notizen']);
    expect(p.mapping).toMatchObject({ name: 'Name', email: 'E-Mail', address: 'Adresse', notes: 'Notizen' });
    expect(p.rows.map((r) => [r.line, r.outcome, r.values.Name])).toEqual([
      [2, 'create', 'Müller, Hans'],
      [5, 'create', 'Zoë Schmidt'], // the quoted line break and the blank line both count
    ]);
    expect(p.rows[0]!.values).toMatchObject({ Adresse: 'Hauptstr. 1\r\n10115 Berlin', Notizen: 'Sagt "Moin"' });
    const done = await commit(client, 'customers', text);
    expect(done).toMatchObject({ created: 2, rejected: 0, rejectedCsv: '' });
    const customers = await must(client.request('customers:list', {}));
    // A line break inside one address column becomes a comma: one line, as the form has it.
    expect(customers.find((c) => c.name === 'Müller, Hans')).toMatchObject({ address: 'Hauptstr. 1, 10115 Berlin', notes: 'Sagt "Moin"' });
  });

  it('reads tab-separated and old-Mac (CR) files', () => {
    const tabs = readCsvText('Name\tEmail\r\nAna\tana@x.example\r\n');
    expect(tabs.ok && tabs.value.table).toMatchObject({ delimiter: '\t', columns: ['Name', 'Email'], rows: [{ line: 2, cells: ['Ana', 'ana@x.example'] }] });
    const cr = readCsvText('Name,Email\r"A\rB",a@x.example\rC,c@x.example');
    expect(cr.ok && cr.value.table.rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it('refuses what is not a CSV text file, with a reason a person can act on', async () => {
    const { client } = await seeded();
    const refused = async (csvText: string) => {
      const r = await client.request('import:preview', { kind: 'customers', csvText });
      expect(r.ok).toBe(false);
      return !r.ok ? r.error : null!;
    };
    expect((await refused('PK\u0003\u0004\u0014\u0000\u0006\u0000[Content_Types].xml')).message).toMatch(/Excel workbook.*CSV UTF-8/);
    expect((await refused('\u0000\u0001\u0002binary\u0000stuff')).message).toMatch(/not a text file/);
    expect((await refused('%PDF-1.7\n1 0 obj')).message).toMatch(/PDF/);
    expect((await refused('<!DOCTYPE html><html><body>hi</body></html>')).message).toMatch(/HTML/);
    expect((await refused('[{"name": "Ana"}]')).message).toMatch(/JSON/);
    expect((await refused('  \r\n\r\n')).message).toBe('The file is empty');
    const open = await refused('Name,Notes\nAna,"never closed\nBo,fine\n');
    expect(open).toMatchObject({ code: 'validation', fieldErrors: { csvText: expect.stringMatching(/^Line 2: a quoted value is never closed/) } });
  });

  it('refuses a file over 20 MB at the contract, before any handler runs', async () => {
    const { client } = await seeded();
    const big = `Name\n${'x'.repeat(MAX_CSV_CHARS)}`;
    const r = await client.request('import:preview', { kind: 'customers', csvText: big });
    expect(!r.ok && r.error).toMatchObject({ code: 'validation', fieldErrors: { csvText: 'The file is larger than 20 MB: split it into smaller files' } });
  });

  it('warns about characters that were not UTF-8, and flags a row with more values than columns', async () => {
    const { client } = await seeded();
    const p = await preview(client, 'customers', csv('Name,Email', 'M\uFFFDller,m@x.example', 'Ana,ana@x.example,extra,values'));
    expect(p.warnings).toEqual([expect.stringMatching(/^1 character was not UTF-8 text/)]);
    expect(p.rows[1]).toMatchObject({ outcome: 'error', errors: [{ column: null, message: expect.stringMatching(/^2 more values than the header has columns/) }] });
  });
});

describe('mapping, validation and errors per row', () => {
  it('imports a Google Contacts export: names joined, the first of several emails, the address put together', async () => {
    const { client } = await seeded();
    const text = writeCsvText(
      ['Name', 'Given Name', 'Family Name', 'E-mail 1 - Type', 'E-mail 1 - Value', 'Phone 1 - Type', 'Phone 1 - Value', 'Address 1 - Street', 'Address 1 - City', 'Address 1 - Region', 'Address 1 - Postal Code', 'Organization 1 - Name'],
      [
        ['', 'Grace', 'Hopper', '* Home', 'grace@example.com ::: g.hopper@navy.example', 'Mobile', '+1 312 555 0142 ::: +1 312 555 0143', '233 S Wacker Dr', 'Chicago', 'IL', '60606', ''],
        ['', '', '', '', 'info@lakeview.example', '', '', '', '', '', '', 'Lakeview Dental'],
      ],
    );
    const p = await preview(client, 'customers', text);
    expect(p.mappingSource).toBe('guessed');
    expect(p.counts).toMatchObject({ total: 2, create: 2, error: 0 });
    await commit(client, 'customers', text);
    const customers = await must(client.request('customers:list', {}));
    expect(customers.find((c) => c.email === 'grace@example.com')).toMatchObject({
      name: 'Grace Hopper',
      phone: '+1 312 555 0142',
      address: '233 S Wacker Dr, Chicago, IL 60606',
    });
    expect(customers.find((c) => c.email === 'info@lakeview.example')?.name).toBe('Lakeview Dental');
  });

  it("imports Jobber's client export", async () => {
    const { client } = await seeded();
    const text = writeCsvText(
      ['J-ID', 'Display Name', 'Company Name', 'Title', 'First Name', 'Last Name', 'Main Phone #s', 'E-mails', 'Service Street 1', 'Service Street 2', 'Service City', 'Service State', 'Service Zip code', 'Tags'],
      [
        ['48213', 'Priya Nair', '', 'Ms.', 'Priya', 'Nair', '312-555-0150', 'priya@example.com', '900 N Lake Shore Dr', 'Apt 12B', 'Chicago', 'IL', '60611', 'vip'],
        ['48214', 'Northside Deli', 'Northside Deli', '', '', '', '', 'orders@deli.example', '1 N State St', '', 'Chicago', 'IL', '60602', ''],
      ],
    );
    const p = await preview(client, 'customers', text);
    expect(p.mapping).toMatchObject({ name: 'Display Name', company: 'Company Name', phone: 'Main Phone #s', email: 'E-mails', street: 'Service Street 1', street2: 'Service Street 2', city: 'Service City', region: 'Service State', postalCode: 'Service Zip code', id: null });
    await commit(client, 'customers', text);
    const customers = await must(client.request('customers:list', {}));
    expect(customers.find((c) => c.name === 'Priya Nair')).toMatchObject({ phone: '312-555-0150', address: '900 N Lake Shore Dr, Apt 12B, Chicago, IL 60611' });
    expect(customers.find((c) => c.name === 'Northside Deli')?.email).toBe('orders@deli.example');
  });

  it('imports an Outlook export of technicians', async () => {
    const { client } = await seeded();
    const text = writeCsvText(
      ['First Name', 'Middle Name', 'Last Name', 'Company', 'Business Street', 'Business City', 'Business State', 'Business Postal Code', 'Business Phone', 'Mobile Phone', 'E-mail Address', 'E-mail Display Name'],
      [['Marcus', '', 'Reed', 'Acme', '500 W Madison St', 'Chicago', 'IL', '60661', '+1 312 555 0199', '(312) 555-0177', 'marcus@acme.example', 'Marcus Reed (marcus@acme.example)']],
    );
    const p = await preview(client, 'providers', text);
    expect(p.rows[0]).toMatchObject({ outcome: 'create', errors: [] });
    expect((await commit(client, 'providers', text)).created).toBe(1);
    const marcus = (await must(client.request('providers:list', {}))).find((x) => x.name === 'Marcus Reed');
    expect(marcus).toMatchObject({ email: 'marcus@acme.example', phone: '(312) 555-0177', address: '500 W Madison St, Chicago, IL 60661', active: true });
  });

  it('validates with the forms’ schemas and names the line, the column and the reason', async () => {
    const { client } = await seeded();
    const text = csv('Full name,E-mail,Mobile,Notes', 'Ann Lee,ann@example,+1 312 555 0101,', 'Bert,bert@example.com,call me,', ',nobody@example.com,,');
    const p = await preview(client, 'customers', text);
    expect(p.rows.map((r) => [r.line, r.outcome, r.errors])).toEqual([
      [2, 'error', [{ column: 'E-mail', field: 'email', message: 'Must be an email address like ana@example.com' }]],
      [3, 'error', [{ column: 'Mobile', field: 'phone', message: 'Must be a phone number like +1 555 010 2000' }]],
      [4, 'error', [{ column: 'Full name', field: 'name', message: 'Name is required' }]],
    ]);
    expect(p.counts).toMatchObject({ total: 3, error: 3, create: 0 });
  });

  it('says so when no column holds the name, and will not commit until one is mapped', async () => {
    const { client } = await seeded();
    const text = csv('Email,Phone', 'a@example.com,+1 312 555 0101');
    const p = await preview(client, 'customers', text);
    expect(p.mappingErrors).toEqual({ name: 'Required: map a column to Name or First name or Last name or Company' });
    expect(p.rows[0]).toMatchObject({ outcome: 'error', errors: [{ column: null, field: 'name', message: 'Name is required' }] });
    const r = await client.request('import:commit', { kind: 'customers', csvText: text, mapping: p.mapping });
    expect(!r.ok && r.error).toMatchObject({ code: 'validation', fieldErrors: { 'mapping.name': expect.stringMatching(/^Required/) } });
    const bad = await preview(client, 'customers', text, { name: 'Nom', email: 'Email' });
    expect(bad.mappingErrors).toMatchObject({ name: 'No column "Nom" in this file' });
  });

  it('refuses the second of two rows for the same record, and a row naming an ambiguous record', async () => {
    const { client, store } = await seeded();
    store.execute('createCustomer', { name: 'Jones Bakery' }); // a second one, no email either
    const text = csv('Name,Email,Phone', 'Kim Park,kim@example.com,', 'Kim Park (again),KIM@example.com,', 'Jones Bakery,,+1 312 555 0111', 'Lee,,', 'lee,,');
    const p = await preview(client, 'customers', text);
    expect(p.rows.map((r) => [r.line, r.outcome, r.errors.map((e) => e.message)])).toEqual([
      [2, 'create', []],
      [3, 'error', ['Same customer as line 2: only the first is imported']],
      [4, 'error', ['2 customers are named Jones Bakery: add an Email column to tell them apart']],
      [5, 'create', []],
      [6, 'error', ['Same customer as line 5: only the first is imported']],
    ]);
  });

  it('a viewer cannot import', async () => {
    const { client, store } = await seeded();
    store.setActor({ id: 'v', name: 'Vic Viewer', role: 'viewer' });
    const r = await client.request('import:preview', { kind: 'customers', csvText: csv('Name', 'Ann') });
    expect(!r.ok && r.error.code).toBe('forbidden');
  });
});

describe('jobs', () => {
  it('reads a Jobber-like export: customers by email or name, assignees by email or name, times in the organization’s zone', async () => {
    const { client, store, ids } = await seeded();
    const text = writeCsvText(
      ['Job #', 'Client name', 'Client email', 'Title', 'Service street', 'Service city', 'Service province', 'Service ZIP', 'Start date', 'Start time', 'End time', 'Assigned to', 'Instructions'],
      [
        ['101', 'Smith Residence', 'smith@example.com', 'AC repair', '', '', '', '', '11/24/2026', '9:00 AM', '11:30 AM', 'Ana Silva, bo@acme.example', 'Gate code 4411'],
        ['102', 'Jones Bakery', '', 'Oven check', '77 Elm St', 'Chicago', 'IL', '60614', 'Nov 25, 2026', '2:00 PM', '3:00 PM', '', ''],
        ['103', 'Nobody Inc', '', 'Ghost job', '', '', '', '', '', '', '', '', ''],
        ['104', 'Jones Bakery', '', 'Roof', '', '', '', '', '11/26/2026', '8:00 AM', '9:00 AM', 'Ana Silva; Zed Quinn; Yu', ''],
      ],
    );
    const p = await preview(client, 'jobs', text);
    expect(p.dates).toEqual({ order: 'mdy', decidedBy: 'file', timeZone: 'America/Chicago' });
    expect(p.rows.map((r) => [r.line, r.outcome])).toEqual([
      [2, 'create'],
      [3, 'create'],
      [4, 'error'],
      [5, 'error'],
    ]);
    expect(p.rows[2]!.errors).toEqual([
      { column: 'Client name', field: 'customer', message: 'Unknown customer Nobody Inc: import customers first, or check the spelling' },
    ]);
    expect(p.rows[3]!.errors).toEqual([
      { column: 'Assigned to', field: 'assignees', message: 'Unknown assignees "Zed Quinn" and "Yu": no service provider has that name or email' },
    ]);
    const done = await commit(client, 'jobs', text);
    expect(done).toMatchObject({ created: 2, rejected: 2 });
    const repair = store.queries.booking(done.rows[0]!.id!)!;
    expect(repair).toMatchObject({
      title: 'AC repair',
      customerId: ids.smith,
      status: 'scheduled',
      notes: 'Gate code 4411',
      location: { address: '12 Oak St, Chicago, IL 60601' }, // the customer's, none given
      slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:30:00Z', assignees: [ids.ana, ids.bo] },
    });
    expect(store.queries.booking(done.rows[1]!.id!)).toMatchObject({
      customerId: ids.jones,
      location: { address: '77 Elm St, Chicago, IL 60614' },
      slot: { start: '2026-11-25T20:00:00Z', end: '2026-11-25T21:00:00Z', assignees: [] },
    });
    // The rejected rows, as they were, with why: ready to fix and import again.
    const rejected = readCsvText(done.rejectedCsv);
    expect(rejected.ok && rejected.value.table.columns.at(-1)).toBe('Error');
    expect(rejected.ok && rejected.value.table.rows.map((r) => [r.cells[0], r.cells.at(-1)])).toEqual([
      ['103', 'Line 4: Client name: Unknown customer Nobody Inc: import customers first, or check the spelling'],
      ['104', 'Line 5: Assigned to: Unknown assignees "Zed Quinn" and "Yu": no service provider has that name or email'],
    ]);
  });

  it('reads ISO, German and day-first dates; the order comes from the request, the file, or the zone', async () => {
    const { client, store } = await seeded();
    const starts = async (text: string, dateOrder?: 'mdy' | 'dmy') => {
      const p = await must(client.request('import:preview', { kind: 'jobs', csvText: text, ...(dateOrder ? { dateOrder } : {}) }));
      return { p, rows: p.rows.map((r) => [r.outcome, r.errors.map((e) => e.message).join()]) };
    };
    const iso = await starts(csv('Title,Start,End', 'A,2026-11-24 09:00,2026-11-24 10:00', 'B,2026-11-24T15:00:00Z,2026-11-24T16:00:00Z'));
    expect(iso.rows).toEqual([['create', ''], ['create', '']]);
    expect(iso.p.dates).toMatchObject({ order: 'mdy', decidedBy: 'timeZone' });
    const german = csv('Titel;Datum;Beginn;Ende', 'Wartung;24.11.2026;09:00;10:30');
    expect((await starts(german)).rows).toEqual([['create', '']]);
    const dayFirst = csv('Title,Date,Start,Duration', 'A,24/11/2026,09:00,90', 'B,03/12/2026,09:00,1:30');
    const d = await starts(dayFirst);
    expect(d.p.dates).toMatchObject({ order: 'dmy', decidedBy: 'file' });
    expect(d.rows).toEqual([['create', ''], ['create', '']]);
    const asked = await starts(csv('Title,Date,Start,Duration', 'A,03/12/2026,09:00,90'), 'dmy');
    expect(asked.p.dates).toMatchObject({ order: 'dmy', decidedBy: 'request' });
    const done = await must(client.request('import:commit', { kind: 'jobs', csvText: csv('Title,Date,Start,Duration', 'A,03/12/2026,09:00,90'), mapping: asked.p.mapping, dateOrder: 'dmy' }));
    expect(store.queries.booking(done.rows[0]!.id!)!.slot).toMatchObject({ start: '2026-12-03T15:00:00Z', end: '2026-12-03T16:30:00Z' });
    const bad = await starts(csv('Title,Date,Start,End,Duration', 'A,13/13/2026,09:00,,60', 'B,2026-11-24,,,60', 'C,2026-11-24,09:00,10:00,30', 'D,2026-11-24,09:00,,', 'E,,,,'));
    expect(bad.rows).toEqual([
      ['error', 'Not a date or time: "13/13/2026". Dates like 2026-11-24, 11/24/2026 (month first) or 24.11.2026; times like 09:00 or 9:00 AM'],
      ['error', 'A date needs a start time, like 09:00 or 9:00 AM'],
      ['error', 'End and duration disagree: the end is 60 minutes after the start, the duration says 30'],
      ['error', 'Give an end time or a duration (or a service, whose duration is used)'],
      ['create', ''], // no date: the unassigned queue
    ]);
  });

  it('reads wall-clock times across the zone’s DST change (a time in the spring-forward gap moves forward)', async () => {
    const { client, store } = await seeded();
    const text = csv('Title,Date,Start,End', 'Before,2027-03-13,09:00,10:00', 'After,2027-03-15,09:00,10:00', 'In the gap,2027-03-14,02:30,04:00');
    const done = await commit(client, 'jobs', text);
    expect(done.rows.map((r) => store.queries.booking(r.id!)!.slot)).toMatchObject([
      { start: '2027-03-13T15:00:00Z', end: '2027-03-13T16:00:00Z' }, // CST, UTC-6
      { start: '2027-03-15T14:00:00Z', end: '2027-03-15T15:00:00Z' }, // CDT, UTC-5
      { start: '2027-03-14T08:30:00Z', end: '2027-03-14T09:00:00Z' }, // 02:30 does not exist: 03:30 CDT
    ]);
  });

  it('takes the duration of the service when there is no end, and the service name when there is no title', async () => {
    const { client, store, ids } = await seeded();
    const text = csv('Service,Customer,Date,Start', 'AC tune-up,smith@example.com,2026-11-24,13:00');
    const done = await commit(client, 'jobs', text);
    expect(store.queries.booking(done.rows[0]!.id!)).toMatchObject({
      title: 'AC tune-up',
      serviceId: ids.tuneUp,
      customerId: ids.smith,
      laborHours: 1.5,
      slot: { start: '2026-11-24T19:00:00Z', end: '2026-11-24T20:30:00Z' },
    });
  });
});

describe('one action, re-import, round trips', () => {
  it('commits every valid row as one update and one undo step that restores the workspace exactly', async () => {
    const { client, store } = await seeded();
    const before = content(store);
    const updatesBefore = updateRows(store);
    const text = csv('Name,Email,Phone', 'Smith Residence,smith@example.com,+1 312 555 0199', 'New One,new1@example.com,', 'New Two,new2@example.com,', 'Broken,not-an-email,');
    const changed: string[][] = [];
    client.on('roster:changed', (e) => changed.push(e.ids));
    const done = await commit(client, 'customers', text);
    expect(done).toMatchObject({ created: 2, updated: 1, unchanged: 0, rejected: 1 });
    expect(updateRows(store) - updatesBefore).toBe(1); // one Yjs update: what sync sends
    expect(changed).toHaveLength(1); // one change event for the whole import
    expect(content(store)).not.toEqual(before);
    expect(await must(client.request('history:undo', {}))).toEqual({ done: true, staged: 0 });
    // Exactly the values of before; the updated customer's group is a new write with a new stamp (issue 20).
    expect(withoutStamps(content(store))).toEqual(withoutStamps(before));
    expect(content(store)).not.toEqual(before);
    expect(store.canUndo()).toBe(false);
    await must(client.request('history:redo', {}));
    expect((await must(client.request('customers:list', {}))).map((c) => c.name).sort()).toEqual(['Jones Bakery', 'New One', 'New Two', 'Smith Residence']);
  });

  it('a jobs import is one undo step too; the jobs’ history logs stay, as undo never erases history', async () => {
    const { client, store } = await seeded();
    await must(client.request('commands:run', { name: 'createBooking', input: { title: 'Existing' } }));
    store.clearUndoHistory();
    const before = content(store);
    const historyBefore = Object.keys(scheduleMaps(store.docs.schedule).history.toJSON());
    const text = csv('Title,Date,Start,End,Assignees', 'One,2026-11-24,09:00,10:00,Ana Silva', 'Two,2026-11-24,10:00,11:00,bo@acme.example', 'Three,,,,');
    const done = await commit(client, 'jobs', text);
    expect(done.created).toBe(3);
    expect(store.undo()).toBe(true);
    expect(content(store)).toEqual(before);
    const history = Object.keys(scheduleMaps(store.docs.schedule).history.toJSON());
    expect(history.filter((id) => !historyBefore.includes(id)).sort()).toEqual(done.rows.map((r) => r.id).sort());
  });

  it('imports 10,000 rows in one action', async () => {
    const { client, store } = await seeded();
    const rows = Array.from({ length: 10_000 }, (_, i) => [`Customer ${i}`, `c${i}@example.com`, `+1 312 555 ${String(i).padStart(4, '0')}`, `${i} Main St, Chicago, IL`]);
    const text = writeCsvText(['Name', 'Email', 'Phone', 'Address'], rows);
    const t0 = performance.now();
    const p = await preview(client, 'customers', text);
    const previewMs = performance.now() - t0;
    expect(p.counts).toEqual({ total: 10_000, create: 10_000, update: 0, unchanged: 0, error: 0 });
    expect(p.rows.at(-1)!.line).toBe(10_001);
    const updatesBefore = updateRows(store);
    const done = await commit(client, 'customers', text, p.mapping);
    expect(done.created).toBe(10_000);
    expect(updateRows(store) - updatesBefore).toBe(1);
    expect(store.db.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(10_002);
    expect((await preview(client, 'customers', text)).counts.unchanged).toBe(10_000);
    store.undo();
    expect(store.db.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(2);
    console.log(`10,000-row customer preview: ${previewMs.toFixed(0)} ms`);
  });

  it('re-import updates instead of duplicating, and says per row what happened', async () => {
    const { client, store, ids } = await seeded();
    const first = csv('Name,Email,Phone', 'Smith Residence,smith@example.com,', 'Kim Park,kim@example.com,+1 312 555 0101', 'Jones Bakery,,+1 312 555 0100');
    const done = await commit(client, 'customers', first);
    expect(done.rows.map((r) => r.outcome)).toEqual(['unchanged', 'created', 'unchanged']);
    expect(done.rows[0]!.id).toBe(ids.smith);
    const kim = done.rows[1]!.id!;
    const second = csv('Name,Email,Phone', 'Smith Residence,smith@example.com,+1 312 555 0199', 'Kim Park,kim@example.com,+1 312 555 0101', 'Jones Bakery,orders@jones.example,', 'Lee,lee@example.com,');
    const p = await preview(client, 'customers', second);
    expect(p.rows.map((r) => [r.outcome, r.match?.label ?? null, r.changes])).toEqual([
      ['update', 'Smith Residence', ['phone']],
      ['unchanged', 'Kim Park', []],
      ['update', 'Jones Bakery', ['email']], // no email on record: the name finds it
      ['create', null, []],
    ]);
    const again = await commit(client, 'customers', second);
    expect(again.rows.map((r) => [r.outcome, r.id === null])).toEqual([
      ['updated', false],
      ['unchanged', false],
      ['updated', false],
      ['created', false],
    ]);
    expect(again.rows[1]!.id).toBe(kim);
    expect(store.queries.customers()).toHaveLength(4);
    // An empty cell leaves a value alone: Jones keeps its phone.
    expect(store.queries.customer(ids.jones)).toMatchObject({ phone: '+1 312 555 0100', email: 'orders@jones.example' });
  });

  it('remembers the last mapping per kind in the workspace file', async () => {
    const { client, store } = await seeded();
    const text = csv('Who,Contact', 'Kim Park,kim@example.com');
    const mapping = { name: 'Who', email: 'Contact' };
    await must(client.request('import:commit', { kind: 'customers', csvText: text, mapping }));
    const p = await preview(client, 'customers', csv('Who,Contact', 'Lee,lee@example.com'));
    expect(p.mappingSource).toBe('remembered');
    expect(p.mapping).toMatchObject(mapping);
    expect(p.guessedMapping.name).toBeNull();
    expect(store.db.prepare("SELECT value FROM meta WHERE key = 'import_mapping:customers'").pluck().get()).toContain('"name":"Who"');
    // Another file's columns: the guess again.
    expect((await preview(client, 'customers', csv('Name', 'Lee'))).mappingSource).toBe('guessed');
  });

  it('a field skipped while its column was there stays skipped; one whose column was missing is guessed', async () => {
    const { client } = await seeded();
    const first = csv('Name,Email,Notes', 'Kim Park,kim@example.com,private');
    await must(client.request('import:commit', { kind: 'customers', csvText: first, mapping: { name: 'Name', email: 'Email', notes: null } }));
    const p = await preview(client, 'customers', csv('Name,Email,Notes,Phone', 'Lee,lee@example.com,x,+1 312 555 0101'));
    expect(p.mappingSource).toBe('remembered');
    expect(p.mapping).toMatchObject({ name: 'Name', email: 'Email', notes: null, phone: 'Phone' });
  });

  it('export then import changes nothing, for every list (quotes, commas, line breaks and formula-like text included)', async () => {
    const { client, store, ids } = await seeded();
    const run = (name: string, input: unknown) => must(client.request('commands:run', { name, input })) as Promise<{ id: string }>;
    await run('createProvider', { name: 'Silva, Ana', email: 'ana.s@acme.example', skills: ['HVAC, commercial'], active: false });
    await run('createCustomer', { name: '=HYPERLINK("x")', notes: 'Dog "Rex"\nRing twice, then wait', phone: '+1 312 555 0123' });
    await run('createCustomer', { name: 'Smith Residence' }); // same name as another, no email
    await run('createService', { name: 'Duct cleaning', durationMinutes: 45, laborHours: 0.75, requiredSkills: ['HVAC', 'Ducts'], active: false });
    await run('createBooking', { title: 'AC repair', customerId: ids.smith, serviceId: ids.tuneUp, notes: 'Side door', slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:30:00Z', assignees: [ids.ana, ids.bo] } });
    await run('createBooking', { title: 'Overnight', customerId: ids.jones, priority: 'high', slot: { start: '2026-11-25T04:00:00Z', end: '2026-11-25T09:00:00Z', assignees: [] } });
    await run('createBooking', { title: 'Queue job', customerId: ids.jones });
    const sent = await run('createBooking', { title: 'Sent', slot: { start: '2026-11-26T15:00:00Z', end: '2026-11-26T16:00:00Z', assignees: [ids.bo] } });
    await run('sendToTech', { id: sent.id });

    for (const kind of ['providers', 'customers', 'services', 'jobs'] as const) {
      const exported = await must(client.request('export:csv', { kind }));
      expect(exported.csv.startsWith('\uFEFF')).toBe(true);
      const p = await preview(client, kind, exported.csv);
      expect(p.mappingErrors).toEqual({});
      expect(p.rows.map((r) => [r.outcome, r.errors])).toEqual(p.rows.map(() => ['unchanged', []]));
      expect(p.rows).toHaveLength(exported.rows);
    }
    const customers = (await must(client.request('export:csv', { kind: 'customers', delimiter: ';' }))).csv;
    expect(customers).toContain(`"'=HYPERLINK(""x"")"`); // a spreadsheet shows it as text, not a formula
    expect(customers.split('\r\n')[0]).toBe('\uFEFFName;Email;Phone;Address;Notes;Crewline ID');
    const counts = { providers: 3, customers: 4, services: 3, bookings: 4 };
    expect(Object.fromEntries(Object.keys(counts).map((t) => [t, store.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get()]))).toEqual(counts);
  });

  it('exports jobs for a date range as a bookkeeper reads them', async () => {
    const { client, ids } = await seeded();
    const run = (name: string, input: unknown) => must(client.request('commands:run', { name, input })) as Promise<{ id: string }>;
    await run('createBooking', { title: 'AC repair', customerId: ids.smith, slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:30:00Z', assignees: [ids.ana] } });
    const late = await run('createBooking', { title: 'Late one', customerId: ids.jones, slot: { start: '2026-11-25T05:30:00Z', end: '2026-11-25T07:00:00Z', assignees: [ids.bo, ids.ana] } });
    await run('cancelBooking', { id: late.id, reason: 'Customer away' });
    await run('createBooking', { title: 'Next week', slot: { start: '2026-12-01T15:00:00Z', end: '2026-12-01T16:00:00Z', assignees: [] } });
    const out = await must(client.request('export:csv', { kind: 'jobs', from: '2026-11-24', to: '2026-11-24' }));
    expect(out.fileName).toBe('crewline-jobs-2026-11-24-to-2026-11-24.csv');
    const table = readCsvText(out.csv);
    expect(table.ok && table.value.table.columns).toEqual([
      'Date', 'Start', 'End', 'Duration (minutes)', 'Title', 'Status', 'Customer', 'Customer email', 'Address', 'Assignees', 'Service', 'Priority', 'Team size', 'Labor hours', 'Notes', 'Crewline ID',
    ]);
    // 05:30Z on the 25th is 23:30 on the 24th in Chicago: it is that day's job.
    expect(table.ok && table.value.table.rows.map((r) => r.cells.slice(0, 10))).toEqual([
      ['2026-11-24', '09:00', '10:30', '90', 'AC repair', 'Scheduled', 'Smith Residence', 'smith@example.com', '12 Oak St, Chicago, IL 60601', 'Ana Silva'],
      ['2026-11-24', '23:30', '2026-11-25 01:00', '90', 'Late one', 'Cancelled', 'Jones Bakery', '', '', 'Bo Chen; Ana Silva'],
    ]);
    const wrong = await client.request('export:csv', { kind: 'jobs', from: '2026-11-25', to: '2026-11-24' });
    expect(!wrong.ok && wrong.error.fieldErrors).toEqual({ to: 'Must be on or after from' });
  });

  it('re-imported jobs update their slot and details through the commands, and a closed job refuses', async () => {
    const { client, store, ids } = await seeded();
    const exportJobs = async () => (await must(client.request('export:csv', { kind: 'jobs' }))).csv;
    const run = (name: string, input: unknown) => must(client.request('commands:run', { name, input })) as Promise<{ id: string }>;
    const job = await run('createBooking', { title: 'AC repair', customerId: ids.smith, slot: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:00:00Z', assignees: [ids.ana] } });
    const closed = await run('createBooking', { title: 'Old job', slot: { start: '2026-11-20T15:00:00Z', end: '2026-11-20T16:00:00Z', assignees: [ids.bo] } });
    await run('cancelBooking', { id: closed.id, reason: 'No longer needed' });
    const text = (await exportJobs()).replace('AC repair', 'AC repair (2 units)').replace(',Ana Silva,', ',Bo Chen,').replace('Old job', 'Renamed');
    const p = await preview(client, 'jobs', text);
    const byTitle = Object.fromEntries(p.rows.map((r) => [r.values.Title, r]));
    expect(byTitle['AC repair (2 units)']).toMatchObject({ outcome: 'update', changes: ['title', 'assignees'] });
    expect(byTitle.Renamed).toMatchObject({ outcome: 'error', errors: [{ message: 'The job is Cancelled: only its notes can change' }] });
    await commit(client, 'jobs', text);
    expect(store.queries.booking(job.id)).toMatchObject({ title: 'AC repair (2 units)', slot: { assignees: [ids.bo] } });
    expect(store.queries.history(job.id).map((h) => h.action)).toEqual(['create', 'edit', 'reschedule']);
    expect(store.queries.bookingsInRange(0, Date.parse('2027-01-01T00:00:00Z'))).toHaveLength(2);
  });
});
