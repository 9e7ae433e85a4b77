import { createHmac, timingSafeEqual } from 'node:crypto';
import { launchHmacKey, launchSignedMessage } from './unconfirmed.js';

/** The app launch from the Cafe24 admin (App URL request), after its HMAC was checked. */
export type LaunchVerification =
  | { ok: true; mallId: string; shopNo: number | null; userId: string | null }
  | { ok: false; reason: 'unsigned' | 'bad-signature' | 'stale' | 'no-mall' };

const launchMaxAgeMs = 10 * 60_000;

/**
 * Verifies `hmac` = base64(HMAC-SHA256(client secret, query without hmac)) with a timing-safe
 * compare, and refuses launches whose `timestamp` is older than 10 minutes (or far in the future).
 */
export function verifyLaunch(rawQuery: string, clientSecret: string, now: Date): LaunchVerification {
  const params = new URLSearchParams(rawQuery);
  // Percent-decoding only: a literal '+' in base64 must stay a '+', not become a space.
  const rawHmac = rawQuery.split('&').find((pair) => pair.startsWith('hmac='))?.slice('hmac='.length);
  if (!rawHmac) return { ok: false, reason: 'unsigned' };
  const hmac = safeDecode(rawHmac);
  const expected = createHmac('sha256', launchHmacKey(clientSecret)).update(launchSignedMessage(rawQuery)).digest();
  const given = Buffer.from(hmac, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  const timestamp = Number(params.get('timestamp'));
  const ageMs = now.getTime() - timestamp * 1000;
  if (!Number.isFinite(timestamp) || ageMs > launchMaxAgeMs || ageMs < -launchMaxAgeMs) return { ok: false, reason: 'stale' };
  const mallId = params.get('mall_id');
  if (!mallId) return { ok: false, reason: 'no-mall' };
  const shopNo = Number(params.get('shop_no'));
  return { ok: true, mallId, shopNo: Number.isInteger(shopNo) && shopNo > 0 ? shopNo : null, userId: params.get('user_id') };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
