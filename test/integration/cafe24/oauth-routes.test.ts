import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cafe24SigningKey } from '../../../src/api/cafe24/signing.js';
import type { Cafe24Connection } from '../../../src/clients/cafe24/connection.js';
import { findCafe24Tokens } from '../../../src/db/repositories/cafe24-tokens.js';
import { insertOAuthState } from '../../../src/db/repositories/cafe24-oauth-states.js';
import { signPayload } from '../../../src/domain/signed-payload.js';
import type { ScheduleSync } from '../../../src/schedules/schedule-sync.js';
import type { MallLinkRow } from '../../../db/schema.js';
import { createTestApp } from '../../support/api.js';
import { authorizeLink, configFor, connectCafe24, createLink, startTestSimulator } from '../../support/cafe24.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';

describe('Cafe24 install, callback and launch routes', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let sim: Awaited<ReturnType<typeof startTestSimulator>>['sim'];
  let control: Awaited<ReturnType<typeof startTestSimulator>>['control'];
  let cafe24: Cafe24Connection;
  let app: ReturnType<typeof createTestApp>;
  let link: MallLinkRow;
  const synced: string[] = [];
  const schedules: ScheduleSync = {
    async syncLink(id) {
      synced.push(id);
      return 'synced';
    },
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    ({ sim, control } = await startTestSimulator());
    cafe24 = connectCafe24(sim, database.db);
    app = createTestApp({ db: database.db, temporal: temporal.client, schedules, config: configFor(sim), cafe24 });
  });
  afterAll(async () => {
    await cafe24?.close();
    await sim?.stop();
    await temporal?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    link = await createLink(database.db);
  });

  /** Install → Cafe24 consent page → the callback path and query Cafe24 would redirect the browser to. */
  async function consent(): Promise<URL> {
    const res = await app.request(`/cafe24/install?mallLinkId=${link.id}`);
    expect(res.status).toBe(302);
    const authorize = new URL(res.headers.get('location')!);
    const consentPage = await (await fetch(authorize)).text();
    const href = /id="consent" href="([^"]+)"/.exec(consentPage)![1]!.replaceAll('&#38;', '&');
    return new URL(href);
  }
  const callbackPath = (url: URL) => `${url.pathname}${url.search}`;
  const authStatus = async () => (await database.db.selectFrom('mall_links').select('cafe24_auth_status').where('id', '=', link.id).executeTakeFirstOrThrow()).cafe24_auth_status;
  const exchanges = async () => (await control.stats(link.mall_id))?.tokenExchanges ?? 0;

  it('install redirects to Cafe24 authorize with our scopes and a signed state', async () => {
    const res = await app.request(`/cafe24/install?mallLinkId=${link.id}`);
    const location = new URL(res.headers.get('location')!);
    expect(location.toString().startsWith(sim.apiBaseUrlTemplate.replace('{mall_id}', link.mall_id))).toBe(true);
    expect(location.pathname.endsWith('/api/v2/oauth/authorize')).toBe(true);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: sim.clientId,
      redirect_uri: 'http://api.test/cafe24/oauth/callback',
      scope: 'mall.read_order,mall.write_order,mall.read_product,mall.read_store,mall.read_shipping',
      state: expect.stringMatching(/^[\w-]+\.[\w-]+$/),
    });
  });

  it('the callback stores the tokens, marks the link authorized, syncs its schedules and confirms in Korean first', async () => {
    const res = await app.request(callbackPath(await consent()));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.indexOf('카페24 아이디 인증 완료')).toBeLessThan(html.indexOf('authorization complete'));
    expect(html).toContain(link.mall_id);
    expect(await authStatus()).toBe('authorized');
    expect(synced).toContain(link.id);
    expect(await cafe24.admin.listShops({ mallLinkId: link.id, mallId: link.mall_id })).toHaveLength(2);
  });

  it('refuses a replayed state, without a second exchange', async () => {
    const url = await consent();
    expect((await app.request(callbackPath(url))).status).toBe(200);
    const replay = await app.request(callbackPath(url));
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('이미 사용된');
    expect(await exchanges()).toBe(1);
  });

  it('refuses a forged state: nothing exchanged, nothing stored', async () => {
    const url = await consent();
    const [body] = url.searchParams.get('state')!.split('.');
    url.searchParams.set('state', `${body}.${randomBytes(32).toString('base64url')}`);
    const res = await app.request(callbackPath(url));
    expect(res.status).toBe(400);
    expect(await exchanges()).toBe(0);
    expect(await findCafe24Tokens(database.db, link.id)).toBeUndefined();
    expect(await authStatus()).toBe('not_installed');
  });

  it('refuses an expired state', async () => {
    const nonce = randomBytes(16).toString('base64url');
    await insertOAuthState(database.db, { nonce, mallLinkId: link.id, expiresAt: new Date(Date.now() - 1000) });
    const state = signPayload(cafe24SigningKey(configFor(sim)), { purpose: 'cafe24-install', exp: Math.floor(Date.now() / 1000) - 1, nonce, mallLinkId: link.id });
    const res = await app.request(`/cafe24/oauth/callback?code=anything&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('만료');
    expect(await findCafe24Tokens(database.db, link.id)).toBeUndefined();
  });

  it('shows Cafe24’s error, a failed exchange and a mall id mismatch as refusals that store nothing', async () => {
    const denied = await consent();
    denied.searchParams.delete('code');
    denied.searchParams.set('error', 'access_denied');
    expect((await app.request(callbackPath(denied))).status).toBe(400);

    const badCode = await consent();
    badCode.searchParams.set('code', 'not-a-real-code');
    expect((await app.request(callbackPath(badCode))).status).toBe(502);

    const otherMall = await consent();
    otherMall.searchParams.set('mall_id', 'someoneelse');
    expect((await app.request(callbackPath(otherMall))).status).toBe(400);

    expect(await exchanges()).toBe(0);
    expect(await findCafe24Tokens(database.db, link.id)).toBeUndefined();
    expect(await authStatus()).toBe('not_installed');
  });

  describe('launch', () => {
    const launchQuery = (mallId: string, timestamp: number, secret = sim.clientSecret) => {
      const query = `is_multi_shop=F&lang=ko_KR&mall_id=${mallId}&nation=KR&shop_no=1&timestamp=${timestamp}&user_id=${mallId}&user_type=P`;
      return `${query}&hmac=${encodeURIComponent(createHmac('sha256', secret).update(query).digest('base64'))}`;
    };
    const now = () => Math.floor(Date.now() / 1000);

    it('sends a mall without a valid token to the install flow', async () => {
      const res = await app.request(`/cafe24/launch?${launchQuery(link.mall_id, now())}`);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(`http://api.test/cafe24/install?mallLinkId=${link.id}`);
    });

    it('sends an authorized mall to its status page', async () => {
      await authorizeLink(sim, cafe24, link);
      const res = await app.request(`/cafe24/launch?${launchQuery(link.mall_id, now())}`);
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location')!);
      expect(location.pathname).toBe('/cafe24/status');
      const page = await app.request(`${location.pathname}${location.search}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('인증 완료');
      const forgedStatus = await app.request(`/cafe24/status?mallLinkId=${link.id}&sig=x.y`);
      expect(forgedStatus.status).toBe(401);
    });

    it('refuses a tampered, wrongly keyed or stale launch', async () => {
      const tampered = launchQuery(link.mall_id, now()).replace('shop_no=1', 'shop_no=2');
      expect((await app.request(`/cafe24/launch?${tampered}`)).status).toBe(401);
      expect((await app.request(`/cafe24/launch?${launchQuery(link.mall_id, now(), 'wrong-secret')}`)).status).toBe(401);
      expect((await app.request(`/cafe24/launch?${launchQuery(link.mall_id, now() - 11 * 60)}`)).status).toBe(401);
    });

    it('tells a mall that FMS has not registered to register first', async () => {
      const res = await app.request(`/cafe24/launch?${launchQuery('unregistered', now())}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('FMS에 등록된 연동쇼핑몰이 아닙니다');
    });
  });
});
