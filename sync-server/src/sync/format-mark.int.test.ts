/**
 * The documents' format mark at the server (core/doc/schema-version.ts, `schemaVersionRefusal` in
 * core/doc/update-rules.ts): a stock y-websocket client may not raise the mark beyond the format this
 * server knows (its rules could not check that layout), nor write a mark nobody can read. The connection is
 * closed with 4422 and the reason; the room keeps its state, in memory and on disk. The server's known
 * format is injected (`knownDocFormat`), so a newer server takes the same raise.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DOC_SCHEMA_VERSION, docSchemaVersion, SCHEMA_MAP } from '../../../core/doc/schema-version';
import { connectProvider, startTestServer, waitUntil, whenSynced } from './testing/harness';
import { ROSTER, startOrgRig, type OrgRig } from './testing/org-rig';
import { loadDoc } from './room';

describe('the format mark at the server', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function rig(knownDocFormat?: number): Promise<OrgRig> {
    const r = await startOrgRig(knownDocFormat === undefined ? {} : { knownDocFormat });
    cleanups.push(async () => {
      r.admin.disconnect();
      await r.t.stop();
    });
    return r;
  }

  /** An admin's stock provider on the roster, synced; resolves the first close the server sends it. */
  async function adminProvider(r: OrgRig): Promise<{ provider: WebsocketProvider; closed: Promise<{ code: number; reason: string }> }> {
    const provider = connectProvider(r.t.wsUrl, ROSTER, 'admin-a');
    cleanups.push(() => provider.destroy());
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      provider.on('connection-close', (event) => {
        if (event) resolve({ code: event.code, reason: String(event.reason) });
      });
    });
    await whenSynced(provider);
    return { provider, closed };
  }

  const onDisk = (r: OrgRig) => loadDoc(r.t.server.store, ROSTER);

  it.each([
    ['a format this server does not know', DOC_SCHEMA_VERSION + 1, `update refused: document format ${DOC_SCHEMA_VERSION + 1}: this server knows format ${DOC_SCHEMA_VERSION} at most; update the server first`],
    ['an unreadable mark', 'three', 'update refused: document format: must be a whole number from 1'],
    ['a mark below 1', 0, 'update refused: document format: must be a whole number from 1'],
  ])('refuses %s (4422); the room keeps its mark', async (_name, mark, reason) => {
    const r = await rig();
    expect(docSchemaVersion(r.docs().roster)).toBe(DOC_SCHEMA_VERSION);
    const before = Y.snapshot(r.docs().roster);
    const { provider, closed } = await adminProvider(r);

    provider.doc.getMap(SCHEMA_MAP).set('version', mark);

    expect(await closed).toEqual({ code: 4422, reason });
    expect(Y.equalSnapshots(Y.snapshot(r.docs().roster), before)).toBe(true);
    expect(Y.equalSnapshots(Y.snapshot(onDisk(r)), before)).toBe(true);
    expect(docSchemaVersion(r.admin.roster)).toBe(DOC_SCHEMA_VERSION);
  });

  it('a server knowing a newer format takes the raise to it, and refuses one beyond', async () => {
    const newer = DOC_SCHEMA_VERSION + 1;
    const r = await rig(newer);
    const { provider, closed } = await adminProvider(r);

    provider.doc.getMap(SCHEMA_MAP).set('version', newer);
    await waitUntil(() => docSchemaVersion(r.docs().roster) === newer, 5000, 'the raised mark at the server');
    await waitUntil(() => docSchemaVersion(r.admin.roster) === newer, 5000, 'the raised mark at the other console');
    expect(docSchemaVersion(onDisk(r))).toBe(newer);

    const before = Y.snapshot(r.docs().roster);
    provider.doc.getMap(SCHEMA_MAP).set('version', newer + 1);
    expect(await closed).toEqual({
      code: 4422,
      reason: `update refused: document format ${newer + 1}: this server knows format ${newer} at most; update the server first`,
    });
    expect(Y.equalSnapshots(Y.snapshot(r.docs().roster), before)).toBe(true);
    expect(docSchemaVersion(onDisk(r))).toBe(newer);
  });

  it('a server knowing a newer format raises an older organization to it when the roster loads', async () => {
    const r = await rig();
    r.admin.disconnect();
    await r.t.stop(true);
    const newer = await startTestServer({ dataDir: r.t.dataDir, knownDocFormat: DOC_SCHEMA_VERSION + 1 });
    cleanups.push(() => newer.stop());
    const provider = connectProvider(newer.wsUrl, ROSTER, 'dispatcher-a');
    cleanups.push(() => provider.destroy());
    await whenSynced(provider);
    expect(docSchemaVersion(newer.server.rooms.get(ROSTER)!.doc)).toBe(DOC_SCHEMA_VERSION + 1);
    await waitUntil(() => docSchemaVersion(provider.doc) === DOC_SCHEMA_VERSION + 1, 5000, 'the raised mark at the console');
  });
});
