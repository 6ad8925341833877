/**
 * `npm run server`: the Crewline sync server (docs/design.md §7). Flags and environment: see `config.ts` or
 * `--help`. On a first start with an empty data directory it creates an organization and prints a one-time
 * setup code for its first admin (or creates that admin from `--admin-email/--admin-password`). The last
 * line of the start-up output is `Crewline sync server listening on http://host:port`.
 */
import { AccountError } from './accounts/account-errors';
import { AccountStore } from './accounts/account-store';
import { notificationOptions, parseConfig, USAGE } from './config';
import { createLog } from './log';
import { createSyncServer, type SyncServer } from './server';
import { checkUpdatesDirAtStart, updatesDirError } from './updates/self-check';
import { clockStartingAt, systemClock } from '../../core/clock';

async function main(): Promise<void> {
  const parsed = parseConfig(process.argv.slice(2));
  if (!parsed.ok) {
    if ('help' in parsed) {
      console.log(USAGE);
      return;
    }
    console.error(`crewline server: ${parsed.error}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const config = parsed.config;
  const log = createLog(config.logLevel);
  const updatesProblem = config.updatesDir === undefined ? null : await updatesDirError(config.updatesDir);
  if (updatesProblem !== null) {
    console.error(`crewline server: ${updatesProblem}`);
    process.exitCode = 2;
    return;
  }

  const clock = config.nowMs === undefined ? systemClock : clockStartingAt(config.nowMs);
  const accounts = await AccountStore.openFor(config.dataDir, config.databaseUrl, { now: clock });
  let first: Awaited<ReturnType<AccountStore['ensureFirstOrganization']>>;
  try {
    first = await accounts.ensureFirstOrganization({
      ...(config.adminEmail !== undefined ? { adminEmail: config.adminEmail } : {}),
      ...(config.adminPassword !== undefined ? { adminPassword: config.adminPassword } : {}),
      ...(config.orgName !== undefined ? { orgName: config.orgName } : {}),
    });
  } catch (error) {
    await accounts.close();
    const message = error instanceof AccountError ? error.message : String(error);
    console.error(`crewline server: could not set up the first organization: ${message}`);
    process.exitCode = 2;
    return;
  }

  // Handlers go in before anything is printed: whoever reads the "listening" line may signal at once, and
  // a signal that arrives before a handler exists kills the process without flushing.
  let stopping = false;
  let started: Promise<SyncServer> | null = null;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing (flushing and compacting rooms)...`);
    (started ?? Promise.resolve(null))
      .then((server) => server?.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.fatal({ event: 'close_failed', err: { message: String(error) } }, 'close failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  started = createSyncServer({
    dataDir: config.dataDir,
    clock,
    port: config.port,
    host: config.host,
    accounts,
    limits: { maxPayloadBytes: config.maxPayloadBytes, maxBytesInFlight: config.maxBytesInFlight },
    sqliteSynchronous: config.sqliteSynchronous,
    databaseUrl: config.databaseUrl,
    redisUrl: config.redisUrl,
    archiveEveryMs: config.archiveEveryMinutes * 60_000,
    notifications: notificationOptions(config),
    ...(config.updatesDir !== undefined ? { updatesDir: config.updatesDir } : {}),
    ...(config.knownDocFormat !== undefined ? { knownDocFormat: config.knownDocFormat } : {}),
    log,
  });
  const server = await started;

  console.log(`Data directory: ${config.dataDir}`);
  if (first.created) console.log(`Created organization ${first.orgId}`);
  if (first.setupCode) {
    console.log(
      `One-time admin setup code for organization ${first.orgId}: ${first.setupCode.code}` +
        ` (valid until ${first.setupCode.expiresAt}; redeem it with POST /api/auth/setup)`,
    );
  }
  console.log(`Crewline sync server listening on ${server.url}`);
  // Feeds against their installers, in the background: a problem is a warning in the log.
  if (config.updatesDir !== undefined) void checkUpdatesDirAtStart(config.updatesDir, log);
}

main().catch((error: unknown) => {
  console.error('crewline server: failed to start', error);
  process.exit(1);
});
