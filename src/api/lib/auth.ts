import { createMiddleware } from 'hono/factory';
import { touchApiKey } from '../../db/repositories/api-keys.js';
import { hashApiKey } from '../../domain/api-keys.js';
import { ProblemError } from './problem.js';
import type { AppEnv, Principal } from './types.js';

/**
 * `last_used_at` tells people which keys are still in use, so a minute's precision does: each
 * process writes it at most once a minute per key, not on every request (one hot row under load).
 */
const touchIntervalMs = 60_000;
const lastTouchedAt = new Map<string, number>();

const unauthorized = (detail: string) =>
  new ProblemError(401, 'unauthorized', 'Unauthorized', detail);

/**
 * Every /v1 route: `Authorization: Bearer <api key>`. The key's hash must match an active key;
 * the caller becomes an admin or a customer principal bound to one cstCd.
 */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthorized('send `Authorization: Bearer <api key>`');
  const { db, apiKeys } = c.get('deps');
  const key = await apiKeys.find(hashApiKey(match[1]!));
  if (!key) throw unauthorized('the API key is unknown or revoked');
  const principal: Principal = key.role === 'admin' ? { keyId: key.id, role: 'admin', cstCd: null } : { keyId: key.id, role: 'customer', cstCd: key.cst_cd! };
  c.set('principal', principal);
  c.set('log', c.get('log').child({ apiKeyId: key.id }));
  const now = Date.now();
  if ((lastTouchedAt.get(key.id) ?? -Infinity) <= now - touchIntervalMs) {
    lastTouchedAt.set(key.id, now);
    await touchApiKey(db, key.id);
  }
  await next();
});

/** Whether the principal may see and change resources of this customer. */
export const canAccessCustomer = (principal: Principal, cstCd: string) => principal.role === 'admin' || principal.cstCd === cstCd;

/** Admin-only operations (timetable, calendar, shop approval). */
export function assertAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw new ProblemError(403, 'forbidden', 'Forbidden', 'this operation needs an admin API key');
}
