import type { Dispatcher } from 'undici';
import type { Config } from '../../config/env.js';
import type { Db } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { Cafe24AdminClient } from './admin-client.js';
import { createCafe24Dispatcher } from './http.js';
import { Cafe24OAuthClient } from './oauth.js';
import { Cafe24Pacer, type PacerOptions } from './pacer.js';
import { createTokenCipher, type TokenCipher } from './token-cipher.js';
import { Cafe24TokenManager, type Cafe24TokenManagerOptions } from '../../services/cafe24-tokens.js';

/** Everything a process needs to talk to Cafe24, built once from configuration. */
export interface Cafe24Connection {
  oauth: Cafe24OAuthClient;
  tokens: Cafe24TokenManager;
  admin: Cafe24AdminClient;
  close(): Promise<void>;
}

export interface Cafe24ConnectionOverrides {
  pacing?: PacerOptions;
  maxAttempts?: number;
  backoffMs?: number;
  refreshMarginMs?: number;
  now?: () => Date;
}

/** The key is checked on first use, so a process that never touches tokens starts without one. */
function lazyCipher(base64Key: string | undefined): TokenCipher {
  let cipher: TokenCipher | undefined;
  const get = () => {
    if (!base64Key) throw new Error('TOKEN_ENCRYPTION_KEY is not set; Cafe24 tokens cannot be stored or read');
    cipher ??= createTokenCipher(base64Key);
    return cipher;
  };
  return { encrypt: (p, a) => get().encrypt(p, a), decrypt: (s, a) => get().decrypt(s, a) };
}

export function createCafe24Connection(
  config: Pick<Config, 'CAFE24_CLIENT_ID' | 'CAFE24_CLIENT_SECRET' | 'CAFE24_API_BASE_URL' | 'CAFE24_API_VERSION' | 'CAFE24_HTTP_TIMEOUT_MS' | 'TOKEN_ENCRYPTION_KEY'>,
  deps: { db: Db; log: Logger; onReauthRequired?: Cafe24TokenManagerOptions['onReauthRequired'] },
  overrides: Cafe24ConnectionOverrides = {},
): Cafe24Connection {
  const dispatcher: Dispatcher = createCafe24Dispatcher(config.CAFE24_HTTP_TIMEOUT_MS);
  const oauth = new Cafe24OAuthClient({ baseUrlTemplate: config.CAFE24_API_BASE_URL, clientId: config.CAFE24_CLIENT_ID, clientSecret: config.CAFE24_CLIENT_SECRET, dispatcher });
  const tokens = new Cafe24TokenManager({
    db: deps.db,
    oauth,
    cipher: lazyCipher(config.TOKEN_ENCRYPTION_KEY),
    log: deps.log,
    ...(deps.onReauthRequired ? { onReauthRequired: deps.onReauthRequired } : {}),
    ...(overrides.refreshMarginMs !== undefined ? { refreshMarginMs: overrides.refreshMarginMs } : {}),
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const admin = new Cafe24AdminClient({
    baseUrlTemplate: config.CAFE24_API_BASE_URL,
    apiVersion: config.CAFE24_API_VERSION,
    dispatcher,
    tokens,
    pacer: new Cafe24Pacer(overrides.pacing),
    ...(overrides.maxAttempts !== undefined ? { maxAttempts: overrides.maxAttempts } : {}),
    ...(overrides.backoffMs !== undefined ? { backoffMs: overrides.backoffMs } : {}),
  });
  return { oauth, tokens, admin, close: () => dispatcher.close() };
}
