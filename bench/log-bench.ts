/**
 * The desktop log's cost (issue 22): a synchronous append per line, so a burst of lines must stay cheap.
 * Writes `--lines` request.failed-sized lines (about 300 bytes) through the real file logger with the real
 * limits (5 MB × 5 files) into a temp data folder, and reports µs per line (p50 / p95 / p99.9 / max) and
 * the files left. `npx tsx bench/log-bench.ts [--lines 60000]`
 */
import { readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { logsDirOf, openFileLogger } from '../electron/backend/log';
import { tempDir } from '../electron/backend/store/testing/temp-dir';
import { ms, percentile, table } from './stats';

const { values } = parseArgs({ options: { lines: { type: 'string', default: '60000' } } });
const lines = Number(values.lines);
const tmp = tempDir('crewline-log-bench-');
try {
  const logger = openFileLogger(tmp.dir, { source: 'backend' });
  const fields = { request: 'board:getRange', ms: 3, error: 'SqliteError: database is locked while reading the bookings of the week' };
  const samples: number[] = [];
  for (let n = 0; n < lines; n++) {
    const started = performance.now();
    logger.error('request.failed', `board:getRange failed: ${fields.error} (#${n})`, fields);
    const took = (performance.now() - started) * 1000;
    samples.push(took);
  }
  console.log(
    table([
      {
        lines,
        'µs/line p50': ms(percentile(samples, 50)),
        'µs/line p95': ms(percentile(samples, 95)),
        'µs/line p99.9': ms(percentile(samples, 99.9)),
        'µs/line max': ms(Math.max(...samples)),
        files: readdirSync(logsDirOf(tmp.dir)).length,
      },
    ]),
  );
} finally {
  tmp.cleanup();
}
