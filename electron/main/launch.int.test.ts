// `npm start` / `npm run dev` where Electron cannot start: the script says why and points to `npm run web`,
// with no stack trace. Runs the real script in a child Node process, as npm runs it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../backend/store/testing/temp-dir';

const SCRIPT = resolve(import.meta.dirname, 'launch.ts');
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function run(args: string[], env: Record<string, string | undefined>) {
  const base = { ...process.env };
  delete base['DISPLAY'];
  delete base['WAYLAND_DISPLAY'];
  delete base['ELECTRON_OVERRIDE_DIST_PATH'];
  const result = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
    env: { ...base, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function fakeElectronDir(): string {
  const tmp = tempDir('crewline-fake-electron-');
  cleanups.push(() => tmp.cleanup());
  mkdirSync(tmp.dir, { recursive: true });
  // The electron package's path.txt names the executable inside the dist folder.
  writeFileSync(join(tmp.dir, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
  return tmp.dir;
}

describe('npm start / npm run dev launcher', () => {
  it('without the Electron binary: says why, points to npm run web, exits 1 without a stack trace', () => {
    const result = run(['start'], { ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/crewline-electron' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Crewline's desktop app cannot start here (npm start): the Electron binary is not installed");
    expect(result.stderr).toContain('npm run web');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('without a display on Linux: says so for npm run dev', () => {
    const result = run(['dev'], { ELECTRON_OVERRIDE_DIST_PATH: fakeElectronDir() });
    if (process.platform !== 'linux') return expect(result.code).not.toBe(1);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot start here (npm run dev): there is no display');
    expect(result.stderr).toContain('npm run web');
  });

  it('with a binary and a display: hands over to electron-vite preview (start) and dev (dev)', () => {
    const dir = fakeElectronDir();
    const start = run(['start', '--dry-run'], { ELECTRON_OVERRIDE_DIST_PATH: dir, DISPLAY: ':99' });
    expect(start.code).toBe(0);
    expect(start.stdout).toMatch(/Would run: .*electron-vite\.js preview\n/);
    const dev = run(['dev', '--dry-run'], { ELECTRON_OVERRIDE_DIST_PATH: dir, DISPLAY: ':99' });
    expect(dev.stdout).toMatch(/Would run: .*electron-vite\.js dev\n/);
  });
});
