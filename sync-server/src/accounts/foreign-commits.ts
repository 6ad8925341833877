/**
 * Another process — `npm run server:admin` resetting a password, a script disabling a user — changes
 * accounts.sqlite without this server hearing of it, and open sync sockets keep the access their token had
 * at the upgrade. SQLite needs no extra channel for this: `PRAGMA data_version` moves whenever another
 * connection commits, so a cheap poll notices every such commit (and only those) within `everyMs`.
 */
import { errorFields, type Log } from '../log';

export interface CommitVersionSource {
  foreignCommitVersion(): number;
}

/** Calls `onCommit` after each poll that saw commits by other connections. Returns the stop function. */
export function watchForeignCommits(source: CommitVersionSource, everyMs: number, log: Log, onCommit: () => void): () => void {
  let seen = source.foreignCommitVersion();
  const timer = setInterval(() => {
    let version: number;
    try {
      version = source.foreignCommitVersion();
    } catch (error) {
      // Busy or closing: the next poll sees the same change.
      log.warn({ event: 'accounts_poll_failed', ...errorFields(error) }, 'could not read data_version');
      return;
    }
    if (version === seen) return;
    seen = version;
    onCommit();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
