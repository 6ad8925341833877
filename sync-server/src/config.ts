/**
 * `npm run server -- [flags]`: flags win over environment variables, which win over defaults (DESIGN §7).
 * Everything is validated with zod, so a wrong value stops the start with a message naming the flag.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_DATA_DIR, resolveDataDir } from './accounts/data-dir';
import { DEFAULT_LIMITS } from './sync/limits';

export const DEFAULT_PORT = 4455;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_ARCHIVE_EVERY_MINUTES = 60;

export const USAGE = `Usage: npm run server -- [options]

  --port <n>                  TCP port (env CREWLINE_PORT, default ${DEFAULT_PORT}; 0 picks a free one)
  --host <address>            address to listen on (env CREWLINE_HOST, default ${DEFAULT_HOST})
  --data-dir <dir>            where accounts.sqlite and rooms.sqlite live
                              (env CREWLINE_DATA_DIR, default ${DEFAULT_DATA_DIR})
  --admin-email <email>       first start: create the organization's first admin with this email...
  --admin-password <pw>       ...and this password (env CREWLINE_ADMIN_EMAIL / CREWLINE_ADMIN_PASSWORD);
                              without them the first start prints a one-time setup code
  --org-name <name>           first start: the organization's name (default "My organization")
  --max-payload-bytes <n>     largest WebSocket message (env CREWLINE_MAX_PAYLOAD_BYTES, default ${DEFAULT_LIMITS.maxPayloadBytes})
  --sqlite-synchronous <mode> normal (default) or full: fsync every commit of the update log
                              (env CREWLINE_SQLITE_SYNCHRONOUS)
  --archive-every-minutes <n> how often closed bookings are archived; 0 turns it off
                              (env CREWLINE_ARCHIVE_EVERY_MINUTES, default ${DEFAULT_ARCHIVE_EVERY_MINUTES})
  --help                      show this text`;

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const ConfigSchema = z.strictObject({
  port: integer(0, 65535).default(DEFAULT_PORT),
  host: z.string().trim().min(1, 'Required').default(DEFAULT_HOST),
  dataDir: z.string().min(1),
  adminEmail: z.string().optional(),
  adminPassword: z.string().optional(),
  orgName: z.string().optional(),
  maxPayloadBytes: integer(1024, 256 * 1024 * 1024).default(DEFAULT_LIMITS.maxPayloadBytes),
  sqliteSynchronous: z.enum(['normal', 'full']).default('normal'),
  archiveEveryMinutes: integer(0, 7 * 24 * 60).default(DEFAULT_ARCHIVE_EVERY_MINUTES),
});
export type Config = z.output<typeof ConfigSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; help: true } | { ok: false; error: string };

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  'admin-email': { type: 'string' },
  'admin-password': { type: 'string' },
  'org-name': { type: 'string' },
  'max-payload-bytes': { type: 'string' },
  'sqlite-synchronous': { type: 'string' },
  'archive-every-minutes': { type: 'string' },
  help: { type: 'boolean' },
} as const;

const FLAG_OF: Record<string, string> = {
  port: '--port',
  host: '--host',
  dataDir: '--data-dir',
  adminEmail: '--admin-email',
  adminPassword: '--admin-password',
  orgName: '--org-name',
  maxPayloadBytes: '--max-payload-bytes',
  sqliteSynchronous: '--sqlite-synchronous',
  archiveEveryMinutes: '--archive-every-minutes',
};

/** Empty environment variables count as unset. */
const env = (vars: NodeJS.ProcessEnv, name: string): string | undefined => (vars[name] ? vars[name] : undefined);

export function parseConfig(argv: readonly string[], vars: NodeJS.ProcessEnv = process.env): ConfigResult {
  let values: Partial<Record<keyof typeof FLAGS, string | boolean>>;
  try {
    values = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { ok: false, help: true };
  const flag = (name: keyof typeof FLAGS) => values[name] as string | undefined;
  const raw = {
    port: flag('port') ?? env(vars, 'CREWLINE_PORT'),
    host: flag('host') ?? env(vars, 'CREWLINE_HOST'),
    dataDir: resolveDataDir(flag('data-dir'), vars),
    adminEmail: flag('admin-email') ?? env(vars, 'CREWLINE_ADMIN_EMAIL'),
    adminPassword: flag('admin-password') ?? env(vars, 'CREWLINE_ADMIN_PASSWORD'),
    orgName: flag('org-name'),
    maxPayloadBytes: flag('max-payload-bytes') ?? env(vars, 'CREWLINE_MAX_PAYLOAD_BYTES'),
    sqliteSynchronous: flag('sqlite-synchronous') ?? env(vars, 'CREWLINE_SQLITE_SYNCHRONOUS'),
    archiveEveryMinutes: flag('archive-every-minutes') ?? env(vars, 'CREWLINE_ARCHIVE_EVERY_MINUTES'),
  };
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    return { ok: false, error: `${FLAG_OF[key] ?? key}: ${issue.message}` };
  }
  if ((parsed.data.adminEmail === undefined) !== (parsed.data.adminPassword === undefined)) {
    return { ok: false, error: '--admin-email and --admin-password go together' };
  }
  return { ok: true, config: parsed.data };
}
