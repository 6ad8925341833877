// The account store contract on a real PostgreSQL (issue 23, 1), started for this file from Debian's package.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { CalendarFeedStore } from '../calendar/feed-store';
import { startPostgres, type TestPostgres } from '../storage/testing/engines';
import { AccountStore } from './account-store';
import { accountStoreContract } from './testing/account-store-contract';

let server: TestPostgres;
let url = '';

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

async function query<T>(sql: string, params: readonly (string | number)[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let n = 0;
    const { rows } = await client.query(sql.replace(/\?/g, () => `$${++n}`), [...params]);
    // BIGINT times as numbers, as the stores read them.
    return rows.map((row: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /_at$/.test(k) ? Number(v) : v])),
    ) as T[];
  } finally {
    await client.end();
  }
}

const TABLES = ['organizations', 'users', 'tokens', 'one_time_codes', 'login_attempts'];

accountStoreContract('PostgreSQL', {
  reset: async () => {
    url = await server.createDatabase();
  },
  open: (options) => AccountStore.openPostgres(url, options),
  feeds: (now) => CalendarFeedStore.openPostgres(url, now),
  query,
  atRest: async () => {
    const parts: string[] = [];
    for (const table of TABLES) {
      for (const row of await query<{ t: string }>(`SELECT row_to_json(x)::text AS t FROM ${table} x`)) parts.push(row.t);
    }
    return Buffer.from(parts.join('\n'));
  },
  cleanup: async () => {},
  names: true,
});
