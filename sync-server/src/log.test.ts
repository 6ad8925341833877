import { describe, expect, it } from 'vitest';
import { createLog, safePath } from './log';

describe('the server log', () => {
  it('writes one JSON line per event, with level names, and redacts secrets that slip into fields', () => {
    const lines: string[] = [];
    const log = createLog('info', { write: (line: string) => void lines.push(line) });
    log.debug({ event: 'hidden' }, 'below the level');
    log.warn({ event: 'login_failed', email: 'ana@example.com', password: 'hunter2 secret', nested: { token: 'abc123token' } }, 'sign-in refused');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 'warn', event: 'login_failed', email: 'ana@example.com', password: '[redacted]', nested: { token: '[redacted]' }, msg: 'sign-in refused', service: 'crewline-sync' });
    expect(lines[0]).not.toMatch(/hunter2|abc123token/);
    expect(Date.parse(entry.time)).not.toBeNaN();
  });

  it('logs paths without their query and with the calendar feed token masked', () => {
    expect(safePath('/sync/org/a/schedule?token=secret')).toBe('/sync/org/a/schedule');
    expect(safePath('/api/calendar/Zm9vYmFyYmF6cXV4.ics')).toBe('/api/calendar/:token.ics');
    expect(safePath('/api/field/jobs/j1/status')).toBe('/api/field/jobs/j1/status');
    expect(safePath(undefined)).toBe('');
  });
});
