import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenCipher } from './token-cipher.js';

const cipher = createTokenCipher(randomBytes(32).toString('base64'));

describe('token cipher (AES-256-GCM)', () => {
  it('round-trips and never stores the plaintext', () => {
    const stored = cipher.encrypt('secret-access-token', 'link-1:access');
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toContain('secret-access-token');
    expect(cipher.decrypt(stored, 'link-1:access')).toBe('secret-access-token');
  });

  it('encrypts the same value differently each time', () => {
    expect(cipher.encrypt('same', 'a')).not.toBe(cipher.encrypt('same', 'a'));
  });

  it('refuses a value moved to another row or column, a tampered value, and another key', () => {
    const stored = cipher.encrypt('secret', 'link-1:refresh');
    expect(() => cipher.decrypt(stored, 'link-2:refresh')).toThrow();
    const parts = stored.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'link-1:refresh')).toThrow();
    expect(() => createTokenCipher(randomBytes(32).toString('base64')).decrypt(stored, 'link-1:refresh')).toThrow();
  });

  it('rejects a key of the wrong length', () => {
    expect(() => createTokenCipher(randomBytes(16).toString('base64'))).toThrow(RangeError);
  });
});
