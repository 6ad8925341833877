import type { Log } from '../log';
import { checkUpdatesDir, listUpdatesDir } from './update-feed';

/** `--updates-dir` before the server starts: a folder that cannot be read stops the start, with the reason. */
export async function updatesDirError(dir: string): Promise<string | null> {
  const listed = await listUpdatesDir(dir);
  return listed.ok ? null : `--updates-dir: ${listed.error}`;
}

/**
 * `--updates-dir` once the server listens: each feed is checked against the files it names (hashing every
 * installer takes about a second per 150 MB, so the start does not wait for it). A missing or altered
 * installer is a warning, not a refusal: the desktops refuse that download themselves (electron-updater
 * checks the sha512) and keep running, so the server still serves the rest; the warning tells the admin
 * to upload the release again.
 */
export async function checkUpdatesDirAtStart(dir: string, log: Log): Promise<{ ok: true } | { ok: false; error: string }> {
  const check = await checkUpdatesDir(dir);
  if (!check.ok) {
    // Readable at start (updatesDirError) but gone since: the downloads will 404 too.
    log.error({ event: 'update_feed_problem', problem: check.error }, 'the updates folder cannot be read');
    return { ok: false, error: `--updates-dir: ${check.error}` };
  }
  for (const problem of check.problems) {
    log.warn({ event: 'update_feed_problem', ...problem }, `update feed ${problem.feed}: ${problem.problem}${problem.file ? ` (${problem.file})` : ''}`);
  }
  if (check.feeds.length === 0) log.warn({ event: 'update_feed_problem', dir, problem: 'no latest*.yml' }, 'the updates folder has no feed yet');
  for (const feed of check.feeds) log.info({ event: 'update_feed', ...feed }, 'update feed');
  return { ok: true };
}
