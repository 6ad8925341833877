import { resolve } from 'node:path';

/** Where the server and the admin CLI keep their files unless told otherwise. */
export const DEFAULT_DATA_DIR = './crewline-server-data';

/** `--data-dir` flag, else env CREWLINE_DATA_DIR, else ./crewline-server-data — resolved against the cwd. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? (env.CREWLINE_DATA_DIR ? env.CREWLINE_DATA_DIR : DEFAULT_DATA_DIR);
  return resolve(chosen);
}
