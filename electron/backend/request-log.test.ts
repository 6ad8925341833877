// The request wrapper of the backend's log: an exception is logged and still rejects to the transport (which
// answers `internal`); a request over a second is logged with its name and time; ordinary ones are not.
import { describe, expect, it } from 'vitest';
import { ok } from '../../core/index';
import type { ApiLike } from './backend-entry';
import { createLogger, type LogEntry } from './log';
import { withRequestLog } from './request-log';

function api(handle: (name: string) => Promise<unknown>): ApiLike {
  return { handle: ((name: string) => handle(name)) as ApiLike['handle'], subscribe: () => () => undefined };
}

describe('withRequestLog', () => {
  it('logs an exception as request.failed and rethrows it; logs a slow request; not a quick one', async () => {
    const written: LogEntry[] = [];
    const logger = createLogger((entry) => written.push(entry), { source: 'backend' });
    const logged = withRequestLog(
      api(async (name) => {
        if (name === 'board:getRange') throw new Error('database disk image is malformed');
        if (name === 'providers:list') await new Promise((r) => setTimeout(r, 1050));
        return ok([]);
      }),
      logger,
    );
    await expect(logged.handle('board:getRange', { from: 'a', to: 'b' } as never)).rejects.toThrow('database disk image is malformed');
    expect(await logged.handle('providers:list', {} as never)).toEqual(ok([]));
    expect(await logged.handle('customers:list', {} as never)).toEqual(ok([]));
    expect(written.map(({ level, event, fields }) => ({ level, event, request: fields.request }))).toEqual([
      { level: 'error', event: 'request.failed', request: 'board:getRange' },
      { level: 'warn', event: 'request.slow', request: 'providers:list' },
    ]);
    expect(written[0]!.fields.error).toBe('database disk image is malformed');
    expect(written[1]!.fields.ms).toBeGreaterThanOrEqual(1000);
  });
});
