import { createHmac } from 'node:crypto';
import type { Config } from '../../config/env.js';

/** The key for install states and status links, derived from the token key so no further secret is needed. */
export function cafe24SigningKey(config: Pick<Config, 'TOKEN_ENCRYPTION_KEY'>): Buffer {
  if (!config.TOKEN_ENCRYPTION_KEY) throw new Error('TOKEN_ENCRYPTION_KEY is not set; install states cannot be signed');
  return createHmac('sha256', Buffer.from(config.TOKEN_ENCRYPTION_KEY, 'base64')).update('cafe24-signed-links').digest();
}

export interface InstallState {
  purpose: 'cafe24-install';
  exp: number;
  nonce: string;
  mallLinkId: string;
}

export interface StatusLink {
  purpose: 'cafe24-status';
  exp: number;
  mallLinkId: string;
}
