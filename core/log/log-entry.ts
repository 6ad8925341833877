/**
 * The desktop's structured log lines (issue 22, "logs a support person can read"): one JSON object per
 * line with `time`, `level`, `source`, `event`, `msg` and `fields`. Pure: the file and its rotation are
 * electron/backend/log.ts. Secrets never reach a line: fields whose key names a secret are replaced, and
 * callers pass counts and names, never bodies (see requestLogEntry).
 */
import { fail, type Result } from '../result';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

/** Which part of the desktop wrote it: main (Electron), host (web host or utility router), backend (worker). */
export type LogSource = 'main' | 'host' | 'backend';

export type LogFields = Record<string, unknown>;

export interface LogEntry {
  /** ISO instant, from the writer's clock. */
  time: string;
  level: LogLevel;
  source: LogSource;
  /** A stable dotted name to search for (`sync.sign_in_failed`), unlike `msg`, which is for people. */
  event: string;
  msg: string;
  fields: LogFields;
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/** `--log-level` / `CREWLINE_LOG_LEVEL`: a level, or a reason naming the allowed ones. */
export function parseLogLevel(raw: string | undefined): Result<LogLevel> {
  if (raw === undefined || raw.trim() === '') return { ok: true, value: DEFAULT_LOG_LEVEL };
  const value = raw.trim().toLowerCase();
  if (isLogLevel(value)) return { ok: true, value };
  return fail('validation', `Log level must be one of ${LOG_LEVELS.join(', ')}, got ${raw}`);
}

export function levelEnabled(level: LogLevel, threshold: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(threshold);
}

/** Field names whose values are never written, however a caller got them there. */
const SECRET_KEY = /password|passwd|token|secret|cookie|authorization|^(code|inviteCode|setupCode|body|text|csvText|rejectedCsv|apiKey|key)$/i;
export const REDACTED = '[redacted]';
const MAX_STRING = 2000;

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
  if (value instanceof Error) return { name: value.name, message: clean(value.message, depth) };
  if (depth >= 4) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => clean(item, depth + 1));
  return redactFields(value as LogFields, depth + 1);
}

export function redactFields(fields: LogFields, depth = 0): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || typeof value === 'function') continue;
    out[key] = SECRET_KEY.test(key) ? REDACTED : clean(value, depth);
  }
  return out;
}

/** A `?token=`/`code=` style secret inside a message or URL is cut out too. */
export function redactText(text: string): string {
  return text.replace(/([?&](?:token|code|password|secret)=)[^&\s]*/gi, `$1${REDACTED}`);
}

export function makeLogEntry(timeMs: number, level: LogLevel, source: LogSource, event: string, msg: string, fields: LogFields = {}): LogEntry {
  return { time: new Date(timeMs).toISOString(), level, source, event, msg: redactText(clean(msg, 0) as string), fields: redactFields(fields) };
}

/** One line of the file, newline included. */
export function formatLogLine(entry: LogEntry): string {
  return `${JSON.stringify({ ...entry, fields: redactFields(entry.fields) })}\n`;
}

/** A request slower than this is logged with its name and duration. */
export const SLOW_REQUEST_MS = 1000;

type LogDecision = Omit<LogEntry, 'time' | 'source'> | null;

/**
 * What a support person needs from one finished request, if anything: exceptions (`internal`), sync
 * sign-in failures (who and why, never the password or the token), import commits and backups (counts and
 * file names only), and slow requests. Inputs are never logged whole: only the fields picked here.
 */
export function requestLogEntry(name: string, input: unknown, result: Result<unknown>, ms: number): LogDecision {
  const took = Math.round(ms);
  const given = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  if (!result.ok) {
    const { code: errorType, message } = result.error;
    if (errorType === 'internal') return { level: 'error', event: 'request.failed', msg: `${name} failed: ${message}`, fields: { request: name, ms: took, error: message } };
    if (name === 'sync:signIn' || name === 'sync:redeemCode') {
      return {
        level: 'warn',
        event: 'sync.sign_in_failed',
        msg: `Sync sign-in failed: ${message}`,
        fields: { request: name, serverUrl: typeof given.serverUrl === 'string' ? redactText(given.serverUrl) : null, email: typeof given.email === 'string' ? given.email : null, errorType, error: message },
      };
    }
    if (name.startsWith('backup:') || name === 'import:commit' || name === 'sync:link') {
      return { level: 'warn', event: 'request.refused', msg: `${name} refused: ${message}`, fields: { request: name, errorType, error: message, ms: took } };
    }
  } else {
    const value = result.value as Record<string, unknown>;
    if (name === 'import:commit') {
      return {
        level: 'info',
        event: 'import.committed',
        msg: `Import committed (${String(given.kind)}): ${String(value.created)} created, ${String(value.updated)} updated, ${String(value.rejected)} rejected`,
        fields: { kind: given.kind, created: value.created, updated: value.updated, unchanged: value.unchanged, rejected: value.rejected, ms: took },
      };
    }
    if (name === 'backup:create') return { level: 'info', event: 'backup.created', msg: `Backup taken: ${String(value.name)}`, fields: { file: value.name, size: value.size, ms: took } };
    if (name === 'backup:restore') {
      return { level: 'info', event: 'backup.restored', msg: `Workspace restored from ${String(value.restoredFrom)}`, fields: { from: value.restoredFrom, discardedDrafts: value.discardedDrafts, ms: took } };
    }
    if (name === 'sync:link') return { level: 'info', event: 'sync.linked', msg: `Workspace linked to the organization (${String(given.mode)})`, fields: { mode: given.mode, ms: took } };
    if (name === 'sync:signOut') return { level: 'info', event: 'sync.signed_out', msg: 'Signed out of the sync server', fields: {} };
    if (name === 'sync:signIn' || name === 'sync:redeemCode') {
      const user = value.user as { id?: unknown; role?: unknown } | undefined;
      return { level: 'info', event: 'sync.signed_in', msg: 'Signed in to the sync server', fields: { request: name, orgId: value.orgId, userId: user?.id, role: user?.role, needsLink: value.needsLink } };
    }
  }
  if (took > SLOW_REQUEST_MS) return { level: 'warn', event: 'request.slow', msg: `${name} took ${took} ms`, fields: { request: name, ms: took } };
  return null;
}
