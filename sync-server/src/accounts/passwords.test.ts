import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, hashPassword, needsRehash, unusableHash, verifyPassword } from './passwords';
import { hashSecret, isWellFormedCode, newCode, newToken, normalizeCode, TOKEN_PATTERN } from './secrets';

describe('password hashing (production parameters)', () => {
  it('verifies the right password, refuses a wrong one and never stores the password', async () => {
    const password = 'correct horse battery staple';
    const stored = await hashPassword(password);
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain(password);
    expect(stored).not.toContain(Buffer.from(password).toString('base64url'));
    expect(await verifyPassword(password, stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false);
    expect(await verifyPassword('Correct horse battery staple', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash: the same password hashes differently twice', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
  });

  it('treats composed and decomposed Unicode as the same password', async () => {
    const composed = 'caf\u00e9-p\u00e4ss';
    const stored = await hashPassword(composed);
    expect(await verifyPassword(composed.normalize('NFD'), stored)).toBe(true);
  });

  it('refuses malformed or tampered hashes without running them', async () => {
    const stored = await hashPassword('pw-123456', { N: 1024, r: 8, p: 1 });
    const parts = stored.split('$');
    const replaced = (index: number, value: string) => parts.map((part, i) => (i === index ? value : part)).join('$');
    expect(await verifyPassword('pw-123456', stored)).toBe(true);
    // A huge cost would allocate gigabytes if it were run.
    expect(await verifyPassword('pw-123456', replaced(1, String(2 ** 30)))).toBe(false);
    expect(await verifyPassword('pw-123456', replaced(1, '1000'))).toBe(false);
    expect(await verifyPassword('pw-123456', replaced(0, 'bcrypt'))).toBe(false);
    expect(await verifyPassword('pw-123456', replaced(5, 'short'))).toBe(false);
    expect(await verifyPassword('pw-123456', 'plain text')).toBe(false);
  });

  it('flags hashes made with weaker parameters for rehashing', async () => {
    const weak = await hashPassword('pw-123456', { N: 1024, r: 8, p: 1 });
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(weak, { N: 1024, r: 8, p: 1 })).toBe(false);
    expect(needsRehash(unusableHash(DEFAULT_SCRYPT))).toBe(false);
    // A hash made with the old default (2^15) is rehashed at the next sign-in.
    expect(needsRehash(unusableHash({ N: 2 ** 15, r: 8, p: 1 }))).toBe(true);
    // At least OWASP's minimum.
    expect(DEFAULT_SCRYPT.N).toBeGreaterThanOrEqual(2 ** 17);
    expect(DEFAULT_SCRYPT.r).toBeGreaterThanOrEqual(8);
  });

  it('an unusable hash matches no password', async () => {
    const stored = unusableHash({ N: 1024, r: 8, p: 1 });
    expect(await verifyPassword('', stored)).toBe(false);
    expect(await verifyPassword('anything', stored)).toBe(false);
  });
});

describe('tokens and one-time codes', () => {
  it('tokens are 32 random bytes in base64url and hash to SHA-256 hex', () => {
    const tokens = new Set(Array.from({ length: 50 }, newToken));
    expect(tokens.size).toBe(50);
    for (const token of tokens) {
      expect(token).toMatch(TOKEN_PATTERN);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
    const [first] = tokens;
    expect(hashSecret(first!)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(first!)).not.toContain(first!);
  });

  it('codes survive retyping: case, dashes, spaces and look-alike letters are forgiven', () => {
    const code = newCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}$/);
    const canonical = normalizeCode(code);
    expect(isWellFormedCode(canonical)).toBe(true);
    expect(normalizeCode(` ${code.toLowerCase().replace(/-/g, ' ')} `)).toBe(canonical);
    expect(normalizeCode('O0IL1-ooiil')).toBe('0011100111');
    expect(isWellFormedCode(normalizeCode('too-short'))).toBe(false);
    expect(isWellFormedCode(normalizeCode(`${code}U`))).toBe(false);
  });
});
