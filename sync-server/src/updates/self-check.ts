import type { Log } from '../log';
import { checkUpdatesDir } from './update-feed';

/**
 * `--updates-dir` at start: the folder must be readable (else the start stops with the reason), and each
 * feed is checked against the files it names. A missing or altered installer is a warning, not a refusal:
 * the desktops refuse that download themselves (electron-updater checks the sha512) and keep running, so
 * the server still serves the rest; the warning tells the admin to upload the release again.
 */
export async function checkUpdatesDirAtStart(dir: string, log: Log): Promise<{ ok: true } | { ok: false; error: string }> {
  const check = await checkUpdatesDir(dir);
  if (!check.ok) return { ok: false, error: `--updates-dir: ${check.error}` };
  for (const problem of check.problems) {
    log.warn({ event: 'update_feed_problem', ...problem }, `update feed ${problem.feed}: ${problem.problem}${problem.file ? ` (${problem.file})` : ''}`);
  }
  if (check.feeds.length === 0) log.warn({ event: 'update_feed_problem', dir, problem: 'no latest*.yml' }, 'the updates folder has no feed yet');
  for (const feed of check.feeds) log.info({ event: 'update_feed', ...feed }, 'update feed');
  return { ok: true };
}
