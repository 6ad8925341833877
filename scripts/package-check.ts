/**
 * Packaging layout check (docs/design.md §12: no Electron binary can be downloaded on our build machines).
 *
 * Packages the app with electron-builder (electron-builder.yml, Linux `dir` target, x64) against a
 * stand-in Electron distribution — a placeholder `electron` file and an empty `resources/` — then
 * opens resources/app.asar and checks what a real package would contain: the electron-vite output,
 * package.json, the runtime `dependencies` (better-sqlite3 with its linux-x64 prebuild unpacked
 * from the asar), and none of the devDependencies that vite bundles. No runnable app or installer
 * is produced: the stand-in "electron" is not Electron.
 *
 * Fuses and signing (issue 22): the stand-in carries a fuse wire with Electron's default states, so
 * electron-builder's `electronFuses` step flips it like a real binary's and the check reads the states
 * back with @electron/fuses (the read-back proves what electron-builder wrote, not a real Electron 45's
 * wire layout). It also checks the resolved configuration: the fuses, mac hardened runtime, notarize,
 * allow-jit-only entitlements, SHA-256 Windows signing, and no certificate or password in the file.
 *
 *   npx tsx scripts/package-check.ts [--skip-build | --build] [--keep] [--project-dir DIR]
 *
 * --skip-build packages out/ as it is; --build always runs `electron-vite build` first; by default it
 * builds when out/ is missing or older than the sources. --keep leaves the temp directory in place.
 * --project-dir checks another checkout (default: this one). Exits 1 if any check fails, 2 on bad flags.
 *
 * It refuses, before building, a node_modules that is (or holds) a symbolic link: see nodeModulesLayoutProblem.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { listPackage, statFile } from '@electron/asar';
import { Arch, build, Platform } from 'electron-builder';
import { runAsScript } from './exit-when-flushed';

export const ELECTRON_VERSION = '45.4.1';

const PROJECT_DIR = resolve(import.meta.dirname, '..');

export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface PackageCheckOptions {
  /** 'auto' (default): build when out/ is missing or older than the sources. */
  build?: 'auto' | 'always' | 'if-missing' | 'never';
  /** Keep the temp directory (stand-in Electron + package) instead of deleting it. */
  keep?: boolean;
  projectDir?: string;
}

export interface PackageCheckResult {
  checks: Check[];
  failed: Check[];
  /** Every path inside app.asar, relative, with forward slashes (e.g. "out/main/index.js"). */
  asarFiles: string[];
  /** Every file under resources/app.asar.unpacked, relative to it. */
  unpackedFiles: string[];
  /** What was built (or why not). */
  buildNote: string;
  appOutDir: string;
  timingsMs: { build: number; package: number; inspect: number };
}

// ---------------------------------------------------------------------------------------------
// Build

const SOURCES = ['electron', 'renderer', 'core', 'electron.vite.config.ts', 'package.json', 'tsconfig.json', 'tsconfig.base.json'];
const BUILT_ENTRIES = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

/** Why out/ needs building, or null when every entry exists and is newer than every source. */
export function outStaleness(projectDir = PROJECT_DIR): string | null {
  const missing = BUILT_ENTRIES.filter((entry) => !existsSync(join(projectDir, entry)));
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  const oldestOutput = Math.min(...BUILT_ENTRIES.map((entry) => statSync(join(projectDir, entry)).mtimeMs));
  const newestSource = Math.max(...SOURCES.map((source) => newestMtime(join(projectDir, source))));
  return newestSource > oldestOutput ? 'sources are newer than out/' : null;
}

function maybeBuild(projectDir: string, mode: NonNullable<PackageCheckOptions['build']>): string {
  const staleness = outStaleness(projectDir);
  const reasons: Record<typeof mode, string | null> = {
    always: 'forced',
    never: null,
    'if-missing': staleness?.startsWith('missing') ? staleness : null,
    auto: staleness,
  };
  const reason = reasons[mode];
  if (reason === null) {
    return staleness === null ? 'out/ is up to date, not rebuilt' : `not rebuilt although ${staleness}`;
  }
  const bin = join(projectDir, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  // The Node running this script (Node 24 via the `node` devDependency under npx/npm scripts).
  execFileSync(process.execPath, [bin, 'build'], { cwd: projectDir, stdio: ['ignore', 'inherit', 'inherit'] });
  return `built with electron-vite (${reason})`;
}

// ---------------------------------------------------------------------------------------------
// Stand-in Electron and packaging

/**
 * The minimum app-builder-lib 26 needs from an unpacked Electron for Linux (ElectronFramework.js,
 * "custom unpacked Electron distribution"): it copies the directory, renames `electron` to the
 * executable name and writes the app into `resources/` (a LICENSE would become LICENSE.electron.txt;
 * `locales/` is only read with electronLanguages). `electronVersion` is set explicitly, so nothing
 * reads a version from a binary or from node_modules/electron.
 */
/**
 * Electron's fuse wire as @electron/fuses finds it in a binary: a sentinel, the wire version (1), the
 * number of fuses, then one byte per fuse ('0' off, '1' on) in FuseV1Options order. The stand-in carries
 * one with Electron's defaults (RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on; the rest
 * off), so that electron-builder's `electronFuses` step has a wire to flip and the result can be read
 * back. It proves what electron-builder writes, not the layout of a real Electron 45 binary.
 */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
export const STAND_IN_FUSE_DEFAULTS = '10110001';
const STAND_IN_FUSE_WIRE = `${FUSE_SENTINEL}\x01${String.fromCharCode(STAND_IN_FUSE_DEFAULTS.length)}${STAND_IN_FUSE_DEFAULTS}`;

export function createStandInElectron(dir: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const exe = join(dir, 'electron');
  writeFileSync(exe, `#!/bin/sh\necho "stand-in for the Electron binary (scripts/package-check.ts): not runnable" >&2\nexit 1\n# ${STAND_IN_FUSE_WIRE}\n`, 'latin1');
  chmodSync(exe, 0o755);
  return dir;
}

async function packageLinuxDir(projectDir: string, electronDist: string, output: string): Promise<string> {
  await build({
    projectDir,
    targets: Platform.LINUX.createTarget('dir', Arch.x64),
    publish: 'never',
    config: {
      electronDist,
      electronVersion: ELECTRON_VERSION,
      directories: { output },
    },
  });
  return join(output, 'linux-unpacked');
}

// ---------------------------------------------------------------------------------------------
// node_modules layout

const NOT_PACKAGED = '(not packaged)';
/** better-sqlite3's build-time C++ headers; electron-builder.yml leaves them out. */
const BUILD_ONLY = new Set(['node-addon-api']);
/**
 * Runtime `dependencies` that only the sync server uses (`npm run server` runs from this package.json):
 * the desktop never imports them, so electron-builder.yml leaves them, and every package only they
 * reach, out of app.asar. A database driver or a mailer in the desktop is weight and attack surface.
 */
export const SERVER_ONLY = ['ical-generator', 'ioredis', 'nodemailer', 'pg', 'pino'];

/** What the desktop needs (the closure of the other dependencies), and what only the server reaches. */
export function desktopAndServerPackages(projectDir: string, deps: string[]): { desktop: Set<string>; serverOnly: string[] } {
  const desktop = runtimeClosure(projectDir, deps.filter((dep) => !SERVER_ONLY.includes(dep)), BUILD_ONLY);
  const server = runtimeClosure(projectDir, SERVER_ONLY, BUILD_ONLY);
  return { desktop, serverOnly: [...server].filter((name) => !desktop.has(name)).sort() };
}

export const LAYOUT_CHECK = 'node_modules and the runtime packages in it are real directories, not symbolic links';

/**
 * Why electron-builder cannot collect the runtime packages from this node_modules, or null.
 *
 * electron-builder finds what to pack with `npm list`, and npm does not follow a package's dependencies
 * through a symbolic link that leaves the project (a linked node_modules, as with shared caches, or linked
 * packages in it): the packages that are only dependencies of dependencies (temporal-utils, temporal-spec,
 * isomorphic.js) come out "missing" and are left out of app.asar, with a warning at most. A real
 * `electron-builder` run from such a checkout ships the same broken app, so the check refuses it rather
 * than package a staged copy and pass.
 */
export function nodeModulesLayoutProblem(projectDir = PROJECT_DIR): string | null {
  const nodeModules = join(projectDir, 'node_modules');
  if (!existsSync(nodeModules)) return `${nodeModules} is missing: run \`npm ci\` first`;
  const linked = (relativePath: string) => {
    const path = join(projectDir, relativePath);
    return existsSync(path) && lstatSync(path).isSymbolicLink() ? `${relativePath} -> ${realpathSync(path)}` : null;
  };
  const deps = Object.keys(readPackageJson(join(projectDir, 'package.json')).dependencies ?? {});
  const closure = [...runtimeClosure(projectDir, deps, BUILD_ONLY)];
  const links = [
    linked('node_modules'),
    ...[...new Set(closure.filter((name) => name.startsWith('@')).map((name) => name.split('/')[0]!))].map((scope) => linked(`node_modules/${scope}`)),
    ...closure.map((name) => linked(`node_modules/${name}`)),
  ].filter((link) => link !== null);
  if (links.length === 0) return null;
  const indirect = closure.filter((name) => !deps.includes(name)).sort();
  return (
    `symbolic link${links.length > 1 ? 's' : ''} in the way: ${links.slice(0, 3).join(', ')}${links.length > 3 ? ` and ${links.length - 3} more` : ''}. ` +
    'electron-builder collects the runtime packages with `npm list`, which does not follow dependencies through such a link, ' +
    `so app.asar would lack packages that are only dependencies of dependencies (here: ${indirect.join(', ')}); ` +
    'a real electron-builder run from this checkout would ship the same broken app. ' +
    'Make node_modules a real directory in the checkout (`npm ci`, or copy the shared one into place) and run again.'
  );
}

// ---------------------------------------------------------------------------------------------
// Inspection

function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

interface PackageJson {
  name: string;
  main?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function readPackageJson(path: string): PackageJson {
  return JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
}

/** Packages reachable from `roots` through installed `dependencies` (hoisted npm layout). */
export function runtimeClosure(projectDir: string, roots: string[], skip: Set<string>): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (seen.has(name) || skip.has(name)) continue;
    seen.add(name);
    const manifest = join(projectDir, 'node_modules', name, 'package.json');
    if (!existsSync(manifest)) continue;
    queue.push(...Object.keys(readPackageJson(manifest).dependencies ?? {}));
  }
  return seen;
}

/** Bare module specifiers that built JS files import or require at run time. */
function externalImports(files: string[]): Set<string> {
  const builtins = new Set(builtinModules);
  const found = new Set<string>();
  const patterns = [
    /^\s*import\s+(?:[^'";]*?\s+from\s+)?["']([^"']+)["']/gm,
    /^\s*export\s+[^'";]*?\s+from\s+["']([^"']+)["']/gm,
    /\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const file of files) {
    const code = readFileSync(file, 'utf8');
    for (const pattern of patterns) {
      for (const match of code.matchAll(pattern)) {
        const spec = match[1]!;
        if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || builtins.has(spec)) continue;
        const parts = spec.split('/');
        found.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
      }
    }
  }
  found.delete('electron'); // provided by the Electron runtime
  return found;
}

/** Local files that index.html loads (src/href), relative to out/renderer. */
function rendererReferences(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href)=["']([^"']+)["']/g)]
    .map((match) => match[1]!)
    .filter((ref) => !/^[a-z][a-z0-9+.-]*:/i.test(ref) && !ref.startsWith('#'))
    .map((ref) => ref.replace(/^\.\//, '').replace(/[?#].*$/, ''));
}

function inspect(projectDir: string, appOutDir: string): Omit<PackageCheckResult, 'buildNote' | 'appOutDir' | 'timingsMs' | 'failed'> {
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail?: string) => checks.push({ name, ok, ...(detail ? { detail } : {}) });
  const resources = join(appOutDir, 'resources');
  const asarPath = join(resources, 'app.asar');
  const unpackedDir = join(resources, 'app.asar.unpacked');

  check('resources/app.asar exists', existsSync(asarPath));
  if (!existsSync(asarPath)) return { checks, asarFiles: [], unpackedFiles: [] };

  const asarPaths = listPackage(asarPath, { isPack: false }).map((p) => p.replace(/\\/g, '/').replace(/^\//, ''));
  const asarSet = new Set(asarPaths);
  const entry = (path: string) => {
    try {
      return statFile(asarPath, path, false) as { files?: unknown; unpacked?: boolean; size?: number };
    } catch {
      return null;
    }
  };
  const isFile = (path: string) => {
    const e = entry(path);
    return e !== null && e.files === undefined;
  };
  const packedFile = (path: string) => isFile(path) && entry(path)?.unpacked !== true;
  const asarFiles = asarPaths.filter((path) => isFile(path));
  const unpackedFiles = listFiles(unpackedDir);

  // --- The app itself -----------------------------------------------------------------------
  const topLevel = [...new Set(asarPaths.map((p) => p.split('/')[0]!))].sort();
  const allowedTop = ['node_modules', 'out', 'package.json'];
  const strayTop = topLevel.filter((name) => !allowedTop.includes(name));
  check('app.asar top level is only out/, package.json, node_modules/', strayTop.length === 0, strayTop.length ? `unexpected: ${strayTop.join(', ')}` : topLevel.join(', '));

  for (const path of BUILT_ENTRIES) check(`${path} is packed in app.asar`, packedFile(path));
  const builtFiles = listFiles(join(projectDir, 'out')).map((p) => `out/${p}`);
  const missingBuilt = builtFiles.filter((p) => !asarSet.has(p));
  check(`every file of out/ (${builtFiles.length}) is in app.asar`, builtFiles.length > 0 && missingBuilt.length === 0, missingBuilt.join(', ') || undefined);

  const html = readFileSync(join(projectDir, 'out/renderer/index.html'), 'utf8');
  const refs = rendererReferences(html).map((ref) => `out/renderer/${ref}`);
  const missingRefs = refs.filter((ref) => !packedFile(ref));
  check(`renderer index.html's scripts/styles (${refs.length}) are in app.asar`, refs.length > 0 && missingRefs.length === 0, missingRefs.join(', ') || refs.join(', '));

  check('package.json is packed in app.asar', packedFile('package.json'));
  const projectPkg = readPackageJson(join(projectDir, 'package.json'));
  if (packedFile('package.json')) {
    const main = projectPkg.main?.replace(/^\.\//, '');
    check(`package.json "main" (${projectPkg.main}) is in app.asar`, main !== undefined && packedFile(main));
  }

  // --- Runtime dependencies -------------------------------------------------------------------
  const deps = Object.keys(projectPkg.dependencies ?? {});
  const { desktop, serverOnly } = desktopAndServerPackages(projectDir, deps);
  for (const dep of deps.filter((name) => !SERVER_ONLY.includes(name))) {
    check(`dependency ${dep} is packed in app.asar`, packedFile(`node_modules/${dep}/package.json`));
  }
  const missingTransitive = [...desktop].filter((name) => !asarSet.has(`node_modules/${name}/package.json`));
  check(`all ${desktop.size} packages the desktop's dependencies reach are in app.asar`, missingTransitive.length === 0, missingTransitive.join(', ') || undefined);
  const strayServer = serverOnly.filter((name) => asarPaths.some((path) => path.startsWith(`node_modules/${name}/`)));
  check(
    `none of the ${serverOnly.length} server-only packages (${SERVER_ONLY.join(', ')} and what only they reach) is in app.asar`,
    strayServer.length === 0,
    strayServer.length ? `packed: ${strayServer.join(', ')} (add them to the serverOnly pattern in electron-builder.yml)` : undefined,
  );

  const outJs = builtFiles.filter((p) => /^out\/(main|preload)\/.*\.[cm]?js$/.test(p)).map((p) => join(projectDir, p));
  const imported = [...externalImports(outJs)];
  const missingImports = imported.filter((name) => !asarSet.has(`node_modules/${name}/package.json`));
  check('packages that out/main and out/preload import are in app.asar', missingImports.length === 0, missingImports.length ? `missing: ${missingImports.join(', ')}` : imported.length ? imported.join(', ') : '(none imported yet)');

  // --- better-sqlite3 --------------------------------------------------------------------------
  const bsq = 'node_modules/better-sqlite3';
  check('better-sqlite3 JS (lib/index.js, lib/binding.js, lib/database.js) is packed', ['lib/index.js', 'lib/binding.js', 'lib/database.js'].every((f) => packedFile(`${bsq}/${f}`)));
  const prebuild = `${bsq}/prebuilds/linux-x64.node`;
  const prebuildEntry = entry(prebuild);
  check(`${prebuild} is marked unpacked in the asar header`, prebuildEntry?.unpacked === true);
  const unpackedPrebuild = join(unpackedDir, prebuild);
  check(`${prebuild} is in app.asar.unpacked`, existsSync(unpackedPrebuild));
  if (existsSync(unpackedPrebuild)) {
    check('unpacked linux-x64.node is byte-identical to the installed prebuild', sha256(unpackedPrebuild) === sha256(join(projectDir, prebuild)));
  }
  const nodeInAsar = asarFiles.filter((p) => p.endsWith('.node') && entry(p)?.unpacked !== true);
  check('no .node binary is packed inside app.asar', nodeInAsar.length === 0, nodeInAsar.join(', ') || undefined);
  const prebuilds = [...new Set([...asarFiles, ...unpackedFiles].filter((p) => p.startsWith(`${bsq}/prebuilds/`)))].map((p) => p.slice(`${bsq}/prebuilds/`.length)).sort();
  const foreign = prebuilds.filter((name) => !['linux-x64.node', 'linuxmusl-x64.node'].includes(name));
  check('only linux-x64 / linuxmusl-x64 prebuilds are shipped', foreign.length === 0, `shipped: ${prebuilds.join(', ')}`);
  const sources = asarPaths.filter((p) => /^node_modules\/better-sqlite3\/(deps|src)(\/|$)|\.gyp$/.test(p));
  check('better-sqlite3 C/C++ sources (deps/, src/, binding.gyp) are not shipped', sources.length === 0, sources.slice(0, 5).join(', ') || undefined);

  // --- devDependencies (bundled by vite, or tools) ----------------------------------------------
  const devDeps = Object.keys(projectPkg.devDependencies ?? {}).filter((name) => !desktop.has(name));
  const presentDev = devDeps.filter((name) => asarSet.has(`node_modules/${name}`));
  check(`no devDependency (${devDeps.length}, e.g. react, fullcalendar, vitest, electron) is in app.asar`, presentDev.length === 0, presentDev.join(', ') || undefined);
  for (const name of ['react', 'react-dom', 'fullcalendar', 'fullcalendar-scheduler', 'vitest', 'electron', 'electron-builder']) {
    check(`${name} is not in app.asar`, !asarPaths.some((p) => p === `node_modules/${name}` || p.startsWith(`node_modules/${name}/`)));
  }

  // --- Around the asar -------------------------------------------------------------------------
  check('the stand-in electron executable was renamed to "crewline"', existsSync(join(appOutDir, 'crewline')));
  check('LICENSE (extraFiles) is next to the executable', existsSync(join(appOutDir, 'LICENSE')));

  return { checks, asarFiles, unpackedFiles };
}

// ---------------------------------------------------------------------------------------------
// Per-platform prebuild filters (win and mac cannot be packaged here: evaluate their patterns)

interface FilterStat {
  isDirectory(): boolean;
}
interface NodeModuleFileMatcher {
  isEmpty(): boolean;
  createFilter(): (file: string, stat: FilterStat) => boolean;
}
interface AppBuilderInternals {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<Record<string, unknown>>;
  getNodeModuleFileMatcher(
    appDir: string,
    destination: string,
    macroExpander: (pattern: string) => string,
    platformSpecificBuildOptions: object,
    packager: { config: object; debugLogger: { isEnabled: boolean } },
  ): NodeModuleFileMatcher;
}

/** app-builder-lib (electron-builder's engine, 26.x) internals: its config loader and node_modules matcher. */
function appBuilderInternals(): AppBuilderInternals {
  const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
  return {
    ...(fromBuilder('app-builder-lib/out/util/config/config.js') as Pick<AppBuilderInternals, 'getConfig'>),
    ...(fromBuilder('app-builder-lib/out/fileMatcher.js') as Pick<AppBuilderInternals, 'getNodeModuleFileMatcher'>),
  };
}

export type BuilderPlatform = 'win' | 'mac' | 'linux';

/** The better-sqlite3 prebuilds that electron-builder.yml lets into a package for `platform`/`arch`. */
export async function prebuildsKept(platform: BuilderPlatform, arch: 'x64' | 'arm64', projectDir = PROJECT_DIR): Promise<string[]> {
  const { getConfig, getNodeModuleFileMatcher } = appBuilderInternals();
  const config = await getConfig(projectDir, null, null);
  const expand = (pattern: string) => pattern.replaceAll('${arch}', arch).replaceAll('${os}', platform);
  const matcher = getNodeModuleFileMatcher(projectDir, join(tmpdir(), 'unused'), expand, (config[platform] ?? {}) as object, {
    config,
    debugLogger: { isEnabled: false },
  });
  const filter = matcher.isEmpty() ? () => true : matcher.createFilter();
  const dir = join(projectDir, 'node_modules', 'better-sqlite3', 'prebuilds');
  return readdirSync(dir)
    .filter((name) => filter(join(dir, name), statSync(join(dir, name))))
    .sort();
}

/** What each platform must ship: its own prebuilds (glibc + musl on Linux, both arches on macOS). */
export const EXPECTED_PREBUILDS: Record<BuilderPlatform, (arch: string) => string[]> = {
  win: (arch) => [`win32-${arch}.node`],
  mac: () => ['darwin-arm64.node', 'darwin-x64.node'],
  linux: (arch) => [`linux-${arch}.node`, `linuxmusl-${arch}.node`],
};

async function configChecks(projectDir: string): Promise<Check[]> {
  const checks: Check[] = [];
  for (const platform of ['win', 'mac', 'linux'] as const) {
    for (const arch of ['x64', 'arm64'] as const) {
      const kept = await prebuildsKept(platform, arch, projectDir);
      const expected = EXPECTED_PREBUILDS[platform](arch);
      checks.push({
        name: `electron-builder.yml: a ${platform} ${arch} package gets only its own prebuilds`,
        ok: kept.join() === expected.join(),
        detail: `kept: ${kept.join(', ') || '(none)'}`,
      });
    }
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------
// Fuses and signing (issue 22 item 3)

/** The fuses electron-builder.yml must set, by @electron/fuses' FuseV1Options name. */
export const EXPECTED_FUSES = {
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableCookieEncryption: true,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
} as const satisfies Record<string, boolean>;
export type FuseName = keyof typeof EXPECTED_FUSES;
const FUSE_NAMES = Object.keys(EXPECTED_FUSES) as FuseName[];
/** electron-builder's `electronFuses` key for a fuse: RunAsNode -> runAsNode. */
const configKey = (fuse: FuseName) => fuse[0]!.toLowerCase() + fuse.slice(1);
/** The only entitlement build/entitlements.mac.plist may grant (see the comment in it). */
export const EXPECTED_ENTITLEMENTS = ['com.apple.security.cs.allow-jit'];

interface FusesModule {
  getCurrentFuseWire(pathToElectron: string): Promise<Record<string, number | string>>;
  FuseV1Options: Record<FuseName, number>;
}
// @electron/fuses' FuseState (not exported from its index): the ASCII digits of the wire.
const FUSE_ENABLED = 0x31;
const FUSE_DISABLED = 0x30;

/** The @electron/fuses that electron-builder itself flips the fuses with. */
function electronFusesModule(): FusesModule {
  const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
  return createRequire(fromBuilder.resolve('app-builder-lib/package.json'))('@electron/fuses') as FusesModule;
}

/** The fuse states in a packaged (stand-in) binary, by name: true on, false off, null unset or removed. */
export async function readFuses(executable: string): Promise<Record<FuseName, boolean | null>> {
  const { getCurrentFuseWire, FuseV1Options } = electronFusesModule();
  const wire = await getCurrentFuseWire(executable);
  const state = (byte: number | string | undefined) => (byte === FUSE_ENABLED ? true : byte === FUSE_DISABLED ? false : null);
  return Object.fromEntries(FUSE_NAMES.map((name) => [name, state(wire[FuseV1Options[name]])])) as Record<FuseName, boolean | null>;
}

const describeFuses = (states: Partial<Record<FuseName, unknown>>) => FUSE_NAMES.map((name) => `${name}=${String(states[name])}`).join(', ');

/** Reads the fuse wire back from the packaged stand-in executable, as electron-builder left it. */
async function fuseWireChecks(appOutDir: string): Promise<Check[]> {
  const executable = join(appOutDir, 'crewline');
  let fuses: Record<FuseName, boolean | null>;
  try {
    fuses = await readFuses(executable);
  } catch (error) {
    return [{ name: 'the packaged executable has a fuse wire', ok: false, detail: (error as Error).message }];
  }
  const wrong = FUSE_NAMES.filter((name) => fuses[name] !== EXPECTED_FUSES[name]);
  return [
    {
      name: 'fuses read back from the packaged (stand-in) executable match electron-builder.yml',
      ok: wrong.length === 0,
      detail: wrong.length ? `wrong: ${wrong.map((name) => `${name}=${String(fuses[name])}, want ${EXPECTED_FUSES[name]}`).join('; ')}` : describeFuses(fuses),
    },
  ];
}

type ConfigSection = Record<string, unknown> | undefined;

/** The fuse and signing settings in the resolved electron-builder configuration (the one `build` packs with). */
export async function signingConfigChecks(projectDir = PROJECT_DIR): Promise<Check[]> {
  const config = await appBuilderInternals().getConfig(projectDir, null, null);
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail?: string) => checks.push({ name, ok, ...(detail ? { detail } : {}) });

  const fuses = (config.electronFuses ?? {}) as Record<string, unknown>;
  const configured = Object.fromEntries(FUSE_NAMES.map((name) => [name, fuses[configKey(name)]]));
  const wrongFuses = FUSE_NAMES.filter((name) => configured[name] !== EXPECTED_FUSES[name]);
  check(
    `electron-builder.yml electronFuses: ${describeFuses(EXPECTED_FUSES)}`,
    wrongFuses.length === 0,
    wrongFuses.length ? `wrong or missing: ${wrongFuses.map((name) => `${configKey(name)}=${String(configured[name])}`).join(', ')}` : undefined,
  );
  // Flipping a fuse breaks Electron's ad-hoc signature: an unsigned arm64 Mac build must be re-signed ad hoc.
  check('electron-builder.yml electronFuses.resetAdHocDarwinSignature is true', fuses.resetAdHocDarwinSignature === true);

  const mac = config.mac as ConfigSection;
  const win = config.win as ConfigSection;
  check('mac.hardenedRuntime is true (notarization requires it)', mac?.hardenedRuntime === true);
  check('mac.notarize is true (runs when APPLE_* credentials are set)', mac?.notarize === true);
  for (const key of ['entitlements', 'entitlementsInherit'] as const) {
    const file = typeof mac?.[key] === 'string' ? join(projectDir, mac[key]) : null;
    const keys = file && existsSync(file) ? [...readFileSync(file, 'utf8').replace(/<!--[\s\S]*?-->/g, '').matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]) : null;
    check(
      `mac.${key} grants only ${EXPECTED_ENTITLEMENTS.join(', ')}`,
      keys !== null && keys.join() === EXPECTED_ENTITLEMENTS.join(),
      keys === null ? `missing file: ${String(mac?.[key])}` : keys.join(', '),
    );
  }
  const signtool = (win?.signtoolOptions ?? {}) as Record<string, unknown>;
  check('win.signtoolOptions.signingHashAlgorithms is [sha256]', JSON.stringify(signtool.signingHashAlgorithms) === '["sha256"]');
  // Certificates and passwords come from the environment only; an identity in the file would also
  // stop electron-builder from taking CSC_LINK's.
  const inFile = [
    ...['cscLink', 'cscKeyPassword'].flatMap((key) => [['', config], ['mac.', mac], ['win.', win]].filter(([, section]) => (section as ConfigSection)?.[key] != null).map(([prefix]) => `${String(prefix)}${key}`)),
    ...(mac?.identity !== undefined ? ['mac.identity'] : []),
    ...['certificateFile', 'certificatePassword', 'certificateSubjectName', 'certificateSha1'].filter((key) => signtool[key] != null).map((key) => `win.signtoolOptions.${key}`),
  ];
  check('no certificate, password or identity in electron-builder.yml (they come from the environment)', inFile.length === 0, inFile.join(', ') || undefined);
  return checks;
}

// ---------------------------------------------------------------------------------------------

/** Builds if needed, packages against a stand-in Electron and checks app.asar. Never throws on a failed check. */
export async function runPackageCheck(options: PackageCheckOptions = {}): Promise<PackageCheckResult> {
  const projectDir = options.projectDir ?? PROJECT_DIR;
  const layoutProblem = nodeModulesLayoutProblem(projectDir);
  const layout: Check = { name: LAYOUT_CHECK, ok: layoutProblem === null, ...(layoutProblem ? { detail: layoutProblem } : {}) };
  if (!layout.ok) {
    return {
      checks: [layout],
      failed: [layout],
      asarFiles: [],
      unpackedFiles: [],
      buildNote: 'not built: refused before building and packaging',
      appOutDir: NOT_PACKAGED,
      timingsMs: { build: 0, package: 0, inspect: 0 },
    };
  }
  const temp = mkdtempSync(join(tmpdir(), 'crewline-package-check-'));
  try {
    let t = performance.now();
    const buildNote = maybeBuild(projectDir, options.build ?? 'auto');
    const buildMs = performance.now() - t;

    t = performance.now();
    const electronDist = createStandInElectron(join(temp, 'electron-dist'));
    const appOutDir = await packageLinuxDir(projectDir, electronDist, join(temp, 'dist'));
    const packageMs = performance.now() - t;

    t = performance.now();
    const inspected = inspect(projectDir, appOutDir);
    inspected.checks.unshift(layout);
    inspected.checks.push(...(await fuseWireChecks(appOutDir)));
    inspected.checks.push(...(await configChecks(projectDir)));
    inspected.checks.push(...(await signingConfigChecks(projectDir)));
    const inspectMs = performance.now() - t;
    return {
      ...inspected,
      failed: inspected.checks.filter((c) => !c.ok),
      buildNote,
      appOutDir: options.keep ? appOutDir : '(deleted)',
      timingsMs: { build: buildMs, package: packageMs, inspect: inspectMs },
    };
  } finally {
    if (!options.keep) rmSync(temp, { recursive: true, force: true });
  }
}

export function formatReport(result: PackageCheckResult): string {
  const lines = [
    '',
    'Package layout check — linux x64 `dir` against a STAND-IN Electron (no Electron binary here).',
    'Nothing runnable and no installer was produced; real installers need `npm run dist:win|dist:mac|dist:linux` with network.',
    'Fuses are read back from the stand-in\'s wire (Electron\'s defaults before packaging), nothing was signed.',
    `build: ${result.buildNote}`,
    '',
  ];
  for (const c of result.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}${c.detail ? ` — ${c.detail}` : ''}`);
  const t = result.timingsMs;
  lines.push('');
  if (result.appOutDir !== NOT_PACKAGED) {
    lines.push(
      `app.asar: ${result.asarFiles.length} files; app.asar.unpacked: ${result.unpackedFiles.length} (${result.unpackedFiles.join(', ')})`,
      `time: build ${(t.build / 1000).toFixed(1)} s, package ${(t.package / 1000).toFixed(1)} s, inspect ${(t.inspect / 1000).toFixed(1)} s`,
      `output: ${result.appOutDir}`,
    );
  }
  lines.push(result.failed.length === 0 ? `PASS: ${result.checks.length} checks` : `FAIL: ${result.failed.length} of ${result.checks.length} checks failed`);
  return lines.join('\n');
}

function flags() {
  try {
    return parseArgs({
      options: { 'skip-build': { type: 'boolean' }, build: { type: 'boolean' }, keep: { type: 'boolean' }, 'project-dir': { type: 'string' } },
    }).values;
  } catch {
    return null; // an unknown flag or a missing value
  }
}

async function main(): Promise<number> {
  const values = flags();
  if (values === null || (values['skip-build'] && values.build)) {
    console.error('usage: tsx scripts/package-check.ts [--skip-build | --build] [--keep] [--project-dir DIR]');
    return 2;
  }
  const result = await runPackageCheck({
    build: values['skip-build'] ? 'never' : values.build ? 'always' : 'auto',
    keep: values.keep ?? false,
    ...(values['project-dir'] ? { projectDir: resolve(values['project-dir']) } : {}),
  });
  console.log(formatReport(result));
  return result.failed.length === 0 ? 0 : 1;
}

runAsScript(import.meta.url, main);
