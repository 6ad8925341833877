import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  connectProvider,
  ORG_A,
  ORG_B,
  rawUpgrade,
  roomOf,
  startTestServer,
  upgradeStatus,
  waitUntil,
  whenSynced,
  type TestServer,
} from './testing/harness';

const A_ROSTER = roomOf(ORG_A, 'roster');
const A_SCHEDULE = roomOf(ORG_A, 'schedule');
const B_ROSTER = roomOf(ORG_B, 'roster');

describe('authorization at the upgrade', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.stop();
  });

  const wsStatus = (path: string) => upgradeStatus(`ws://127.0.0.1:${t.server.port}${path}`);
  const assertNothingLoaded = () => {
    expect(t.server.rooms.loadedCount).toBe(0);
    expect([...t.server.rooms.loadCounts.keys()]).toEqual([]);
    expect(t.server.metrics().connections).toBe(0);
    expect(t.server.metrics().connectionsOpened).toBe(0);
  };

  it('refuses a missing, forged or revoked token with 401', async () => {
    expect((await wsStatus(`/sync/${A_ROSTER}`)).status).toBe(401);
    expect((await wsStatus(`/sync/${A_ROSTER}?token=`)).status).toBe(401);
    expect((await wsStatus(`/sync/${A_ROSTER}?token=forged-token`)).status).toBe(401);
    const refused = await wsStatus(`/sync/${A_ROSTER}?token=forged-token`);
    expect(refused.body).toMatch(/token/i);
    t.auth.add('soon-revoked', ORG_A, 'dispatcher');
    t.auth.tokens.delete('soon-revoked');
    expect((await wsStatus(`/sync/${A_ROSTER}?token=soon-revoked`)).status).toBe(401);
    // Two tokens: ambiguous, refused.
    expect((await wsStatus(`/sync/${A_ROSTER}?token=admin-a&token=admin-b`)).status).toBe(401);
    assertNothingLoaded();
  });

  it("refuses another organization's room with 403", async () => {
    expect((await wsStatus(`/sync/${B_ROSTER}?token=admin-a`)).status).toBe(403);
    expect((await wsStatus(`/sync/${A_SCHEDULE}?token=admin-b`)).status).toBe(403);
    assertNothingLoaded();
  });

  it('refuses technicians every sync room with 403', async () => {
    expect((await wsStatus(`/sync/${A_SCHEDULE}?token=tech-a`)).status).toBe(403);
    expect((await wsStatus(`/sync/${A_ROSTER}?token=tech-a`)).status).toBe(403);
    assertNothingLoaded();
  });

  it('refuses room names that are not exactly org/<id>/<roster|schedule> with 404, byte for byte', async () => {
    const port = t.server.port;
    const targets: (string | Buffer)[] = [
      `/sync/org/${ORG_A}/../${ORG_B}/roster?token=admin-a`,
      `/sync/org/${ORG_B}/../${ORG_A}/roster?token=admin-a`,
      `/sync/org%2F${ORG_A}%2Froster?token=admin-a`,
      `/sync/org/${ORG_A}%2Froster?token=admin-a`,
      `/sync/org/${ORG_A.toUpperCase()}/roster?token=admin-a`,
      `/sync/org/${ORG_A}/Roster?token=admin-a`,
      `/sync/org/${ORG_A}/roster/?token=admin-a`,
      `/sync/org//${ORG_A}/roster?token=admin-a`,
      `/sync/org/${ORG_A}//roster?token=admin-a`,
      `/sync//org/${ORG_A}/roster?token=admin-a`,
      `/sync/org/${ORG_A}/%2e%2e/${ORG_A}/roster?token=admin-a`,
      `/sync/org/${ORG_A}/./roster?token=admin-a`,
      `/sync/./org/${ORG_A}/roster?token=admin-a`,
      `/sync/org/${ORG_A}/roster%00?token=admin-a`,
      `/sync/org/${ORG_A}/roster%20?token=admin-a`,
      `/sync/org/${ORG_A}/payroll?token=admin-a`,
      `/sync/org/${ORG_A}?token=admin-a`,
      `/sync/org/not-a-uuid/roster?token=admin-a`,
      // Unicode look-alikes, percent-encoded as a client would send them...
      `/sync/${encodeURIComponent('о')}rg/${ORG_A}/roster?token=admin-a`, // Cyrillic o
      `/sync/org/${ORG_A}/ro${encodeURIComponent('ѕ')}ter?token=admin-a`, // Cyrillic dze
      `/sync/org/${ORG_A.replace('a', encodeURIComponent('ａ'))}/roster?token=admin-a`, // fullwidth a
    ];
    for (const target of targets) {
      expect(await rawUpgrade(port, target), String(target)).toBe(404);
    }
    // ...and as raw UTF-8 bytes on the request line (the HTTP parser may refuse them outright).
    for (const raw of [`/sync/оrg/${ORG_A}/roster?token=admin-a`, `/sync/org/${ORG_A.replace('1', '１')}/roster?token=admin-a`]) {
      const status = await rawUpgrade(port, Buffer.from(raw, 'utf8'));
      expect([0, 400, 404], raw).toContain(status);
    }
    // Outside /sync/ entirely.
    for (const target of [`/syncorg/${ORG_A}/roster?token=admin-a`, '/sync?token=admin-a', '/', '/api/sync']) {
      expect(await rawUpgrade(port, target), target).toBe(404);
    }
    assertNothingLoaded();
    // The same request, spelled right, is accepted: the battery above refuses for the name alone.
    expect(await rawUpgrade(port, `/sync/${A_ROSTER}?token=admin-a`)).toBe(101);
    await waitUntil(() => t.server.rooms.loadedCount === 1);
    expect(t.server.rooms.loadedNames()).toEqual([A_ROSTER]);
  });
});

describe('viewers are read-only', () => {
  let t: TestServer;
  const providers: WebsocketProvider[] = [];
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    for (const p of providers) p.destroy();
    await t.stop();
  });

  it("drops a viewer's writes (server and other clients unchanged) but lets it read and show presence", async () => {
    const writer = connectProvider(t.wsUrl, A_SCHEDULE, 'dispatcher-a');
    const viewer = connectProvider(t.wsUrl, A_SCHEDULE, 'viewer-a');
    providers.push(writer, viewer);
    await Promise.all([whenSynced(writer), whenSynced(viewer)]);

    writer.doc.getMap('jobs').set('job-1', { title: 'visible to viewers' });
    await waitUntil(() => viewer.doc.getMap('jobs').has('job-1'), 5000, 'viewer reads');

    const server = () => t.server.rooms.get(A_SCHEDULE)!.doc;
    const before = Y.encodeStateAsUpdate(server());
    viewer.doc.getMap('jobs').set('job-evil', { title: 'written by a viewer' });
    viewer.doc.getMap('jobs').delete('job-1');
    viewer.awareness.setLocalStateField('user', { name: 'Vera (viewer)' });
    await waitUntil(() => writer.awareness.getStates().has(viewer.doc.clientID), 5000, 'viewer presence');
    await waitUntil(() => t.server.metrics().updatesRejected >= 2, 5000, 'viewer updates counted as rejected');
    // A new writer update still flows, and the viewer's do not piggy-back on it.
    writer.doc.getMap('jobs').set('job-2', { title: 'after' });
    await waitUntil(() => server().getMap('jobs').has('job-2'));
    expect(server().getMap('jobs').has('job-evil')).toBe(false);
    expect(server().getMap('jobs').has('job-1')).toBe(true);
    expect(writer.doc.getMap('jobs').has('job-evil')).toBe(false);
    expect(writer.doc.getMap('jobs').has('job-1')).toBe(true);
    // Nothing of the viewer's client ever entered the server's document.
    expect(Y.decodeStateVector(Y.encodeStateVector(server())).has(viewer.doc.clientID)).toBe(false);
    expect(Y.encodeStateAsUpdate(server(), Y.encodeStateVectorFromUpdate(before)).length).toBeGreaterThan(2);

    // Even a reconnect (sync step 2 with everything the viewer has) does not get its edits in.
    viewer.disconnect();
    viewer.connect();
    await whenSynced(viewer);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server().getMap('jobs').has('job-evil')).toBe(false);
    expect(Y.decodeStateVector(Y.encodeStateVector(server())).has(viewer.doc.clientID)).toBe(false);
    expect(viewer.doc.getMap('jobs').has('job-evil')).toBe(true);
  });
});
