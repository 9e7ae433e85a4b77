import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cafe24SigningKey } from '../../../src/api/cafe24/signing.js';
import type { Cafe24Connection } from '../../../src/clients/cafe24/connection.js';
import { findCafe24Tokens } from '../../../src/db/repositories/cafe24-tokens.js';
import { signPayload } from '../../../src/domain/signed-payload.js';
import { createTestApp } from '../../support/api.js';
import { authorizeLink, configFor, connectCafe24, createLink, startTestSimulator } from '../../support/cafe24.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';

/**
 * Forgeries beyond those of oauth-routes.test.ts (replay, bad signature, expiry, tampered launch):
 * a signature made for another purpose or by another deployment is no install state, and a
 * launch signed for one mall cannot be pointed at another.
 */
describe('signed OAuth states and launch signatures resist forgery', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let sim: Awaited<ReturnType<typeof startTestSimulator>>['sim'];
  let control: Awaited<ReturnType<typeof startTestSimulator>>['control'];
  let cafe24: Cafe24Connection;
  let app: ReturnType<typeof createTestApp>;

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    ({ sim, control } = await startTestSimulator());
    cafe24 = connectCafe24(sim, database.db);
    app = createTestApp({ db: database.db, temporal: temporal.client, config: configFor(sim), cafe24 });
  });
  afterAll(async () => {
    await cafe24?.close();
    await sim?.stop();
    await temporal?.close();
    await database?.drop();
  });

  const launchQuery = (fields: string, secret = sim.clientSecret) => `${fields}&hmac=${encodeURIComponent(createHmac('sha256', secret).update(fields).digest('base64'))}`;
  const launchFields = (mallId: string) => `mall_id=${mallId}&shop_no=1&timestamp=${Math.floor(Date.now() / 1000)}&user_id=${mallId}`;

  /** The query Cafe24 would send our callback after consent, with `state` replaced. */
  async function callbackWithState(linkId: string, mallId: string, state: string): Promise<Response> {
    const install = await app.request(`/cafe24/install?mallLinkId=${linkId}`);
    const consentPage = await (await fetch(install.headers.get('location')!)).text();
    const callback = new URL(/id="consent" href="([^"]+)"/.exec(consentPage)![1]!.replaceAll('&#38;', '&'));
    expect(callback.searchParams.get('mall_id') ?? mallId).toBe(mallId);
    callback.searchParams.set('state', state);
    return app.request(`${callback.pathname}${callback.search}`);
  }

  it('a status-page signature (which any launch hands out) is refused as an install state: nothing exchanged or stored', async () => {
    const link = await createLink(database.db);
    const statusSig = signPayload(cafe24SigningKey(configFor(sim)), { purpose: 'cafe24-status', exp: Math.floor(Date.now() / 1000) + 600, mallLinkId: link.id });
    const res = await callbackWithState(link.id, link.mall_id, statusSig);
    expect(res.status).toBe(400);
    expect((await control.stats(link.mall_id))?.tokenExchanges ?? 0).toBe(0);
    expect(await findCafe24Tokens(database.db, link.id)).toBeUndefined();
  });

  it('an install state signed by another deployment (another token key) is refused', async () => {
    const link = await createLink(database.db);
    const otherKey = cafe24SigningKey({ TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    const state = signPayload(otherKey, { purpose: 'cafe24-install', exp: Math.floor(Date.now() / 1000) + 600, nonce: randomBytes(16).toString('base64url'), mallLinkId: link.id });
    const res = await callbackWithState(link.id, link.mall_id, state);
    expect(res.status).toBe(400);
    expect(await findCafe24Tokens(database.db, link.id)).toBeUndefined();
  });

  it('a launch signed for one mall cannot be pointed at another: neither by replacing nor by appending mall_id', async () => {
    const mine = await createLink(database.db);
    const victim = await createLink(database.db);
    await authorizeLink(sim, cafe24, victim);
    const signed = launchQuery(launchFields(mine.mall_id));
    expect((await app.request(`/cafe24/launch?${signed}`)).status).toBe(302);

    const replaced = signed.replace(`mall_id=${mine.mall_id}`, `mall_id=${victim.mall_id}`);
    const appended = `${signed}&mall_id=${victim.mall_id}`;
    const prepended = `mall_id=${victim.mall_id}&${signed}`;
    for (const query of [replaced, appended, prepended]) {
      const res = await app.request(`/cafe24/launch?${query}`);
      // 401 (signature) or 422 (a repeated parameter is not a launch query): either way no redirect.
      expect([401, 422], query).toContain(res.status);
      expect(res.headers.get('location'), query).toBeNull();
    }
    // Signed with the right secret for the victim it works: the refusals above are the signature's doing.
    const genuine = await app.request(`/cafe24/launch?${launchQuery(launchFields(victim.mall_id))}`);
    expect(new URL(genuine.headers.get('location')!).searchParams.get('mallLinkId')).toBe(victim.id);
  });
});
