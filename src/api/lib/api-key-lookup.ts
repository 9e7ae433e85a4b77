import type { ApiKeyRow } from '../../../db/schema.js';
import type { Db } from '../../db/database.js';
import { findActiveApiKeyByHash } from '../../db/repositories/api-keys.js';

/** The active key with a hash, if any: every /v1 request asks once. */
export interface ApiKeyLookup {
  find(hash: string): Promise<ApiKeyRow | undefined>;
}

export interface CachedApiKeyLookup extends ApiKeyLookup {
  /** Forgets every key: something that can refuse one changed, or changes went unheard. */
  invalidate(): void;
}

/** Each lookup reads PostgreSQL. */
export const uncachedApiKeyLookup = (db: Db): ApiKeyLookup => ({ find: (hash) => findActiveApiKeyByHash(db, hash) });

export interface ApiKeyCacheOptions {
  /** Whether invalidations are heard now (the process listens for api_keys changes); else every lookup reads. */
  trusted: () => boolean;
  /** How long a key is served from memory at most, a bound should a change go unheard. */
  maxAgeMs?: number;
  /** Keys held at most; past it the cache starts afresh. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Active keys kept in memory after their first read, so a request costs no round trip for its key
 * (one of the two a link status needs). Served from memory only while `trusted()`: a revocation
 * anywhere then reaches `invalidate` as it commits. A read that began before an invalidation is
 * not kept, since it may predate the change. Unknown and revoked keys are never kept.
 */
export function cachedApiKeyLookup(load: (hash: string) => Promise<ApiKeyRow | undefined>, options: ApiKeyCacheOptions): CachedApiKeyLookup {
  const { trusted, maxAgeMs = 60_000, maxEntries = 10_000, now = Date.now } = options;
  const entries = new Map<string, { key: ApiKeyRow; readAt: number }>();
  let generation = 0;
  return {
    async find(hash) {
      const readAt = now();
      if (trusted()) {
        const entry = entries.get(hash);
        if (entry && entry.readAt > readAt - maxAgeMs) return entry.key;
      }
      const readIn = generation;
      const key = await load(hash);
      if (key && trusted() && generation === readIn) {
        if (entries.size >= maxEntries) entries.clear();
        entries.set(hash, { key, readAt });
      }
      return key;
    },
    invalidate() {
      generation += 1;
      entries.clear();
    },
  };
}
