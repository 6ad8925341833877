/**
 * `npm start` (electron-vite preview: build, then run the desktop app) and `npm run dev` (electron-vite dev:
 * the renderer hot-reloads). Before handing over to electron-vite it checks that Electron can start here,
 * and where it cannot (no Electron binary: its download was skipped or blocked; no display on Linux) it
 * says why and points to `npm run web`, the same console in a browser, instead of failing with a stack trace.
 *
 * Usage: tsx electron/main/launch.ts start|dev [--dry-run] (--dry-run prints the command instead of running it).
 * Runs under plain Node: it must not `import 'electron'` (that package downloads the binary when missing).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Why Electron cannot start on this machine, or null when it can (as far as can be told without starting it). */
export function electronUnavailable(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return 'the electron package is not installed (run npm install)';
  }
  // The same lookup as the electron package's index.js, without its download-on-miss.
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : null;
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  const binary = override ? join(override, executable ?? 'electron') : executable ? join(packageDir, 'dist', executable) : null;
  if (binary === null || !existsSync(binary)) {
    return `the Electron binary is not installed${binary ? ` (${binary} is missing)` : ''}: its download was skipped or blocked on this machine`;
  }
  if (platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY']) {
    return 'there is no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  }
  return null;
}

export function cannotStartMessage(command: 'start' | 'dev', reason: string): string {
  return [
    `Crewline's desktop app cannot start here (npm ${command === 'start' ? 'start' : 'run dev'}): ${reason}.`,
    'Run the same console in your browser instead:',
    '',
    '  npm run web',
    '',
  ].join('\n');
}

function main(): void {
  const command = process.argv[2];
  if (command !== 'start' && command !== 'dev') {
    console.error('Usage: launch.ts start|dev [--dry-run]');
    process.exit(2);
  }
  const reason = electronUnavailable();
  if (reason) {
    console.error(cannotStartMessage(command, reason));
    process.exit(1);
  }
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const args = [cli, command === 'start' ? 'preview' : 'dev', ...process.argv.slice(3).filter((a) => a !== '--dry-run')];
  if (process.argv.includes('--dry-run')) {
    console.log(`Would run: ${[process.execPath, ...args].join(' ')}`);
    return;
  }
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
