import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notificationOptions, parseConfig } from './config';

describe('parseConfig', () => {
  it('uses the docs/design.md §7 defaults', () => {
    expect(parseConfig([], {})).toEqual({
      ok: true,
      config: {
        port: 4455,
        host: '127.0.0.1',
        dataDir: resolve('./crewline-server-data'),
        maxPayloadBytes: 64 * 1024 * 1024,
        maxBytesInFlight: 3 * 64 * 1024 * 1024,
        sqliteSynchronous: 'normal',
        archiveEveryMinutes: 60,
        smsWebhookStyle: 'twilio',
        chatWebhookStyle: 'slack',
        notifyBatchSeconds: 60,
        notifyMaxAttempts: 8,
        notifyRetryBaseMs: 5000,
        notifyTimeoutMs: 15_000,
        notifyTickMs: 1000,
        logLevel: 'info',
      },
    });
  });

  it('reads the notification channels and checks their URLs', () => {
    const env = { CREWLINE_SMTP_URL: 'smtp://u:p@mail.example.com:587', CREWLINE_SMS_WEBHOOK_URL: 'https://sid:tok@sms.example.com/send' };
    const parsed = parseConfig(['--chat-webhook-url', 'https://hooks.example.com/x', '--chat-webhook-style', 'json', '--notify-batch-seconds', '0'], env);
    expect(parsed.ok && notificationOptions(parsed.config)).toMatchObject({
      smtpUrl: 'smtp://u:p@mail.example.com:587',
      smsWebhookUrl: 'https://sid:tok@sms.example.com/send',
      smsWebhookStyle: 'twilio',
      chatWebhookUrl: 'https://hooks.example.com/x',
      chatWebhookStyle: 'json',
      batchWindowMs: 0,
      retry: { maxAttempts: 8, baseMs: 5000 },
    });
    expect(parseConfig(['--smtp-url', 'http://mail.example.com'], {})).toEqual({ ok: false, error: expect.stringMatching(/^--smtp-url: /) });
    expect(parseConfig(['--sms-webhook-style', 'carrier-pigeon'], {})).toEqual({ ok: false, error: expect.stringMatching(/^--sms-webhook-style: /) });
    expect(parseConfig([], { CREWLINE_NOTIFY_MAX_ATTEMPTS: '0' })).toEqual({ ok: false, error: expect.stringMatching(/^--notify-max-attempts: /) });
    expect(parseConfig(['--log-level', 'chatty'], {})).toEqual({ ok: false, error: '--log-level: One of fatal, error, warn, info, debug, trace, silent' });
    expect(parseConfig([], { CREWLINE_LOG_LEVEL: 'debug' })).toMatchObject({ ok: true, config: { logLevel: 'debug' } });
    expect(parseConfig(['--log-level', 'warn'], { CREWLINE_LOG_LEVEL: 'debug' })).toMatchObject({ ok: true, config: { logLevel: 'warn' } });
  });

  it('takes environment variables, and flags over them', () => {
    const env = { CREWLINE_PORT: '5000', CREWLINE_HOST: '0.0.0.0', CREWLINE_DATA_DIR: '/tmp/env-dir', CREWLINE_SQLITE_SYNCHRONOUS: 'full' };
    const fromEnv = parseConfig([], env);
    expect(fromEnv.ok && fromEnv.config).toMatchObject({ port: 5000, host: '0.0.0.0', dataDir: '/tmp/env-dir', sqliteSynchronous: 'full' });
    const fromFlags = parseConfig(['--port', '0', '--host', '::1', '--data-dir', '/tmp/flag-dir', '--admin-email', 'a@b.c', '--admin-password', 'pw12345678'], env);
    expect(fromFlags.ok && fromFlags.config).toMatchObject({
      port: 0,
      host: '::1',
      dataDir: '/tmp/flag-dir',
      adminEmail: 'a@b.c',
      adminPassword: 'pw12345678',
    });
    // Empty variables count as unset.
    const empty = parseConfig([], { CREWLINE_PORT: '' });
    expect(empty.ok && empty.config.port).toBe(4455);
  });

  it('starts the clock at --now (or CREWLINE_NOW), an instant with its zone', () => {
    const flagged = parseConfig(['--now', '2026-11-24T14:00:00Z'], {});
    expect(flagged.ok && flagged.config.nowMs).toBe(Date.parse('2026-11-24T14:00:00Z'));
    const fromEnv = parseConfig([], { CREWLINE_NOW: '2027-03-14T01:30:00-06:00' });
    expect(fromEnv.ok && fromEnv.config.nowMs).toBe(Date.parse('2027-03-14T07:30:00Z'));
    const unset = parseConfig([], {});
    expect(unset.ok && unset.config.nowMs).toBeUndefined();
    expect(parseConfig(['--now', '2026-11-24'], {})).toEqual({ ok: false, error: expect.stringMatching(/^--now: must be an ISO-8601 instant/) });
  });

  it('takes the document format it knows from --known-doc-format, this build\'s own by default', () => {
    const flagged = parseConfig(['--known-doc-format', '3'], {});
    expect(flagged.ok && flagged.config.knownDocFormat).toBe(3);
    const unset = parseConfig([], {});
    expect(unset.ok && unset.config.knownDocFormat).toBeUndefined();
    expect(parseConfig(['--known-doc-format', '0'], {})).toEqual({ ok: false, error: expect.stringMatching(/^--known-doc-format: /) });
  });

  it('sizes the bytes-in-flight budget to three of the largest messages unless told, and never below one', () => {
    const sized = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      const parsed = parseConfig(argv, env);
      return parsed.ok ? parsed.config.maxBytesInFlight : parsed;
    };
    expect(sized(['--max-payload-bytes', '1048576'])).toBe(3 * 1024 * 1024);
    expect(sized([], { CREWLINE_MAX_BYTES_IN_FLIGHT: '100000000' })).toBe(100_000_000);
    expect(sized(['--max-bytes-in-flight', '2097152', '--max-payload-bytes', '2097152'])).toBe(2 * 1024 * 1024);
    expect(sized(['--max-bytes-in-flight', '1048576'])).toEqual({
      ok: false,
      error: '--max-bytes-in-flight: must be at least --max-payload-bytes (67108864), or the largest messages could never be received',
    });
    expect(sized(['--max-bytes-in-flight', 'lots'])).toEqual({ ok: false, error: expect.stringMatching(/^--max-bytes-in-flight: /) });
  });

  it('takes a PostgreSQL and a Redis URL for many nodes, Redis only with PostgreSQL', () => {
    const both = parseConfig(['--database-url', 'postgres://crewline@db:5432/crewline'], { CREWLINE_REDIS_URL: 'redis://cache:6379' });
    expect(both).toMatchObject({ ok: true, config: { databaseUrl: 'postgres://crewline@db:5432/crewline', redisUrl: 'redis://cache:6379' } });
    expect(parseConfig([], {})).toMatchObject({ ok: true, config: { databaseUrl: undefined, redisUrl: undefined } });
    expect(parseConfig(['--database-url', 'mysql://db/x'], {})).toEqual({ ok: false, error: expect.stringMatching(/^--database-url: /) });
    expect(parseConfig(['--redis-url', 'redis://cache:6379'], {})).toEqual({ ok: false, error: expect.stringMatching(/^--redis-url needs --database-url/) });
  });

  it('names the flag that is wrong', () => {
    expect(parseConfig(['--port', '70000'], {})).toEqual({ ok: false, error: expect.stringMatching(/^--port: /) });
    expect(parseConfig(['--port', 'x'], {})).toEqual({ ok: false, error: expect.stringMatching(/^--port: /) });
    expect(parseConfig([], { CREWLINE_PORT: '-1' })).toEqual({ ok: false, error: expect.stringMatching(/^--port: /) });
    expect(parseConfig(['--sqlite-synchronous', 'off'], {})).toEqual({ ok: false, error: expect.stringMatching(/^--sqlite-synchronous: /) });
    expect(parseConfig(['--admin-password', 'x'], {})).toEqual({ ok: false, error: '--admin-email and --admin-password go together' });
    expect(parseConfig(['--nope'], {})).toEqual({ ok: false, error: expect.stringMatching(/nope/) });
    expect(parseConfig(['extra'], {})).toEqual({ ok: false, error: expect.stringMatching(/extra/) });
    expect(parseConfig(['--help'], {})).toEqual({ ok: false, help: true });
  });

  it('serves updates from --updates-dir (or CREWLINE_UPDATES_DIR), made absolute; none by default', () => {
    const flagged = parseConfig(['--updates-dir', 'releases/desktop'], { CREWLINE_UPDATES_DIR: '/srv/other' });
    expect(flagged.ok && flagged.config.updatesDir).toBe(resolve('releases/desktop'));
    const fromEnv = parseConfig([], { CREWLINE_UPDATES_DIR: '/srv/crewline/updates' });
    expect(fromEnv.ok && fromEnv.config.updatesDir).toBe('/srv/crewline/updates');
    const unset = parseConfig([], { CREWLINE_UPDATES_DIR: '' });
    expect(unset.ok && unset.config.updatesDir).toBeUndefined();
    expect(parseConfig(['--updates-dir', ''], {})).toEqual({ ok: false, error: expect.stringMatching(/^--updates-dir: /) });
  });
});
