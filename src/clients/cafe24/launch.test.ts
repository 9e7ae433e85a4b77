import { describe, expect, it } from 'vitest';
import { verifyLaunch } from './launch.js';

// A vector computed independently: base64(HMAC-SHA256('test-secret', query)).
const secret = 'test-secret';
const query = 'is_multi_shop=T&lang=ko_KR&mall_id=demomall&nation=KR&shop_no=1&timestamp=1796000000&user_id=demomall&user_name=%ED%99%8D%EA%B8%B8%EB%8F%99&user_type=P';
const hmac = 'YGm9YVos+5zxPer2wwXbV0OHLOwidEU7SPqKW/clrZA=';
const signedAt = new Date(1796000000 * 1000);

describe('Cafe24 app launch HMAC', () => {
  it('accepts the valid vector (hmac percent-encoded, as in a URL)', () => {
    expect(verifyLaunch(`${query}&hmac=${encodeURIComponent(hmac)}`, secret, new Date(signedAt.getTime() + 60_000))).toEqual({
      ok: true,
      mallId: 'demomall',
      shopNo: 1,
      userId: 'demomall',
    });
  });

  it('accepts the vector with a raw base64 hmac ("+" kept)', () => {
    expect(verifyLaunch(`${query}&hmac=${hmac}`, secret, signedAt).ok).toBe(true);
  });

  it('refuses a tampered parameter, another secret, and a missing hmac', () => {
    const tampered = query.replace('mall_id=demomall', 'mall_id=othermall');
    expect(verifyLaunch(`${tampered}&hmac=${encodeURIComponent(hmac)}`, secret, signedAt)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyLaunch(`${query}&hmac=${encodeURIComponent(hmac)}`, 'other-secret', signedAt)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyLaunch(`${query}&hmac=AAAA`, secret, signedAt)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyLaunch(query, secret, signedAt)).toEqual({ ok: false, reason: 'unsigned' });
  });

  it('refuses a launch signed more than 10 minutes ago', () => {
    expect(verifyLaunch(`${query}&hmac=${encodeURIComponent(hmac)}`, secret, new Date(signedAt.getTime() + 10 * 60_000 + 1000))).toEqual({ ok: false, reason: 'stale' });
  });
});
