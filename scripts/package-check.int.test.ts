/**
 * Packages the app against a stand-in Electron (scripts/package-check.ts) and checks app.asar.
 * Builds out/ first when it is missing. No Electron binary and no installer are involved.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_PREBUILDS, formatReport, prebuildsKept, runPackageCheck, type PackageCheckResult } from './package-check.ts';

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
