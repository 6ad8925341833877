/**
 * The backend's requests, as the log sees them (issue 22): every request any client port brings passes
 * through here on its way to the API; what a support person needs from it (core/log/log-entry.ts,
 * requestLogEntry) is logged. Exceptions that escape the API are logged and still rejected to the transport.
 */
import { requestLogEntry } from '../../core/log/log-entry';
import type { ApiLike } from './backend-entry';
import type { Logger } from './log';

export function withRequestLog(api: ApiLike, logger: Logger): ApiLike {
  const handle = ((name: string, input: unknown) => {
    const started = performance.now();
    const note = (result: Parameters<typeof requestLogEntry>[2]) => {
      const entry = requestLogEntry(name, input, result, performance.now() - started);
      if (entry) logger.log(entry.level, entry.event, entry.msg, entry.fields);
    };
    return (api.handle as (name: string, input: unknown) => Promise<Parameters<typeof requestLogEntry>[2]>)(name, input).then(
      (result) => {
        note(result);
        return result;
      },
      (error: unknown) => {
        note({ ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } });
        throw error;
      },
    );
  }) as ApiLike['handle'];
  return { handle, subscribe: (listener) => api.subscribe(listener) };
}
