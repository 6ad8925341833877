/**
 * The admin CLI's commands (`npm run server:admin -- <command>`, entry sync-server/src/admin-cli.ts):
 * organizations and users of a sync server's data directory. Safe while the server runs (SQLite WAL;
 * tokens are looked up per request, so a reset or a new user takes effect at once, and the server notices
 * our commits through `PRAGMA data_version` and closes the sockets of a user whose password was reset).
 * With `--database-url` it works on the accounts in PostgreSQL instead, and the nodes hear of a reset through
 * a PostgreSQL notice (LISTEN/NOTIFY).
 */
import { countText } from '../../../core/format';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ROLES, type Role } from '../auth/principal';
import { AccountError } from './account-errors';
import { AccountStore, type AccountStoreOptions } from './account-store';
import { DEFAULT_DATA_DIR, resolveDataDir } from './data-dir';

const USAGE = `Usage: npm run server:admin -- <command> [options]

Commands:
  add-org --name <name> --admin-email <email> --admin-password <password> [--admin-name <name>]
      Create an organization with its first admin; prints the new organization id.
  list-orgs
      One line per organization: id, name, number of users, created.
  add-user --org <orgId> --email <email> --name <name> --role <role> --password <password> [--provider-id <id>]
      Add a user who can sign in at once. Roles: ${ROLES.join(', ')}.
  list-users --org <orgId>
      One line per user: id, email, role, name, status.
  reset-password --email <email> --password <password>
      Set a new password and sign the user out everywhere.

Every command takes --data-dir <dir> (default: $CREWLINE_DATA_DIR, else ${DEFAULT_DATA_DIR}), or
--database-url postgres://… (default: $CREWLINE_DATABASE_URL) for a server whose accounts are in PostgreSQL.
Passwords given as arguments show up in shell history and process lists; change them after first use.`;

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | undefined>;

class UsageError extends Error {}

const text = (names: string[]): Options => Object.fromEntries(names.map((name) => [name, { type: 'string' }]));

/** Where a command writes: results to `out` (one line each), problems and usage to `err`. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

interface Command {
  options: string[];
  required: string[];
  run(store: AccountStore, values: Values, io: CliOutput): Promise<void> | void;
}

const COMMANDS: Record<string, Command> = {
  'add-org': {
    options: ['name', 'admin-email', 'admin-password', 'admin-name'],
    required: ['name', 'admin-email', 'admin-password'],
    async run(store, v, io) {
      const { org } = await store.createOrganization({
        name: v.name!,
        admin: { email: v['admin-email']!, password: v['admin-password']!, name: v['admin-name'] ?? 'Admin' },
      });
      io.out(org.id);
    },
  },
  'list-orgs': {
    options: [],
    required: [],
    async run(store, _values, io) {
      for (const org of await store.listOrganizations()) {
        io.out([org.id, org.name, countText(org.userCount, 'user'), org.createdAt].join('\t'));
      }
    },
  },
  'add-user': {
    options: ['org', 'email', 'name', 'role', 'password', 'provider-id'],
    required: ['org', 'email', 'name', 'role', 'password'],
    async run(store, v, io) {
      if (!(ROLES as readonly string[]).includes(v.role!)) {
        throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(v.role)}`);
      }
      const { user } = await store.inviteUser(v.org!, {
        email: v.email!,
        name: v.name!,
        role: v.role as Role,
        password: v.password!,
        ...(v['provider-id'] === undefined ? {} : { providerId: v['provider-id'] }),
      });
      io.out(user.id);
    },
  },
  'list-users': {
    options: ['org'],
    required: ['org'],
    async run(store, v, io) {
      if (!(await store.getOrganization(v.org!))) throw new AccountError('not_found', `No organization ${v.org}`);
      for (const user of await store.listUsers(v.org!)) {
        const status = user.disabled ? 'disabled' : user.hasPassword ? 'active' : 'invited';
        io.out([user.id, user.email, user.role, user.name, status].join('\t'));
      }
    },
  },
  'reset-password': {
    options: ['email', 'password'],
    required: ['email', 'password'],
    async run(store, v, io) {
      const user = await store.resetPassword({ email: v.email!, password: v.password! });
      io.out(`Password changed for ${user.email}; their sessions were signed out.`);
    },
  },
};

function parse(argv: string[]): { command: Command; values: Values } {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') throw new UsageError('');
  if (name === undefined || name.startsWith('-')) throw new UsageError('Give a command first, e.g. list-orgs');
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`Unknown command ${JSON.stringify(name)}`);
  let values: Values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: text([...command.options, 'data-dir', 'database-url']),
      strict: true,
      allowPositionals: false,
    }) as { values: Values });
  } catch (error) {
    throw new UsageError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const missing = command.required.filter((option) => values[option] === undefined || values[option] === '');
  if (missing.length > 0) throw new UsageError(`${name}: missing ${missing.map((m) => `--${m}`).join(', ')}`);
  return { command, values };
}

/**
 * Runs one command line (without the program name) and returns the exit code: 0 done, 1 refused (bad
 * value, conflict, not found), 2 bad usage. `store` options reach the AccountStore (tests pass a cheap scrypt).
 */
export async function runAdminCommand(
  argv: string[],
  io: CliOutput,
  { env = process.env, store: storeOptions = {} }: { env?: NodeJS.ProcessEnv; store?: AccountStoreOptions } = {},
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (!error.message) {
      io.out(USAGE);
      return 0;
    }
    io.err(`error: ${error.message}\n`);
    io.err(USAGE);
    return 2;
  }
  const databaseUrl = parsed.values['database-url'] ?? (env.CREWLINE_DATABASE_URL || undefined);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    io.err(`error: --database-url must be a URL like postgres://crewline:secret@db.example.com:5432/crewline\n\n${USAGE}`);
    return 2;
  }
  const store = await AccountStore.openFor(resolveDataDir(parsed.values['data-dir'], env), databaseUrl, storeOptions);
  try {
    await parsed.command.run(store, parsed.values, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof AccountError) {
      const { field, message } = error;
      io.err(`error: ${field ? `--${kebab(field)}: ${message.replace(`${field}: `, '')}` : message}`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

/** Field names from the accounts module (`providerId`, `admin.email`) as the flags that carry them. */
function kebab(field: string): string {
  return field.replace(/\./g, '-').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
