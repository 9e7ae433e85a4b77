import type { App } from '../../src/api/app.js';
import type { Db } from '../../src/db/database.js';
import { insertApiKey, revokeApiKey, type ApiKeyScope } from '../../src/db/repositories/api-keys.js';
import { generateApiKey } from '../../src/domain/api-keys.js';
import type { ScheduleSync } from '../../src/schedules/schedule-sync.js';

export interface TestApiKey {
  id: string;
  plaintext: string;
}

/** An API key stored the way `npm run apikey` stores it; `revoked: true` revokes it at once. */
export async function createTestApiKey(db: Db, scope: ApiKeyScope, options: { revoked?: boolean } = {}): Promise<TestApiKey> {
  const key = generateApiKey();
  const row = await insertApiKey(db, { name: `test ${scope.cstCd ?? 'admin'}`, scope, displayPrefix: key.displayPrefix, hash: key.hash });
  if (options.revoked) await revokeApiKey(db, row.id);
  return { id: row.id, plaintext: key.plaintext };
}

export const adminScope: ApiKeyScope = { role: 'admin', cstCd: null };
export const customerScope = (cstCd: string): ApiKeyScope => ({ role: 'customer', cstCd });

export interface CallOptions {
  key?: TestApiKey;
  body?: unknown;
  headers?: Record<string, string>;
}

/** `call(method, path, { key, body })`: a JSON request through the app, authenticated with `key`. */
export function apiCaller(app: App) {
  return (method: string, path: string, options: CallOptions = {}) =>
    app.request(path, {
      method,
      headers: {
        ...(options.key ? { authorization: `Bearer ${options.key.plaintext}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
}

/** The ScheduleSync seam with its calls recorded and its answer settable (the reconcile lands later). */
export function recordingScheduleSync(): ScheduleSync & { calls: string[]; answer: 'synced' | 'pending' | Error } {
  const recorder = {
    calls: [] as string[],
    answer: 'synced' as 'synced' | 'pending' | Error,
    async syncLink(mallLinkId: string) {
      recorder.calls.push(mallLinkId);
      if (recorder.answer instanceof Error) throw recorder.answer;
      return recorder.answer;
    },
  };
  return recorder;
}

/** The smallest valid create body: company invoice display needs a sender. */
export const minimalLink = (mallId: string, cstCd: string) => ({ mallId, cstCd, sender: { name: '패스토샵', phone: '02-1234-5678' } });
