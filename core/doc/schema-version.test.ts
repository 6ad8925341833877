import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { Role } from '../model';
import { createWorkspace } from '../testing/fixture';
import { isRosterInitialized } from './roster';
import { DOC_SCHEMA_VERSION, docSchemaVersion, isNewerFormat, markSchemaVersion, newerFormatRefusal, SCHEMA_MAP } from './schema-version';
import { refusalOf, type Refusal } from './update-rules';

/** An organization set up by commands, as a desktop makes one. */
function organization() {
  const ws = createWorkspace();
  ws.must('initializeOrganization', { name: 'Acme', timeZone: 'America/Chicago' });
  const provider = ws.must('createProvider', { name: 'Ana' }).id;
  return { ws, provider };
}

/** What a server with this code answers to `change`, made by a `role` client on a copy of `roster`. */
function serverAnswer(roster: Y.Doc, role: Role, change: (doc: Y.Doc) => void): Refusal | null {
  const server = new Y.Doc();
  Y.applyUpdate(server, Y.encodeStateAsUpdate(roster));
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(roster));
  const before = Y.encodeStateVector(client);
  change(client);
  let refusal: Refusal | null = null;
  const writer = { role, rosterInitialized: isRosterInitialized(server) };
  server.on('afterTransaction', (tr: Y.Transaction) => {
    refusal ??= refusalOf('roster', tr, writer);
  });
  Y.applyUpdate(server, Y.encodeStateAsUpdate(client, before), 'client');
  return refusal;
}

const setVersion = (value: unknown) => (doc: Y.Doc) => doc.getMap(SCHEMA_MAP).set('version', value);

describe('document format', () => {
  it('is 1 on an unmarked document, and a new organization is marked with this app’s format', () => {
    expect(docSchemaVersion(new Y.Doc())).toBe(1);
    const { ws } = organization();
    expect(ws.roster.getMap(SCHEMA_MAP).get('version')).toBe(DOC_SCHEMA_VERSION);
  });

  it('an app older than the documents writes nothing, and says to update Crewline', () => {
    const { ws, provider } = organization();
    ws.roster.getMap(SCHEMA_MAP).set('version', DOC_SCHEMA_VERSION + 1);
    const roster = Y.encodeStateVector(ws.roster);
    const schedule = Y.encodeStateVector(ws.schedule);
    for (const [name, input] of [
      ['updateProvider', { id: provider, name: 'Ana B.' }],
      ['createBooking', { title: 'Furnace' }],
      ['updateSettings', { name: 'Other' }],
    ] as const) {
      const refused = ws.run(name, input as never);
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.error.code).toBe('forbidden');
        expect(refused.error.message).toContain(
          `saved by a newer version of Crewline (format ${DOC_SCHEMA_VERSION + 1}; this app knows format ${DOC_SCHEMA_VERSION}). Update Crewline`,
        );
      }
    }
    expect(Y.encodeStateVector(ws.roster)).toEqual(roster);
    expect(Y.encodeStateVector(ws.schedule)).toEqual(schedule);
  });

  it('an unreadable mark counts as newer: nothing is written over a format nobody can tell', () => {
    const { ws } = organization();
    ws.roster.getMap(SCHEMA_MAP).set('version', 'two');
    expect(docSchemaVersion(ws.roster)).toBe(Number.POSITIVE_INFINITY);
    const refused = ws.run('createProvider', { name: 'Bo' });
    expect(refused.ok || refused.error.message).toMatch(/newer version of Crewline\. Update Crewline/);
  });

  it('the server takes the mark from an admin setting up, and refuses a raise past its own format, a removal or a dispatcher', () => {
    const { ws } = organization();
    expect(serverAnswer(ws.roster, 'admin', setVersion(DOC_SCHEMA_VERSION))).toBeNull();
    expect(serverAnswer(ws.roster, 'admin', setVersion(DOC_SCHEMA_VERSION + 1))?.message).toBe(
      `document format ${DOC_SCHEMA_VERSION + 1}: this server knows format ${DOC_SCHEMA_VERSION} at most; update the server first`,
    );
    expect(serverAnswer(ws.roster, 'admin', (doc) => doc.getMap(SCHEMA_MAP).delete('version'))?.message).toBe('document format: the mark cannot be removed');
    expect(serverAnswer(ws.roster, 'admin', setVersion('2'))?.rule).toBe('invalid');
    expect(serverAnswer(ws.roster, 'admin', (doc) => doc.getMap(SCHEMA_MAP).set('other', 1))?.rule).toBe('invalid');
    expect(serverAnswer(ws.roster, 'dispatcher', setVersion(DOC_SCHEMA_VERSION))?.message).toMatch(/only admins/);
    // A brand-new organization's first upload carries the mark with the settings.
    const fresh = createWorkspace();
    fresh.must('initializeOrganization', { name: 'New', timeZone: 'Europe/Berlin' });
    expect(serverAnswer(new Y.Doc(), 'dispatcher', (doc) => Y.applyUpdate(doc, Y.encodeStateAsUpdate(fresh.roster)))).toBeNull();
  });

  it('takes the known format as an argument (a test plays an older or newer app): one comparison', () => {
    const newer = DOC_SCHEMA_VERSION + 1;
    expect(isNewerFormat(newer)).toBe(true);
    expect(isNewerFormat(newer, newer)).toBe(false);
    expect(isNewerFormat(Number.POSITIVE_INFINITY, newer)).toBe(true);
    const { ws } = organization();
    // A newer app raises the mark to its format, and never lowers it.
    ws.roster.transact(() => markSchemaVersion(ws.roster, newer));
    expect(docSchemaVersion(ws.roster)).toBe(newer);
    ws.roster.transact(() => markSchemaVersion(ws.roster, DOC_SCHEMA_VERSION));
    expect(docSchemaVersion(ws.roster)).toBe(newer);
    expect(newerFormatRefusal(ws.roster, newer)).toBeNull();
    expect(newerFormatRefusal(ws.roster)?.error.details).toEqual({ updateRequired: true, schemaVersion: newer });
    // The server's rules with the same injected format take the raise.
    const older = organization().ws.roster;
    const server = new Y.Doc();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(older));
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(older));
    const before = Y.encodeStateVector(client);
    client.getMap(SCHEMA_MAP).set('version', newer);
    const refusals: Array<Refusal | null> = [];
    server.on('afterTransaction', (tr: Y.Transaction) => {
      for (const known of [DOC_SCHEMA_VERSION, newer]) refusals.push(refusalOf('roster', tr, { role: 'admin', rosterInitialized: true, knownDocFormat: known }));
    });
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client, before), 'client');
    expect(refusals.map((r) => r?.rule ?? null)).toEqual(['forbidden', null]);
  });
});
