import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json } from '../../support/api.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { adminScope, apiCaller, createTestApiKey, customerScope, minimalLink, recordingScheduleSync, type TestApiKey } from '../../support/mall-link-api.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';

describe('multi-shops of a mall link (멀티쇼핑몰)', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let admin: TestApiKey;
  let customer: TestApiKey;
  let call: ReturnType<typeof apiCaller>;
  const schedules = recordingScheduleSync();
  let counter = 0;
  let link: { id: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    admin = await createTestApiKey(database.db, adminScope);
    customer = await createTestApiKey(database.db, customerScope('CST0001'));
    call = apiCaller(createTestApp({ db: database.db, temporal: temporal.client, schedules }));
  });
  afterAll(async () => {
    await temporal?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    const res = await call('POST', '/v1/mall-links', { key: customer, body: minimalLink(`shops${String(++counter).padStart(4, '0')}`, 'CST0001') });
    link = await json(res);
    schedules.calls.length = 0;
  });

  const request = (shopNo: unknown) => call('POST', `/v1/mall-links/${link.id}/shops`, { key: customer, body: { shopNo } });
  const decide = (shopNo: number | string, decision: 'approve' | 'reject') => call('POST', `/v1/mall-links/${link.id}/shops/${shopNo}/${decision}`, { key: admin });
  const shops = async () => (await json(await call('GET', `/v1/mall-links/${link.id}/shops`, { key: customer }))).items;
  const etag = async () => (await call('GET', `/v1/mall-links/${link.id}`, { key: customer })).headers.get('etag');

  it('shop 1 is implicit and active', async () => {
    expect(await shops()).toEqual([{ shopNo: 1, status: 'active', requestedAt: null, decidedAt: null }]);
  });

  it('goes requested → active, bumping the link version and syncing schedules each time', async () => {
    const requested = await request(2);
    expect(requested.status).toBe(201);
    expect(requested.headers.get('etag')).toBe('"2"');
    expect(await json(requested)).toEqual({ shopNo: 2, status: 'requested', requestedAt: expect.any(String), decidedAt: null, schedule: { state: 'synced' } });

    const approved = await decide(2, 'approve');
    expect(approved.status).toBe(200);
    expect(approved.headers.get('etag')).toBe('"3"');
    expect(await json(approved)).toMatchObject({ shopNo: 2, status: 'active', decidedAt: expect.any(String), schedule: { state: 'synced' } });
    expect(await etag()).toBe('"3"');
    expect(schedules.calls).toEqual([link.id, link.id]);

    expect((await shops()).map((s: { shopNo: number; status: string }) => [s.shopNo, s.status])).toEqual([
      [1, 'active'],
      [2, 'active'],
    ]);
    const link2 = await json(await call('GET', `/v1/mall-links/${link.id}`, { key: customer }));
    expect(link2.shops).toEqual(await shops());
  });

  it('goes requested → rejected, and a rejected shop may be requested again', async () => {
    await request(3);
    const rejected = await decide(3, 'reject');
    expect(rejected.status).toBe(200);
    expect(await json(rejected)).toMatchObject({ shopNo: 3, status: 'rejected' });
    const again = await request(3);
    expect(again.status).toBe(201);
    expect(await json(again)).toMatchObject({ shopNo: 3, status: 'requested', decidedAt: null });
  });

  it('refuses duplicates with 409 and decides a shop only once', async () => {
    await request(2);
    const duplicate = await request(2);
    expect(duplicate.status).toBe(409);
    expect(await json(duplicate)).toMatchObject({ type: '/problems/shop-exists', status: 409, detail: expect.stringContaining('requested') });
    await decide(2, 'approve');
    expect((await json(await request(2))).type).toBe('/problems/shop-exists');
    for (const decision of ['approve', 'reject'] as const) {
      const res = await decide(2, decision);
      expect(res.status).toBe(409);
      expect(await json(res)).toMatchObject({ type: '/problems/shop-already-decided', detail: expect.stringContaining('active') });
    }
    expect((await decide(7, 'approve')).status).toBe(404);
  });

  it('refuses out-of-range shop numbers with 422, in the body and in the path', async () => {
    for (const shopNo of [1, 0, -2, 100, 2.5, '2', null]) {
      const res = await request(shopNo);
      expect(res.status, JSON.stringify(shopNo)).toBe(422);
      expect((await json(res)).errors[0].path).toBe('shopNo');
    }
    expect((await call('POST', `/v1/mall-links/${link.id}/shops`, { key: customer, body: { shopNo: 2, name: 'en' } })).status).toBe(422);
    for (const shopNo of ['0', '100', 'two']) {
      const res = await decide(shopNo, 'approve');
      expect(res.status, shopNo).toBe(422);
      expect((await json(res)).errors[0].path).toBe('param.shopNo');
    }
    // Shop 1 is listed like any shop, so it is a valid path; it is never a request to decide.
    expect((await decide('1', 'approve')).status).toBe(404);
    expect(await shops()).toHaveLength(1);
    expect(schedules.calls).toEqual([]);
  });

  it('allows at most 5 extra shops; a rejected one frees its place', async () => {
    for (const shopNo of [2, 3, 4, 5, 6]) expect((await request(shopNo)).status).toBe(201);
    await decide(2, 'approve');
    const sixth = await request(7);
    expect(sixth.status).toBe(409);
    expect(await json(sixth)).toMatchObject({ type: '/problems/shop-limit', status: 409 });
    await decide(6, 'reject');
    expect((await request(7)).status).toBe(201);
    expect((await shops()).filter((s: { status: string }) => s.status !== 'rejected')).toHaveLength(6);
  });

  it('keeps the limit under concurrent requests', async () => {
    for (const shopNo of [2, 3, 4]) await request(shopNo);
    const answers = await Promise.all([5, 6, 7, 8].map((shopNo) => request(shopNo)));
    expect(answers.map((res) => res.status).sort()).toEqual([201, 201, 409, 409]);
    expect((await shops()).length).toBe(6);
  });

  it('requests extra shops at creation', async () => {
    const res = await call('POST', '/v1/mall-links', { key: customer, body: { ...minimalLink('shopsatcreate', 'CST0001'), shops: [{ shopNo: 2 }, { shopNo: 5 }] } });
    expect(res.status).toBe(201);
    expect((await json(res)).shops.map((s: { shopNo: number; status: string }) => [s.shopNo, s.status])).toEqual([
      [1, 'active'],
      [2, 'requested'],
      [5, 'requested'],
    ]);
    const tooMany = await call('POST', '/v1/mall-links', { key: customer, body: { ...minimalLink('shopstoomany', 'CST0001'), shops: [2, 3, 4, 5, 6, 7].map((shopNo) => ({ shopNo })) } });
    expect(tooMany.status).toBe(422);
    expect((await json(tooMany)).errors[0].path).toBe('shops');
    const twice = await call('POST', '/v1/mall-links', { key: customer, body: { ...minimalLink('shopstwice', 'CST0001'), shops: [{ shopNo: 2 }, { shopNo: 2 }] } });
    expect(twice.status).toBe(422);
    const one = await call('POST', '/v1/mall-links', { key: customer, body: { ...minimalLink('shopsone', 'CST0001'), shops: [{ shopNo: 1 }] } });
    expect((await json(one)).errors[0].path).toBe('shops.0.shopNo');
    const created = await database.db.selectFrom('mall_links').select('mall_id').where('mall_id', 'in', ['shopstoomany', 'shopstwice', 'shopsone']).execute();
    expect(created).toEqual([]);
  });

  it('records each shop change in the audit trail', async () => {
    await request(2);
    await decide(2, 'reject');
    const trail = (await json(await call('GET', `/v1/mall-links/${link.id}/audit`, { key: customer }))).items;
    expect(trail.map((entry: { action: string }) => entry.action)).toEqual(['mall_link.created', 'shop.requested', 'shop.rejected']);
    expect(trail[1]).toMatchObject({ actorKeyId: customer.id, before: null, after: { shopNo: 2, status: 'requested' } });
    expect(trail[2]).toMatchObject({ actorKeyId: admin.id, before: { status: 'requested' }, after: { status: 'rejected' } });
  });
});
