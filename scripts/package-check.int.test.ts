/**
 * Packages the app against a stand-in Electron (scripts/package-check.ts) and checks app.asar.
 * Builds out/ first when it is missing. No Electron binary and no installer are involved.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStandInElectron,
  EXPECTED_PREBUILDS,
  formatReport,
  LAYOUT_CHECK,
  nodeModulesLayoutProblem,
  prebuildsKept,
  readFuses,
  runPackageCheck,
  runtimeClosure,
  signingConfigChecks,
  type PackageCheckResult,
} from './package-check.ts';

const TIMEOUT_MS = 180_000;

describe('package layout (linux x64 dir, stand-in Electron)', () => {
  let result: PackageCheckResult;

  beforeAll(async () => {
    result = await runPackageCheck({ build: 'if-missing' });
  }, TIMEOUT_MS);

  it('passes every check of the report', () => {
    expect(result.failed, formatReport(result)).toEqual([]);
    expect(result.checks.length).toBeGreaterThan(30);
  });

  it('app.asar holds main, preload, renderer with its assets, and package.json', () => {
    const files = new Set(result.asarFiles);
    for (const path of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']) {
      expect(files, path).toContain(path);
    }
    expect(result.asarFiles.filter((p) => /^out\/renderer\/assets\/.+\.js$/.test(p)).length).toBeGreaterThan(0);
    const topLevel = new Set(result.asarFiles.map((p) => p.split('/')[0]));
    expect([...topLevel].sort()).toEqual(['node_modules', 'out', 'package.json']);
  });

  it('better-sqlite3: JS packed, exactly the linux x64 .node files unpacked', () => {
    expect(result.asarFiles).toContain('node_modules/better-sqlite3/lib/index.js');
    expect(result.asarFiles).toContain('node_modules/better-sqlite3/lib/binding.js');
    expect(result.unpackedFiles).toEqual([
      'node_modules/better-sqlite3/prebuilds/linux-x64.node',
      'node_modules/better-sqlite3/prebuilds/linuxmusl-x64.node',
    ]);
    expect(result.asarFiles.some((p) => p.startsWith('node_modules/better-sqlite3/deps/'))).toBe(false);
  });

  it('runtime dependencies are in app.asar', () => {
    for (const dep of ['better-sqlite3', 'yjs', 'ws', 'zod', 'temporal-polyfill', 'y-websocket', 'y-protocols', 'lib0']) {
      expect(result.asarFiles, dep).toContain(`node_modules/${dep}/package.json`);
    }
  });

  it("the sync server's packages, and those only they reach, are not in app.asar", () => {
    for (const name of ['pg', 'pg-pool', 'ioredis', 'nodemailer', 'pino', 'sonic-boom', 'ical-generator']) {
      expect(result.asarFiles.some((p) => p.startsWith(`node_modules/${name}/`)), name).toBe(false);
    }
    // debug is shared with the desktop's packages and stays.
    expect(result.asarFiles).toContain('node_modules/debug/package.json');
  });

  it('devDependencies bundled by vite (or tools) are not in app.asar', () => {
    for (const dev of ['react', 'react-dom', 'fullcalendar', 'fullcalendar-scheduler', 'vitest', 'electron', 'electron-builder', 'typescript']) {
      expect(result.asarFiles.some((p) => p.startsWith(`node_modules/${dev}/`)), dev).toBe(false);
    }
  });
});

describe('electron-builder.yml prebuild filters (platforms that cannot be packaged here)', () => {
  for (const platform of ['win', 'mac', 'linux'] as const) {
    for (const arch of ['x64', 'arm64'] as const) {
      it(`${platform} ${arch} keeps ${EXPECTED_PREBUILDS[platform](arch).join(' + ')}`, async () => {
        expect(await prebuildsKept(platform, arch)).toEqual(EXPECTED_PREBUILDS[platform](arch));
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------------
// The real command on other checkouts (--project-dir): temp copies of this project's packaging inputs.

const ROOT = resolve(import.meta.dirname, '..');
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A checkout with this project's package.json, lock, electron-builder.yml, LICENSE and out/; node_modules is up to the caller. */
function tempCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crewline-package-check-test-'));
  temps.push(dir);
  for (const file of ['package.json', 'package-lock.json', 'electron-builder.yml', 'LICENSE', 'out', 'build/entitlements.mac.plist']) {
    cpSync(join(ROOT, file), join(dir, file), { recursive: true });
  }
  return dir;
}

/** The runtime packages of this project (and their build-time ones), as npm would install them. */
function runtimePackages(): string[] {
  const deps = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
  return [...runtimeClosure(ROOT, deps, new Set())];
}

/** Copies the runtime packages into `dir`/node_modules as real directories, as `npm ci` would leave them. */
function copyRuntimePackages(dir: string, keep: (name: string) => boolean = () => true): void {
  for (const name of runtimePackages().filter(keep)) {
    mkdirSync(join(dir, 'node_modules', name, '..'), { recursive: true });
    cpSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name), { recursive: true, dereference: true });
  }
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run package:check -- <args>` in this checkout, as it is run by hand. */
function packageCheck(args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile('npm', ['run', '--silent', 'package:check', '--', ...args], { cwd: ROOT, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

describe('npm run package:check: the exit status and the node_modules layout', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'out/main/index.js'))) {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'ignore' });
    }
  }, TIMEOUT_MS);

  it('a check that fails after packaging (a runtime package not installed) exits 1', async () => {
    // A real node_modules directory without isomorphic.js (lib0's dependency): electron-builder packs
    // without it, as it would for a real build, and the closure check fails.
    const dir = tempCheckout();
    copyRuntimePackages(dir, (name) => name !== 'isomorphic.js');
    const { code, stdout, stderr } = await packageCheck(['--skip-build', '--project-dir', dir]);
    expect(stdout).toContain(`ok    ${LAYOUT_CHECK}`);
    expect(stdout).toMatch(/FAIL {2}all \d+ packages the desktop's dependencies reach are in app\.asar — isomorphic\.js\n/);
    expect(stdout).toMatch(/\nFAIL: \d+ of \d+ checks failed\n?$/);
    expect(code, stdout + stderr).toBe(1);
  }, TIMEOUT_MS);

  it('refuses a symlinked node_modules before building or packaging, and exits 1', async () => {
    const dir = tempCheckout();
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const { code, stdout, stderr } = await packageCheck(['--skip-build', '--project-dir', dir]);
    expect(code, stdout + stderr).toBe(1);
    expect(stdout).toContain('build: not built: refused before building and packaging');
    expect(stdout).toContain(`FAIL  ${LAYOUT_CHECK} — symbolic link in the way: node_modules -> ${join(ROOT, 'node_modules')}.`);
    // Packages reachable only through other packages are named (the list grows with the dependencies).
    const named = /\(here: ([^)]*)\)/.exec(stdout)?.[1]?.split(', ') ?? [];
    expect(named).toEqual(expect.arrayContaining(['isomorphic.js', 'pg-pool', 'temporal-spec', 'temporal-utils']));
    expect(named).not.toContain('pg');
    expect(stdout).not.toContain('app.asar:');
    expect(stdout).toMatch(/\nFAIL: 1 of 1 checks failed\n?$/);
  }, TIMEOUT_MS);

  it('finds symlinked packages inside a real node_modules too', () => {
    const dir = tempCheckout();
    mkdirSync(join(dir, 'node_modules'));
    for (const name of runtimePackages()) {
      // A scoped package (`@ioredis/commands`) sits in its scope's folder.
      mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
    }
    expect(nodeModulesLayoutProblem(dir)).toMatch(/^symbolic links in the way: node_modules\/\S+ -> .* and \d+ more\. /);
  });

  it('bad flags exit 2', async () => {
    const { code, stderr } = await packageCheck(['--skip-build', '--build']);
    expect(code).toBe(2);
    expect(stderr).toContain('usage: tsx scripts/package-check.ts');
  }, TIMEOUT_MS);
});

// ---------------------------------------------------------------------------------------------------
// Fuses and signing settings (issue 22 item 3)

const FUSES_READ_BACK = 'fuses read back from the packaged (stand-in) executable match electron-builder.yml';

describe('npm run package:check: Electron fuses and signing settings', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'out/main/index.js'))) {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'ignore' });
    }
  }, TIMEOUT_MS);

  it('the stand-in starts with Electron\'s default fuses, and this electron-builder.yml flips them as issue 22 asks', async () => {
    const standIn = createStandInElectron(join(tempCheckout(), 'electron-dist'));
    expect(await readFuses(join(standIn, 'electron'))).toEqual({
      RunAsNode: true,
      EnableNodeOptionsEnvironmentVariable: true,
      EnableNodeCliInspectArguments: true,
      EnableCookieEncryption: false,
      EnableEmbeddedAsarIntegrityValidation: false,
      OnlyLoadAppFromAsar: false,
    });
    const dir = tempCheckout();
    copyRuntimePackages(dir);
    const { code, stdout, stderr } = await packageCheck(['--skip-build', '--project-dir', dir]);
    expect(stdout).toContain(`ok    ${FUSES_READ_BACK} — RunAsNode=false, EnableNodeOptionsEnvironmentVariable=false, EnableNodeCliInspectArguments=false, EnableCookieEncryption=true, EnableEmbeddedAsarIntegrityValidation=true, OnlyLoadAppFromAsar=true\n`);
    expect(stdout).toMatch(/\nPASS: \d+ checks\n?$/);
    expect(code, stdout + stderr).toBe(0);
  }, TIMEOUT_MS);

  it('an electron-builder.yml without electronFuses fails both the config and the read-back check, and exits 1', async () => {
    const dir = tempCheckout();
    const yml = readFileSync(join(dir, 'electron-builder.yml'), 'utf8');
    const withoutFuses = yml.replace(/^electronFuses:\n(?: {2}.*\n)+/m, '');
    expect(withoutFuses).not.toBe(yml);
    writeFileSync(join(dir, 'electron-builder.yml'), withoutFuses);
    copyRuntimePackages(dir);
    const { code, stdout, stderr } = await packageCheck(['--skip-build', '--project-dir', dir]);
    expect(stdout).toContain(`FAIL  ${FUSES_READ_BACK} — wrong: RunAsNode=true, want false; EnableNodeOptionsEnvironmentVariable=true, want false;`);
    expect(stdout).toMatch(/FAIL {2}electron-builder\.yml electronFuses: .* — wrong or missing: runAsNode=undefined,/);
    expect(stdout).toContain('FAIL  electron-builder.yml electronFuses.resetAdHocDarwinSignature is true');
    expect(code, stdout + stderr).toBe(1);
  }, TIMEOUT_MS);
});

describe('signingConfigChecks (the resolved electron-builder configuration, no packaging)', () => {
  const failing = async (dir: string) => (await signingConfigChecks(dir)).filter((c) => !c.ok);

  it('passes for this project', async () => {
    expect(await failing(ROOT)).toEqual([]);
  });

  it('refuses extra entitlements, a certificate or identity written into the file, and a weaker hash', async () => {
    const dir = tempCheckout();
    const plist = join(dir, 'build/entitlements.mac.plist');
    writeFileSync(plist, readFileSync(plist, 'utf8').replace('</dict>', '<key>com.apple.security.cs.allow-unsigned-executable-memory</key><true/></dict>'));
    const yml = readFileSync(join(dir, 'electron-builder.yml'), 'utf8')
      .replace('  hardenedRuntime: true\n', '  hardenedRuntime: true\n  identity: Some Developer\n  cscLink: ./cert.p12\n')
      .replace('signingHashAlgorithms: [sha256]', 'signingHashAlgorithms: [sha1, sha256]');
    writeFileSync(join(dir, 'electron-builder.yml'), yml);
    const failed = await failing(dir);
    expect(failed.map((c) => c.name)).toEqual([
      'mac.entitlements grants only com.apple.security.cs.allow-jit',
      'mac.entitlementsInherit grants only com.apple.security.cs.allow-jit',
      'win.signtoolOptions.signingHashAlgorithms is [sha256]',
      'no certificate, password or identity in electron-builder.yml (they come from the environment)',
    ]);
    expect(failed[0]!.detail).toBe('com.apple.security.cs.allow-jit, com.apple.security.cs.allow-unsigned-executable-memory');
    expect(failed[3]!.detail).toBe('mac.cscLink, mac.identity');
  });

  it('a missing entitlements file or hardened runtime off fails', async () => {
    const dir = tempCheckout();
    rmSync(join(dir, 'build/entitlements.mac.plist'));
    writeFileSync(join(dir, 'electron-builder.yml'), readFileSync(join(dir, 'electron-builder.yml'), 'utf8').replace('hardenedRuntime: true', 'hardenedRuntime: false'));
    const failed = await failing(dir);
    expect(failed.map((c) => c.name)).toEqual([
      'mac.hardenedRuntime is true (notarization requires it)',
      'mac.entitlements grants only com.apple.security.cs.allow-jit',
      'mac.entitlementsInherit grants only com.apple.security.cs.allow-jit',
    ]);
    expect(failed[1]!.detail).toBe('missing file: build/entitlements.mac.plist');
  });
});
