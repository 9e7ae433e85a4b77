import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Small tamper-proof tokens: `base64url(JSON).base64url(HMAC-SHA256)`, with a purpose and an
 * expiry (unix seconds) inside, so a token made for one use is refused for another.
 */
export interface SignedEnvelope {
  purpose: string;
  exp: number;
}

export function signPayload<T extends SignedEnvelope>(key: Buffer, payload: T): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

export type VerifiedPayload<T> = { ok: true; payload: T } | { ok: false; reason: 'forged' | 'expired' };

export function verifyPayload<T extends SignedEnvelope>(key: Buffer, token: string, purpose: string, now: Date): VerifiedPayload<T> {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return { ok: false, reason: 'forged' };
  const expected = createHmac('sha256', key).update(body).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  let payload: T;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
  } catch {
    return { ok: false, reason: 'forged' };
  }
  if (payload.purpose !== purpose) return { ok: false, reason: 'forged' };
  if (typeof payload.exp !== 'number' || payload.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, payload };
}
