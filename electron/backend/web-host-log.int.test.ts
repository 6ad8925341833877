// The web host's log file (issue 22): start, a backend crash with its reason, the restart, and the stop, in
// <data dir>/logs/crewline.log, the backend worker's lines (workspace opened) among the host's; the
// session token never in it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from './log';
import { tempDir } from './store/testing/temp-dir';
import { startWebHost } from './web-host';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const NOW = Date.parse('2026-11-24T15:00:00Z');

const until = async (check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the web host log', () => {
  it('logs its start, a backend crash and restart with the reason, and its stop; never the token', async () => {
    const tmp = tempDir('crewline-web-log-');
    cleanups.push(() => tmp.cleanup());
    const outDir = join(tmp.dir, 'out');
    mkdirSync(join(outDir, 'renderer'), { recursive: true });
    writeFileSync(join(outDir, 'renderer', 'index.html'), '<!doctype html><title>Crewline</title>');
    const dataDir = join(tmp.dir, 'data');
    const host = await startWebHost({ dataDir, outDir, build: 'never', seedDemo: false, nowMs: NOW, logLevel: 'info' });
    cleanups.push(() => host.close());
    const file = join(dataDir, 'logs', 'crewline.log');
    expect(host.logger.file.path).toBe(file);
    const read = () =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LogEntry);
    const events = () => read().map((entry) => `${entry.source}:${entry.event}`);
    await until(() => events().includes('backend:workspace.opened'));
    expect(events().slice(0, 2)).toEqual(['host:host.starting', 'backend:workspace.opened']);

    await host.backend.worker.terminate();
    await until(() => host.backend.state === 'stopped');
    await until(() => events().includes('host:backend.restarted'));
    await until(() => events().filter((event) => event === 'backend:workspace.opened').length === 2);
    const stopped = read().find((entry) => entry.event === 'backend.stopped')!;
    expect(stopped).toMatchObject({ level: 'error', source: 'host', fields: { reason: 'the backend process exited (code 1)', restarting: true } });
    // The backend's clock and the host's are the same one (--now): the lines read in order.
    expect(Math.abs(Date.parse(stopped.time) - NOW)).toBeLessThan(60_000);
    const restarted = read().find((entry) => entry.event === 'backend.restarted')!;
    expect(restarted.fields).toEqual({ after: 'the backend process exited (code 1)' });

    await host.close();
    expect(events()).toContain('host:host.stopped');
    expect(events()).toContain('backend:workspace.closed');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(host.token);
    expect(text).toContain(`http://127.0.0.1:${host.port}/`);
  });
});
