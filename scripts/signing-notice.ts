/**
 * Says, before a release build, whether it will be signed and notarized (issue 22 item 3).
 *
 *   node scripts/signing-notice.ts win|mac|linux      (run by `npm run dist:win|dist:mac|dist:linux`)
 *
 * electron-builder.yml takes every secret from the environment, and electron-builder quietly skips
 * signing when none is set. This prints the outcome in plain words ("Unsigned build: …") so an unsigned
 * installer is never mistaken for a release. It never fails a build for lack of secrets (exit 0); it
 * exits 1 only when a set of variables is half given (electron-builder would stop on it later, after
 * minutes of packaging), and 2 on a bad argument. It never prints a secret's value.
 */
import { runAsScript } from './exit-when-flushed.ts';

export type SigningPlatform = 'win' | 'mac' | 'linux';
type Env = Readonly<Record<string, string | undefined>>;

export interface SigningPlan {
  platform: SigningPlatform;
  /** Where the certificate comes from (an environment variable's name), or null: unsigned. */
  certificate: string | null;
  /** macOS only: which notarization credentials, or null (not notarized). */
  notarization: 'App Store Connect API key' | 'Apple ID' | 'keychain profile' | null;
  /** Variables given only in part: electron-builder refuses these. */
  problems: string[];
  /** What to print, one line each. */
  lines: string[];
}

const given = (env: Env, name: string) => (env[name] ?? '').trim() !== '';

/** The notarization credentials electron-builder 26 would use (MacTargetHelper.getNotarizeOptions, same order). */
function notarization(env: Env, problems: string[]): SigningPlan['notarization'] {
  const appleId = ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'];
  const apiKey = ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'];
  // electron-builder picks Apple ID as soon as APPLE_ID or its password is set (the team alone does not count).
  if (given(env, 'APPLE_ID') || given(env, 'APPLE_APP_SPECIFIC_PASSWORD')) {
    const missing = appleId.filter((name) => !given(env, name));
    if (missing.length > 0) problems.push(`Apple ID notarization needs ${missing.join(', ')} too`);
    return 'Apple ID';
  }
  if (apiKey.some((name) => given(env, name))) {
    const missing = apiKey.filter((name) => !given(env, name));
    if (missing.length > 0) problems.push(`API key notarization needs ${missing.join(', ')} too`);
    return 'App Store Connect API key';
  }
  return given(env, 'APPLE_KEYCHAIN_PROFILE') ? 'keychain profile' : null;
}

/** What electron-builder will do with this environment. Pure: the environment is passed in. */
export function signingPlan(platform: SigningPlatform, env: Env): SigningPlan {
  const problems: string[] = [];
  const lines: string[] = [];
  if (platform === 'linux') {
    return { platform, certificate: null, notarization: null, problems, lines: ['Linux build: AppImages are not code-signed; publish checksums with the release.'] };
  }
  // electron-builder reads WIN_CSC_LINK before CSC_LINK for Windows; macOS reads CSC_LINK (or the keychain).
  const linkNames = platform === 'win' ? ['WIN_CSC_LINK', 'CSC_LINK'] : ['CSC_LINK'];
  const certificate = linkNames.find((name) => given(env, name)) ?? null;
  // Windows takes WIN_CSC_KEY_PASSWORD, else CSC_KEY_PASSWORD; without either electron-builder tries an
  // empty password (a passwordless .pfx is legal), so this is a warning, not a refusal.
  const passwords = platform === 'win' ? ['WIN_CSC_KEY_PASSWORD', 'CSC_KEY_PASSWORD'] : ['CSC_KEY_PASSWORD'];
  const warnings: string[] = [];
  if (certificate !== null && !passwords.some((name) => given(env, name))) {
    warnings.push(`Warning: ${certificate} is set but ${passwords.join(' / ')} is not; electron-builder will try an empty password.`);
  }
  const notarize = platform === 'mac' ? notarization(env, problems) : null;

  if (platform === 'win') {
    lines.push(
      certificate === null
        ? 'Unsigned build: set WIN_CSC_LINK and WIN_CSC_KEY_PASSWORD (or CSC_LINK and CSC_KEY_PASSWORD) to sign the Windows installer. SmartScreen will warn about this one.'
        : `Signing the Windows app and installer with the certificate in ${certificate} (SHA-256, timestamped).`,
    );
  } else {
    // Without CSC_LINK electron-builder still finds a Developer ID in the login keychain on a Mac.
    const autoDiscovery = env.CSC_IDENTITY_AUTO_DISCOVERY !== 'false';
    lines.push(
      certificate !== null
        ? 'Signing with the Developer ID certificate in CSC_LINK, hardened runtime on.'
        : autoDiscovery
          ? 'Unsigned build unless this Mac\'s keychain holds a "Developer ID Application" certificate: set CSC_LINK and CSC_KEY_PASSWORD to sign. Gatekeeper blocks an unsigned app.'
          : 'Unsigned build: CSC_IDENTITY_AUTO_DISCOVERY=false and no CSC_LINK. Set CSC_LINK and CSC_KEY_PASSWORD to sign. Gatekeeper blocks an unsigned app.',
    );
    lines.push(
      notarize === null
        ? 'Not notarized: set APPLE_API_KEY, APPLE_API_KEY_ID and APPLE_API_ISSUER (or APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID) to notarize.'
        : `Notarizing with the ${notarize} after signing.`,
    );
  }
  lines.push(...warnings);
  for (const problem of problems) lines.push(`Problem: ${problem}; electron-builder stops with an error when it gets to notarizing.`);
  return { platform, certificate, notarization: notarize, problems, lines };
}

async function main(): Promise<number> {
  const platform = process.argv[2];
  if (platform !== 'win' && platform !== 'mac' && platform !== 'linux') {
    console.error('usage: node scripts/signing-notice.ts win|mac|linux');
    return 2;
  }
  const plan = signingPlan(platform, process.env);
  for (const line of plan.lines) console.log(line);
  return plan.problems.length === 0 ? 0 : 1;
}

runAsScript(import.meta.url, main);
