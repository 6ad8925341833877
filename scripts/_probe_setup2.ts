import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDesktop, startSyncServer, waitFor } from '../electron/backend/sync/testing/sync-harness';
const s = await startSyncServer();
const root = mkdtempSync(join(tmpdir(), 'probe-'));
const acc = s.server.accounts!;
for (let n = 0; n < 6; n++) {
  const t: Record<string, number> = {};
  let m = performance.now();
  const lap = (k: string) => { const x = performance.now(); t[k] = (t[k] ?? 0) + Math.round(x - m); m = x; };
  const { org } = await acc.createOrganization({ name: 'o' + n, admin: { email: `a${n}@x.example`, name: 'A', password: 'pppppppppppp' } });
  await acc.inviteUser(org.id, { email: `b${n}@x.example`, name: 'B', role: 'dispatcher', password: 'pppppppppppp' });
  lap('org');
  for (const [i, e] of [`a${n}@x.example`, `b${n}@x.example`].entries()) {
    const d = await openDesktop('d' + i, { dataDir: join(root, `${n}-${i}`), maxBackoffMs: 40 });
    lap('open');
    if (i === 0) { d.store.execute('initializeOrganization', { name: 'X', timeZone: 'America/Chicago' }); lap('seed'); }
    const r = await d.client.request('sync:signIn', { serverUrl: s.url, email: e, password: 'pppppppppppp' });
    if (!r.ok) throw new Error(r.error.message);
    lap('signIn');
    const l = await d.client.request('sync:link', { mode: i === 0 ? 'upload' : 'replace' });
    if (!l.ok) throw new Error(l.error.message);
    lap('link');
    await waitFor(() => d.sync.status().state === 'synced', 'synced');
    lap('synced');
  }
  console.log(JSON.stringify(t));
}
await s.dispose();
