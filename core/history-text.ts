import type { Formatter } from './format';
import type { HistoryEntry } from './model';
import { toMs } from './time';

/**
 * A history line as the reader's organization writes times (12 or 24 h, issue #22): entries keep their
 * times as facts (`times`) next to a 24 h text, and the text part is replaced here. Entries written before
 * the facts existed, or whose text does not hold the part (never expected), show their summary as written.
 */
export function historySummaryText(entry: Pick<HistoryEntry, 'summary' | 'times'>, fmt: Formatter): string {
  const times = entry.times;
  if (!times || !entry.summary.includes(times.text)) return entry.summary;
  const [start, end] = [toMs(times.start), toMs(times.end)];
  let when = `${fmt.day(start)}, ${fmt.timeRange(start, end)}`;
  if (times.with) when += ` with ${times.with.length > 0 ? fmt.list(times.with) : 'nobody'}`;
  return entry.summary.replace(times.text, when);
}
