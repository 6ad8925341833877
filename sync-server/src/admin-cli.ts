/**
 * `npm run server:admin -- <command>`: manage organizations and users of a sync server's data directory.
 * `npm run server:admin -- --help` lists the commands (sync-server/src/accounts/admin-commands.ts).
 */
import { runAdminCommand } from './accounts/admin-commands';

process.exitCode = await runAdminCommand(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
