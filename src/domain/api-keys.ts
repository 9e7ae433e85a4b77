import { createHash, randomBytes } from 'node:crypto';

/** Prefix that makes our keys recognisable in config files and secret scanners. */
const keyPrefix = 'c2f_';

export interface GeneratedApiKey {
  /** Shown once to whoever creates the key; never stored. */
  plaintext: string;
  /** The first characters, stored to let people tell keys apart. */
  displayPrefix: string;
  hash: string;
}

/**
 * Keys carry 256 random bits, so a single SHA-256 is a sufficient at-rest hash:
 * there is nothing to brute-force that a slow hash would protect.
 */
export function hashApiKey(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex');
}

export function generateApiKey(): GeneratedApiKey {
  const plaintext = `${keyPrefix}${randomBytes(32).toString('base64url')}`;
  return { plaintext, displayPrefix: plaintext.slice(0, keyPrefix.length + 6), hash: hashApiKey(plaintext) };
}
