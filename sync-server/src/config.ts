/**
 * `npm run server -- [flags]`: flags win over environment variables, which win over defaults (docs/design.md §7).
 * Everything is validated with zod, so a wrong value stops the start with a message naming the flag.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_DATA_DIR, resolveDataDir } from './accounts/data-dir';
import { DEFAULT_MAIL_FROM } from './notifications/channels';
import type { NotificationOptions } from './notifications/notifications';
import { DEFAULT_RETRY } from './notifications/retry';
import { DEFAULT_LIMITS } from './sync/limits';
import { LOG_LEVELS } from './log';
import { parseNowFlag } from '../../core/clock';

export const DEFAULT_PORT = 4455;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_ARCHIVE_EVERY_MINUTES = 60;
export const DEFAULT_NOTIFY_BATCH_SECONDS = 60;
/** The default in-flight budget, in frames of the largest size (DEFAULT_LIMITS: 3 x 64 MiB). */
export const IN_FLIGHT_PER_PAYLOAD = DEFAULT_LIMITS.maxBytesInFlight / DEFAULT_LIMITS.maxPayloadBytes;

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
  --max-bytes-in-flight <n>   bytes of incoming messages all connections together may hold in memory; a message
                              that would go over is refused with close code 1013, try again later
                              (env CREWLINE_MAX_BYTES_IN_FLIGHT, default ${IN_FLIGHT_PER_PAYLOAD} x --max-payload-bytes)
  --sqlite-synchronous <mode> normal (default) or full: fsync every commit of the update log
                              (env CREWLINE_SQLITE_SYNCHRONOUS)
  --database-url <url>        keep rooms, accounts, calendar feed tokens and the notification outbox in this
                              PostgreSQL, shared by every node, postgres://user:pass@host:5432/crewline
                              (env CREWLINE_DATABASE_URL; default: the SQLite files in the data dir). See sync-server/README.md "Many nodes".
  --redis-url <url>           updates, awareness and revocations reach the other nodes through this Redis,
                              redis://host:6379 (env CREWLINE_REDIS_URL; needs --database-url)
  --archive-every-minutes <n> how often closed bookings are archived; 0 turns it off
                              (env CREWLINE_ARCHIVE_EVERY_MINUTES, default ${DEFAULT_ARCHIVE_EVERY_MINUTES})

Notifications (sync-server/README.md "Notifications"); a channel not configured writes files instead:
  --smtp-url <url>            email through this SMTP server, smtp://user:pass@host:587 or smtps://...
                              (env CREWLINE_SMTP_URL)
  --mail-from <address>       the From of every email (env CREWLINE_MAIL_FROM, default "${DEFAULT_MAIL_FROM}")
  --sms-webhook-url <url>     SMS through this webhook; credentials in the URL become Basic auth
                              (env CREWLINE_SMS_WEBHOOK_URL)
  --sms-webhook-style <s>     twilio (form To/From/Body, default) or json (env CREWLINE_SMS_WEBHOOK_STYLE)
  --sms-from <number>         the sender number given to the SMS webhook (env CREWLINE_SMS_FROM)
  --chat-webhook-url <url>    team chat through this webhook (env CREWLINE_CHAT_WEBHOOK_URL)
  --chat-webhook-style <s>    slack ({text, blocks}, default) or json (env CREWLINE_CHAT_WEBHOOK_STYLE)
  --notify-outbox-dir <dir>   where unconfigured channels write messages (env CREWLINE_NOTIFY_OUTBOX_DIR,
                              default <data dir>/outbox)
  --notify-batch-seconds <n>  changes for one recipient within this window become one message
                              (env CREWLINE_NOTIFY_BATCH_SECONDS, default ${DEFAULT_NOTIFY_BATCH_SECONDS})
  --notify-max-attempts <n>   delivery attempts before a message is dead-lettered
                              (env CREWLINE_NOTIFY_MAX_ATTEMPTS, default ${DEFAULT_RETRY.maxAttempts})
  --notify-retry-base-ms <n>  first retry after about this long, doubling each time
                              (env CREWLINE_NOTIFY_RETRY_BASE_MS, default ${DEFAULT_RETRY.baseMs})
  --notify-timeout-ms <n>     one delivery attempt's deadline (env CREWLINE_NOTIFY_TIMEOUT_MS, default 15000)
  --notify-tick-ms <n>        how often the worker looks for work (env CREWLINE_NOTIFY_TICK_MS, default 1000)
  --updates-dir <dir>         serve this folder's desktop updates (latest*.yml, installers, blockmaps) at
                              GET /updates/<file>, for the app's auto-update (env CREWLINE_UPDATES_DIR;
                              default: none). See sync-server/README.md "Desktop updates".
  --log-level <level>         structured JSON log lines on stdout at this level and above: fatal, error, warn,
                              info, debug, trace or silent (env CREWLINE_LOG_LEVEL, default info)
  --now <instant>             start the server's clock at this ISO-8601 instant (2026-11-24T14:00:00Z); it
                              runs from there: tests and demos (env CREWLINE_NOW, default: the system clock)
  --known-doc-format <n>      treat documents of this format as this server's own: rooms are raised to it when
                              they load, and desktops that know an older one go read-only. Tests an
                              organization's move to a newer format (default: this build's own)
  --help                      show this text`;

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const urlOf = (protocols: RegExp, example: string) =>
  z.url({ protocol: protocols, error: `Must be a URL like ${example}` }).optional();

export const ConfigSchema = z.strictObject({
  port: integer(0, 65535).default(DEFAULT_PORT),
  host: z.string().trim().min(1, 'Required').default(DEFAULT_HOST),
  dataDir: z.string().min(1),
  adminEmail: z.string().optional(),
  adminPassword: z.string().optional(),
  orgName: z.string().optional(),
  maxPayloadBytes: integer(1024, 256 * 1024 * 1024).default(DEFAULT_LIMITS.maxPayloadBytes),
  /** Undefined: IN_FLIGHT_PER_PAYLOAD frames of the largest size (resolved by parseConfig). */
  maxBytesInFlight: integer(1024, 64 * 1024 * 1024 * 1024).optional(),
  sqliteSynchronous: z.enum(['normal', 'full']).default('normal'),
  databaseUrl: urlOf(/^postgres(ql)?$/, 'postgres://crewline:secret@db.example.com:5432/crewline'),
  redisUrl: urlOf(/^rediss?$/, 'redis://cache.example.com:6379'),
  archiveEveryMinutes: integer(0, 7 * 24 * 60).default(DEFAULT_ARCHIVE_EVERY_MINUTES),
  smtpUrl: urlOf(/^smtps?$/, 'smtp://user:pass@mail.example.com:587'),
  mailFrom: z.string().trim().min(3).max(300).optional(),
  smsWebhookUrl: urlOf(/^https?$/, 'https://sid:token@api.example.com/sms'),
  smsWebhookStyle: z.enum(['twilio', 'json']).default('twilio'),
  smsFrom: z.string().trim().max(40).optional(),
  chatWebhookUrl: urlOf(/^https?$/, 'https://hooks.example.com/services/T0/B0/xyz'),
  chatWebhookStyle: z.enum(['slack', 'json']).default('slack'),
  notifyOutboxDir: z.string().min(1).optional(),
  notifyBatchSeconds: integer(0, 3600).default(DEFAULT_NOTIFY_BATCH_SECONDS),
  notifyMaxAttempts: integer(1, 100).default(DEFAULT_RETRY.maxAttempts),
  notifyRetryBaseMs: integer(10, 3_600_000).default(DEFAULT_RETRY.baseMs),
  notifyTimeoutMs: integer(100, 600_000).default(15_000),
  notifyTickMs: integer(10, 60_000).default(1000),
  /** Absolute; undefined: no /updates/ route. */
  updatesDir: z.string().min(1).optional(),
  logLevel: z.enum(LOG_LEVELS, { error: `One of ${LOG_LEVELS.join(', ')}` }).default('info'),
  /** Undefined: this build's DOC_SCHEMA_VERSION. */
  knownDocFormat: integer(1, 1000).optional(),
  /** Epoch ms the clock starts at; undefined: the system clock. */
  nowMs: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const start = parseNowFlag(value);
      if (start.ok) return start.ms;
      ctx.addIssue({ code: 'custom', message: start.error.replace(/^--now /, '') });
      return z.NEVER;
    }),
});
export type Config = Omit<z.output<typeof ConfigSchema>, 'maxBytesInFlight'> & { maxBytesInFlight: number };

export type ConfigResult = { ok: true; config: Config } | { ok: false; help: true } | { ok: false; error: string };

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  'admin-email': { type: 'string' },
  'admin-password': { type: 'string' },
  'org-name': { type: 'string' },
  'max-payload-bytes': { type: 'string' },
  'max-bytes-in-flight': { type: 'string' },
  'sqlite-synchronous': { type: 'string' },
  'database-url': { type: 'string' },
  'redis-url': { type: 'string' },
  'archive-every-minutes': { type: 'string' },
  'smtp-url': { type: 'string' },
  'mail-from': { type: 'string' },
  'sms-webhook-url': { type: 'string' },
  'sms-webhook-style': { type: 'string' },
  'sms-from': { type: 'string' },
  'chat-webhook-url': { type: 'string' },
  'chat-webhook-style': { type: 'string' },
  'notify-outbox-dir': { type: 'string' },
  'notify-batch-seconds': { type: 'string' },
  'notify-max-attempts': { type: 'string' },
  'notify-retry-base-ms': { type: 'string' },
  'notify-timeout-ms': { type: 'string' },
  'notify-tick-ms': { type: 'string' },
  'updates-dir': { type: 'string' },
  'log-level': { type: 'string' },
  now: { type: 'string' },
  'known-doc-format': { type: 'string' },
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
  maxBytesInFlight: '--max-bytes-in-flight',
  sqliteSynchronous: '--sqlite-synchronous',
  databaseUrl: '--database-url',
  redisUrl: '--redis-url',
  archiveEveryMinutes: '--archive-every-minutes',
  smtpUrl: '--smtp-url',
  mailFrom: '--mail-from',
  smsWebhookUrl: '--sms-webhook-url',
  smsWebhookStyle: '--sms-webhook-style',
  smsFrom: '--sms-from',
  chatWebhookUrl: '--chat-webhook-url',
  chatWebhookStyle: '--chat-webhook-style',
  notifyOutboxDir: '--notify-outbox-dir',
  notifyBatchSeconds: '--notify-batch-seconds',
  notifyMaxAttempts: '--notify-max-attempts',
  notifyRetryBaseMs: '--notify-retry-base-ms',
  notifyTimeoutMs: '--notify-timeout-ms',
  notifyTickMs: '--notify-tick-ms',
  updatesDir: '--updates-dir',
  logLevel: '--log-level',
  nowMs: '--now',
  knownDocFormat: '--known-doc-format',
};

const absolute = (dir: string | undefined) => (dir === undefined || dir === '' ? dir : resolve(dir));

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
    maxBytesInFlight: flag('max-bytes-in-flight') ?? env(vars, 'CREWLINE_MAX_BYTES_IN_FLIGHT'),
    sqliteSynchronous: flag('sqlite-synchronous') ?? env(vars, 'CREWLINE_SQLITE_SYNCHRONOUS'),
    databaseUrl: flag('database-url') ?? env(vars, 'CREWLINE_DATABASE_URL'),
    redisUrl: flag('redis-url') ?? env(vars, 'CREWLINE_REDIS_URL'),
    archiveEveryMinutes: flag('archive-every-minutes') ?? env(vars, 'CREWLINE_ARCHIVE_EVERY_MINUTES'),
    smtpUrl: flag('smtp-url') ?? env(vars, 'CREWLINE_SMTP_URL'),
    mailFrom: flag('mail-from') ?? env(vars, 'CREWLINE_MAIL_FROM'),
    smsWebhookUrl: flag('sms-webhook-url') ?? env(vars, 'CREWLINE_SMS_WEBHOOK_URL'),
    smsWebhookStyle: flag('sms-webhook-style') ?? env(vars, 'CREWLINE_SMS_WEBHOOK_STYLE'),
    smsFrom: flag('sms-from') ?? env(vars, 'CREWLINE_SMS_FROM'),
    chatWebhookUrl: flag('chat-webhook-url') ?? env(vars, 'CREWLINE_CHAT_WEBHOOK_URL'),
    chatWebhookStyle: flag('chat-webhook-style') ?? env(vars, 'CREWLINE_CHAT_WEBHOOK_STYLE'),
    notifyOutboxDir: flag('notify-outbox-dir') ?? env(vars, 'CREWLINE_NOTIFY_OUTBOX_DIR'),
    notifyBatchSeconds: flag('notify-batch-seconds') ?? env(vars, 'CREWLINE_NOTIFY_BATCH_SECONDS'),
    notifyMaxAttempts: flag('notify-max-attempts') ?? env(vars, 'CREWLINE_NOTIFY_MAX_ATTEMPTS'),
    notifyRetryBaseMs: flag('notify-retry-base-ms') ?? env(vars, 'CREWLINE_NOTIFY_RETRY_BASE_MS'),
    notifyTimeoutMs: flag('notify-timeout-ms') ?? env(vars, 'CREWLINE_NOTIFY_TIMEOUT_MS'),
    notifyTickMs: flag('notify-tick-ms') ?? env(vars, 'CREWLINE_NOTIFY_TICK_MS'),
    updatesDir: absolute(flag('updates-dir') ?? env(vars, 'CREWLINE_UPDATES_DIR')),
    logLevel: flag('log-level') ?? env(vars, 'CREWLINE_LOG_LEVEL'),
    nowMs: flag('now') ?? env(vars, 'CREWLINE_NOW'),
    knownDocFormat: flag('known-doc-format'),
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
  // Nodes on their own rooms.sqlite would each hold a different document: Redis only relays.
  if (parsed.data.redisUrl !== undefined && parsed.data.databaseUrl === undefined) {
    return { ok: false, error: '--redis-url needs --database-url: every node must read the same rooms' };
  }
  const { maxPayloadBytes } = parsed.data;
  const maxBytesInFlight = parsed.data.maxBytesInFlight ?? IN_FLIGHT_PER_PAYLOAD * maxPayloadBytes;
  if (maxBytesInFlight < maxPayloadBytes) {
    return {
      ok: false,
      error: `--max-bytes-in-flight: must be at least --max-payload-bytes (${maxPayloadBytes}), or the largest messages could never be received`,
    };
  }
  return { ok: true, config: { ...parsed.data, maxBytesInFlight } };
}

/** The notification worker's options from the configuration (channels left out are written as files). */
export function notificationOptions(config: Config): NotificationOptions {
  return {
    ...(config.smtpUrl ? { smtpUrl: config.smtpUrl } : {}),
    ...(config.mailFrom ? { mailFrom: config.mailFrom } : {}),
    ...(config.smsWebhookUrl ? { smsWebhookUrl: config.smsWebhookUrl, smsWebhookStyle: config.smsWebhookStyle } : {}),
    ...(config.smsFrom ? { smsFrom: config.smsFrom } : {}),
    ...(config.chatWebhookUrl ? { chatWebhookUrl: config.chatWebhookUrl, chatWebhookStyle: config.chatWebhookStyle } : {}),
    ...(config.notifyOutboxDir ? { outboxDir: config.notifyOutboxDir } : {}),
    batchWindowMs: config.notifyBatchSeconds * 1000,
    retry: { maxAttempts: config.notifyMaxAttempts, baseMs: config.notifyRetryBaseMs },
    timeoutMs: config.notifyTimeoutMs,
    tickMs: config.notifyTickMs,
  };
}
