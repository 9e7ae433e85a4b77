import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cafe24SimControl } from '../../../src/sim/cafe24/control-client.js';
import { startCafe24Simulator, type Cafe24Simulator } from '../../../src/sim/cafe24/server.js';

const redirectUri = 'http://app.test/callback';

describe('Cafe24 simulator', () => {
  let sim: Cafe24Simulator;
  let control: ReturnType<typeof cafe24SimControl>;
  beforeAll(async () => {
    sim = await startCafe24Simulator({ seed: 7 });
    control = cafe24SimControl(sim.url);
  });
  afterAll(() => sim?.stop());

  const base = (mallId: string) => sim.apiBaseUrlTemplate.replace('{mall_id}', mallId);
  const tokenCall = (mallId: string, form: Record<string, string>) =>
    fetch(`${base(mallId)}/api/v2/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
  async function install(mallId: string, scopes = ['mall.read_order', 'mall.write_order', 'mall.read_store']) {
    const code = await control.authorize(mallId, redirectUri, scopes);
    const res = await tokenCall(mallId, { grant_type: 'authorization_code', code, redirect_uri: redirectUri });
    expect(res.status).toBe(200);
    return { code, tokens: (await res.json()) as { access_token: string; refresh_token: string; expires_at: string } };
  }
  const admin = (mallId: string, token: string, path: string, init: RequestInit = {}) =>
    fetch(`${base(mallId)}/api/v2/admin${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

  it('is deterministic from its seed', async () => {
    const twin = await startCafe24Simulator({ seed: 7 });
    const other = await startCafe24Simulator({ seed: 8 });
    try {
      const spec = { count: 5, from: '2026-11-01T00:00:00+09:00', to: '2026-11-02T00:00:00+09:00' };
      const orders = async (s: Cafe24Simulator) => {
        const c = cafe24SimControl(s.url);
        const { orderIds } = await c.generateOrders('seedmall', spec);
        return Promise.all(orderIds!.map((id) => c.order('seedmall', id)));
      };
      const [first, second, third] = await Promise.all([orders(sim), orders(twin), orders(other)]);
      expect(second).toEqual(first);
      expect(third).not.toEqual(first);
      expect(first[0]!.receivers[0]!.address1).toMatch(/[가-힣]/);
    } finally {
      await twin.stop();
      await other.stop();
    }
  });

  it('serves the auto-consent page that redirects back with code and state', async () => {
    const url = `${base('pagemall')}/api/v2/oauth/authorize?response_type=code&client_id=${sim.clientId}&state=s123&redirect_uri=${encodeURIComponent(redirectUri)}&scope=mall.read_order`;
    const html = await (await fetch(url)).text();
    const href = /id="consent" href="([^"]+)"/.exec(html)![1]!.replaceAll('&#38;', '&');
    expect(new URL(href).searchParams.get('state')).toBe('s123');
    expect(new URL(href).searchParams.get('code')).toEqual(expect.any(String));
    expect(html).toContain('http-equiv="refresh"');
  });

  it('rotates refresh tokens, accepts a code once, expires access tokens and checks scopes', async () => {
    const { code, tokens } = await install('rotmall');
    expect((await tokenCall('rotmall', { grant_type: 'authorization_code', code, redirect_uri: redirectUri })).status).toBe(400);
    const refreshed = await tokenCall('rotmall', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(refreshed.status).toBe(200);
    const reused = await tokenCall('rotmall', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await control.stats('rotmall'))?.rotatedRefreshTokenReuse).toBe(1);
    expect((await admin('rotmall', tokens.access_token, '/products')).status).toBe(403);
    await control.expireAccessTokens('rotmall');
    expect((await admin('rotmall', tokens.access_token, '/shops')).status).toBe(401);
  });

  it('enforces limit, offset, the 3-month window and 100 objects per bulk write with 422', async () => {
    const { tokens } = await install('capmall');
    const q = 'date_type=pay_date&start_date=2026-11-01&end_date=2026-11-02';
    expect((await admin('capmall', tokens.access_token, `/orders?${q}&limit=1000`)).status).toBe(200);
    expect((await admin('capmall', tokens.access_token, `/orders?${q}&limit=1001`)).status).toBe(422);
    expect((await admin('capmall', tokens.access_token, `/orders?${q}&offset=15000`)).status).toBe(200);
    expect((await admin('capmall', tokens.access_token, `/orders?${q}&offset=15001`)).status).toBe(422);
    expect((await admin('capmall', tokens.access_token, '/orders?start_date=2026-01-01&end_date=2026-04-02')).status).toBe(422);
    const requests = Array.from({ length: 101 }, (_, i) => ({ order_id: `20261101-${String(i + 1).padStart(7, '0')}`, process_status: 'prepare' }));
    const bulk = await admin('capmall', tokens.access_token, '/orders', { method: 'PUT', body: JSON.stringify({ shop_no: 1, requests }) });
    expect(bulk.status).toBe(422);
  });

  it('runs a 40-deep leaky bucket with X-Api-Call-Limit and answers 429 when it is full', async () => {
    const { tokens } = await install('bucketmall');
    const responses = await Promise.all(Array.from({ length: 45 }, () => admin('bucketmall', tokens.access_token, '/shops')));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(responses.find((r) => r.status === 429)!.headers.get('x-api-call-limit')).toMatch(/^(39|40)\/40$/);
    expect(responses[0]!.headers.get('x-api-call-limit')).toMatch(/^\d+\/40$/);
    const stats = await control.stats('bucketmall');
    expect(stats?.rateLimitedByBucket).toBe(statuses.filter((s) => s === 429).length);
    expect(stats?.maxBucketLevel).toBeLessThanOrEqual(40);
  });

  it('loses the answer of a shipment it carried out, keeps the fault for a call refused earlier, and records the shipment once', async () => {
    const { tokens } = await install('lostmall');
    const { orderIds } = await control.generateOrders('lostmall', { count: 1, from: '2026-11-01T00:00:00+09:00', to: '2026-11-01T12:00:00+09:00' });
    const orderId = orderIds![0]!;
    const body = JSON.stringify({ shop_no: 1, requests: [{ order_id: orderId, tracking_no: '609000000001', shipping_company_code: '0006', status: 'shipping' }] });
    await control.injectFault({ kind: 'lost_answer', count: 1, mallId: 'lostmall', route: 'POST /shipments' });
    expect((await admin('lostmall', tokens.access_token, '/orders/count?start_date=2026-11-01&end_date=2026-11-01')).status).toBe(200);
    expect((await admin('lostmall', 'not-a-token', '/shipments', { method: 'POST', body })).status).toBe(401);
    await expect(admin('lostmall', tokens.access_token, '/shipments', { method: 'POST', body })).rejects.toThrow();
    expect(await control.shipments('lostmall')).toEqual([expect.objectContaining({ order_id: orderId, tracking_no: '609000000001', shipping_code: `D-${orderId}-00` })]);
    const again = await admin('lostmall', tokens.access_token, '/shipments', { method: 'POST', body });
    expect(again.status).toBe(409);
    const listed = (await (await admin('lostmall', tokens.access_token, `/orders/${orderId}/shipments`)).json()) as { shipments: { tracking_no: string }[] };
    expect(listed.shipments.map((s) => s.tracking_no)).toEqual(['609000000001']);
    expect((await control.stats('lostmall'))?.lostAnswers).toBe(1);
  });

  it('cancels items through the control API', async () => {
    const { orderIds } = await control.generateOrders('cancelmall', { count: 1, from: '2026-11-01T00:00:00+09:00', to: '2026-11-01T12:00:00+09:00' });
    const order = await control.setItemStatus('cancelmall', orderIds![0]!, 'C00');
    expect(order.items.every((i) => i.order_status === 'C00' && i.claim_code !== null)).toBe(true);
    expect(order.canceled).toBe('T');
  });
});
