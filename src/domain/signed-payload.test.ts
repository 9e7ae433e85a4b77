import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signPayload, verifyPayload } from './signed-payload.js';

const key = randomBytes(32);
const now = new Date('2026-11-30T00:00:00Z');
const exp = now.getTime() / 1000 + 600;

describe('signed payloads', () => {
  it('verifies its own tokens for the same purpose before expiry', () => {
    const token = signPayload(key, { purpose: 'install', exp, linkId: 'abc' });
    expect(verifyPayload(key, token, 'install', now)).toEqual({ ok: true, payload: { purpose: 'install', exp, linkId: 'abc' } });
  });

  it('refuses a tampered body, a foreign key, another purpose and junk as forged', () => {
    const token = signPayload(key, { purpose: 'install', exp, linkId: 'abc' });
    const tampered = `${Buffer.from(JSON.stringify({ purpose: 'install', exp, linkId: 'xyz' })).toString('base64url')}.${token.split('.')[1]}`;
    expect(verifyPayload(key, tampered, 'install', now)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyPayload(randomBytes(32), token, 'install', now)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyPayload(key, token, 'status', now)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyPayload(key, 'junk', 'install', now)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses an expired token', () => {
    const token = signPayload(key, { purpose: 'install', exp });
    expect(verifyPayload(key, token, 'install', new Date(exp * 1000))).toEqual({ ok: false, reason: 'expired' });
  });
});
