import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for tokens at rest. Stored form: `v1.<iv>.<tag>.<ciphertext>` (base64url). The
 * associated data binds a ciphertext to its row and column, so values cannot be swapped around.
 */
export interface TokenCipher {
  encrypt(plaintext: string, associatedData: string): string;
  decrypt(stored: string, associatedData: string): string;
}

/** A stored token this key cannot open: another TOKEN_ENCRYPTION_KEY encrypted it, or the row was altered. */
export class TokenUnreadableError extends Error {
  constructor(options: ErrorOptions) {
    super('a stored Cafe24 token could not be decrypted: TOKEN_ENCRYPTION_KEY differs from the key that encrypted it, or the row was altered', options);
    this.name = 'TokenUnreadableError';
  }
}

export function createTokenCipher(base64Key: string): TokenCipher {
  const key = Buffer.from(base64Key, 'base64');
  if (key.length !== 32) throw new RangeError('TOKEN_ENCRYPTION_KEY must be 32 bytes, base64-encoded');
  return {
    encrypt(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
    },
    decrypt(stored, associatedData) {
      const [version, iv, tag, ciphertext] = stored.split('.');
      if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('not an encrypted token (expected v1.<iv>.<tag>.<data>)');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      } catch (error) {
        throw new TokenUnreadableError({ cause: error });
      }
    },
  };
}
