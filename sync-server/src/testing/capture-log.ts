import { createLog, type Log, type LogLevel } from '../log';

export type LogEntry = Record<string, unknown> & { level: string; event?: string; msg?: string };

export interface CapturedLog {
  log: Log;
  /** The raw lines, as a log shipper would read them. */
  lines: string[];
  entries(): LogEntry[];
  events(event: string): LogEntry[];
}

/** A server log kept in memory, for tests to read what the server said. */
export function captureLog(level: LogLevel = 'debug'): CapturedLog {
  const lines: string[] = [];
  const log = createLog(level, { write: (line: string) => void lines.push(line) });
  const entries = () => lines.map((line) => JSON.parse(line) as LogEntry);
  return { log, lines, entries, events: (event) => entries().filter((e) => e.event === event) };
}
