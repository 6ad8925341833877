/**
 * Two `npm run server` processes on one PostgreSQL, one Redis and one data directory (issue 23, 2): stock
 * y-websocket clients signed in through the accounts API converge across the processes, and after a
 * `kill -9` of one node its client, pointed at the other, is back in sync with nothing stored lost.
 */
import { rmSync } from 'node:fs';
import pg from 'pg';
import { expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { connectProvider, tempDir, waitUntil, whenSynced } from '../sync/testing/harness';
import { login, spawnServer, type ServerProcess } from '../sync/testing/server-process';
import { postgresAndRedisForFile } from './testing/engines-for-file';

const engines = postgresAndRedisForFile();

const PASSWORD = 'correct horse battery staple';

it('two processes: live convergence across nodes, and a kill -9 loses nothing that was stored', async () => {
  const dataDir = tempDir();
  const databaseUrl = await engines.postgres.createDatabase();
  const args = ['--port', '0', '--data-dir', dataDir, '--database-url', databaseUrl, '--redis-url', engines.redis.url];
  const nodes: ServerProcess[] = [];
  const providers: WebsocketProvider[] = [];
  try {
    nodes.push(await spawnServer([...args, '--admin-email', 'admin@nodes.test', '--admin-password', PASSWORD]));
    nodes.push(await spawnServer(args));
    const [one, two] = nodes as [ServerProcess, ServerProcess];
    // Signed in on node one, the token works on node two (one data directory for accounts, for now).
    const { token, user } = await login(one.url, 'admin@nodes.test', PASSWORD);
    const room = `org/${user.orgId}/roster`;
    const ws = (node: ServerProcess) => `ws://127.0.0.1:${node.port}/sync`;
    const a = connectProvider(ws(one), room, token);
    const b = connectProvider(ws(two), room, token);
    providers.push(a, b);
    await Promise.all([whenSynced(a), whenSynced(b)]);

    for (let i = 0; i < 40; i++) {
      a.doc.getMap('m').set(`a${i}`, i);
      b.doc.getMap('m').set(`b${i}`, i);
    }
    await waitUntil(() => a.doc.getMap('m').size === 80 && b.doc.getMap('m').size === 80, 10_000, 'convergence');
    expect(a.doc.getMap('m').toJSON()).toEqual(b.doc.getMap('m').toJSON());

    // Everything is stored in PostgreSQL (by whichever node took it), then node one dies without a goodbye.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const stored = async () => {
      const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM room_updates WHERE room = $1', [room]);
      return Number(rows[0]!.n);
    };
    const deadline = Date.now() + 10_000;
    while ((await stored()) < 80 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await stored()).toBe(80);
    await db.end();
    await one.kill9();
    a.destroy();
    // Its desktop reconnects to the surviving node with the document it holds, and is in sync at once.
    const started = Date.now();
    const moved = connectProvider(ws(two), room, token, a.doc);
    providers.push(moved);
    await whenSynced(moved);
    const fresh = connectProvider(ws(two), room, token, new Y.Doc());
    providers.push(fresh);
    await whenSynced(fresh);
    expect(fresh.doc.getMap('m').size).toBe(80);
    expect(Date.now() - started).toBeLessThan(3000);
    moved.doc.getMap('m').set('after', true);
    await waitUntil(() => b.doc.getMap('m').get('after') === true, 5000, 'edits after the failover');
  } finally {
    for (const p of providers) p.destroy();
    for (const node of nodes) await node.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 90_000);
