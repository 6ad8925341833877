import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signingPlan } from './signing-notice.ts';

const SCRIPT = join(import.meta.dirname, 'signing-notice.ts');

describe('signingPlan', () => {
  it('no variables: Windows and macOS say "Unsigned build" and name the variables', () => {
    const win = signingPlan('win', {});
    expect(win.certificate).toBeNull();
    expect(win.lines[0]).toMatch(/^Unsigned build: set WIN_CSC_LINK and WIN_CSC_KEY_PASSWORD \(or CSC_LINK and CSC_KEY_PASSWORD\)/);
    const mac = signingPlan('mac', { CSC_IDENTITY_AUTO_DISCOVERY: 'false' });
    expect(mac.lines[0]).toMatch(/^Unsigned build: .*Set CSC_LINK and CSC_KEY_PASSWORD to sign/);
    expect(mac.lines[1]).toMatch(/^Not notarized: set APPLE_API_KEY, APPLE_API_KEY_ID and APPLE_API_ISSUER/);
    expect(mac.notarization).toBeNull();
    expect([...win.problems, ...mac.problems]).toEqual([]);
  });

  it('macOS without CSC_LINK warns that a keychain identity may still sign', () => {
    expect(signingPlan('mac', {}).lines[0]).toMatch(/^Unsigned build unless this Mac's keychain holds a "Developer ID Application" certificate/);
  });

  it('Windows prefers WIN_CSC_LINK over CSC_LINK and takes either password', () => {
    const plan = signingPlan('win', { WIN_CSC_LINK: 'C:/certs/crewline.pfx', CSC_LINK: 'other.p12', CSC_KEY_PASSWORD: 'secret-pass' });
    expect(plan.certificate).toBe('WIN_CSC_LINK');
    expect(plan.lines).toEqual(['Signing the Windows app and installer with the certificate in WIN_CSC_LINK (SHA-256, timestamped).']);
  });

  it('a certificate without a password is a warning, not a refusal', () => {
    const plan = signingPlan('mac', { CSC_LINK: 'cert.p12', APPLE_API_KEY: 'k.p8', APPLE_API_KEY_ID: 'ABC', APPLE_API_ISSUER: 'uuid' });
    expect(plan.problems).toEqual([]);
    expect(plan.lines).toContain('Warning: CSC_LINK is set but CSC_KEY_PASSWORD is not; electron-builder will try an empty password.');
    expect(plan.notarization).toBe('App Store Connect API key');
  });

  it('Apple ID wins over the API key, as in electron-builder, and blank values do not count', () => {
    const env = { CSC_LINK: 'c', CSC_KEY_PASSWORD: 'p', APPLE_ID: 'ops@example.com', APPLE_APP_SPECIFIC_PASSWORD: 'x', APPLE_TEAM_ID: 'T1', APPLE_API_KEY: ' ' };
    const plan = signingPlan('mac', env);
    expect(plan.notarization).toBe('Apple ID');
    expect(plan.lines).toEqual(['Signing with the Developer ID certificate in CSC_LINK, hardened runtime on.', 'Notarizing with the Apple ID after signing.']);
  });

  it('half-given notarization credentials are problems that name what is missing', () => {
    expect(signingPlan('mac', { APPLE_ID: 'ops@example.com' }).problems).toEqual(['Apple ID notarization needs APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID too']);
    expect(signingPlan('mac', { APPLE_API_KEY_ID: 'ABC' }).problems).toEqual(['API key notarization needs APPLE_API_KEY, APPLE_API_ISSUER too']);
  });

  it('never prints a secret value', () => {
    const env = { CSC_LINK: 'file-secret', CSC_KEY_PASSWORD: 'pw-secret', APPLE_ID: 'id-secret', APPLE_APP_SPECIFIC_PASSWORD: 'app-secret', APPLE_TEAM_ID: 'team-secret' };
    const text = signingPlan('mac', env).lines.join('\n');
    for (const value of Object.values(env)) expect(text).not.toContain(value);
  });
});

describe('node scripts/signing-notice.ts', () => {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(WIN_)?CSC_|^APPLE_/.test(name)));

  it('an unsigned build says so and exits 0', () => {
    const out = execFileSync(process.execPath, [SCRIPT, 'win'], { env: clean, encoding: 'utf8' });
    expect(out).toMatch(/^Unsigned build: set WIN_CSC_LINK/);
  });

  it('half-given credentials exit 1; a bad platform exits 2', () => {
    const half = spawnSync(process.execPath, [SCRIPT, 'mac'], { env: { ...clean, APPLE_API_KEY: 'k.p8' }, encoding: 'utf8' });
    expect(half.status).toBe(1);
    expect(half.stdout).toContain('Problem: API key notarization needs APPLE_API_KEY_ID, APPLE_API_ISSUER too');
    const bad = spawnSync(process.execPath, [SCRIPT, 'windows'], { env: clean, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('usage: node scripts/signing-notice.ts win|mac|linux');
  });
});
