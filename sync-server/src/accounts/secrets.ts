import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer tokens and one-time codes. Only their SHA-256 reaches the database: a stolen copy of
 * accounts.sqlite holds nothing that signs anyone in. (A fast hash is enough here — unlike passwords these
 * are 128+ random bits, so there is nothing to guess.)
 */

/** 32 random bytes, base64url: 43 characters. */
export const newToken = (): string => randomBytes(32).toString('base64url');
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

// Crockford base32: no I, L, O or U, so a code read aloud or retyped from a console survives.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = 25; // 125 bits

/** A one-time code for humans, e.g. `7KQ2M-XW9DA-...` (five groups of five). */
export function newCode(): string {
  const bytes = randomBytes(CODE_CHARS);
  let text = '';
  // 32 symbols: the low five bits of a random byte are uniform.
  for (const byte of bytes) text += CODE_ALPHABET[byte & 31];
  return text.match(/.{5}/g)!.join('-');
}

/** The canonical form of a typed code: case, dashes, spaces and the look-alikes O/I/L forgiven. */
export function normalizeCode(typed: string): string {
  return typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

export const isWellFormedCode = (normalized: string): boolean =>
  normalized.length === CODE_CHARS && [...normalized].every((c) => CODE_ALPHABET.includes(c));
