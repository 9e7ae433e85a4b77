import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json } from '../../support/api.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { adminScope, apiCaller, createTestApiKey, customerScope, minimalLink, type TestApiKey } from '../../support/mall-link-api.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';

/** Who may do what with a link owned by customer A. */
describe('mall link authentication and tenancy', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let call: ReturnType<typeof apiCaller>;
  const keys = {} as Record<'admin' | 'ownCustomer' | 'otherCustomer' | 'revoked', TestApiKey>;
  let linkOfA: { id: string };
  let counter = 0;
  const nextMallId = () => `tenant${String(++counter).padStart(4, '0')}`;

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    call = apiCaller(createTestApp({ db: database.db, temporal: temporal.client }));
    keys.admin = await createTestApiKey(database.db, adminScope);
    keys.ownCustomer = await createTestApiKey(database.db, customerScope('CSTA'));
    keys.otherCustomer = await createTestApiKey(database.db, customerScope('CSTB'));
    keys.revoked = await createTestApiKey(database.db, customerScope('CSTA'), { revoked: true });
    linkOfA = await json(await call('POST', '/v1/mall-links', { key: keys.admin, body: minimalLink(nextMallId(), 'CSTA') }));
  });
  afterAll(async () => {
    await temporal?.close();
    await database?.drop();
  });

  type Caller = 'admin' | 'ownCustomer' | 'otherCustomer' | 'revoked' | 'none';
  const keyOf = (caller: Caller) => (caller === 'none' ? undefined : keys[caller]);

  /** Read-only routes of one link; each caller's expected status. */
  const reads = ['', '/status', '/shops', '/audit'];
  const readMatrix: Record<Caller, number> = { admin: 200, ownCustomer: 200, otherCustomer: 404, revoked: 401, none: 401 };

  for (const [caller, status] of Object.entries(readMatrix) as [Caller, number][]) {
    it(`GET a link and its sub-resources: ${caller} gets ${status}`, async () => {
      for (const suffix of reads) {
        const res = await call('GET', `/v1/mall-links/${linkOfA.id}${suffix}`, { key: keyOf(caller) });
        expect(res.status, `GET ${suffix || '/'}`).toBe(status);
        if (status !== 200) {
          expect(res.headers.get('content-type')).toBe('application/problem+json');
          expect((await json(res)).type).toBe(status === 401 ? '/problems/unauthorized' : '/problems/not-found');
        }
      }
    });
  }

  it('changes by another customer, a revoked key or no key are refused and change nothing', async () => {
    const before = await database.db.selectFrom('mall_links').selectAll().where('id', '=', linkOfA.id).executeTakeFirstOrThrow();
    for (const caller of ['otherCustomer', 'revoked', 'none'] as const) {
      const expected = caller === 'otherCustomer' ? 404 : 401;
      const attempts = [
        await call('PATCH', `/v1/mall-links/${linkOfA.id}`, { key: keyOf(caller), body: { enabled: false } }),
        await call('DELETE', `/v1/mall-links/${linkOfA.id}`, { key: keyOf(caller) }),
        await call('POST', `/v1/mall-links/${linkOfA.id}/shops`, { key: keyOf(caller), body: { shopNo: 2 } }),
      ];
      for (const res of attempts) expect(res.status, caller).toBe(expected);
    }
    expect(await database.db.selectFrom('mall_links').selectAll().where('id', '=', linkOfA.id).executeTakeFirstOrThrow()).toEqual(before);
    expect(await database.db.selectFrom('mall_link_shops').selectAll().where('mall_link_id', '=', linkOfA.id).execute()).toEqual([]);
  });

  it('answers another customer exactly as for a link that does not exist (no enumeration)', async () => {
    const foreign = await json(await call('GET', `/v1/mall-links/${linkOfA.id}`, { key: keys.otherCustomer }));
    const missingId = '00000000-0000-4000-8000-000000000000';
    const missing = await json(await call('GET', `/v1/mall-links/${missingId}`, { key: keys.otherCustomer }));
    expect({ ...foreign, detail: foreign.detail.replace(linkOfA.id, 'X'), instance: undefined }).toEqual({ ...missing, detail: missing.detail.replace(missingId, 'X'), instance: undefined });
  });

  it('lets the own customer and an admin change the link', async () => {
    expect((await call('PATCH', `/v1/mall-links/${linkOfA.id}`, { key: keys.ownCustomer, body: { minutesAfterPayment: 15 } })).status).toBe(200);
    expect((await call('PATCH', `/v1/mall-links/${linkOfA.id}`, { key: keys.admin, body: { minutesAfterPayment: 20 } })).status).toBe(200);
  });

  it('refuses bad Authorization headers with 401', async () => {
    for (const authorization of ['', 'Bearer', 'Basic abc', `Bearer ${keys.admin.plaintext}x`, 'Bearer c2f_unknown']) {
      const res = await call('GET', '/v1/mall-links', { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(await json(res)).toMatchObject({ type: '/problems/unauthorized', status: 401 });
    }
  });

  describe('create', () => {
    it('a customer creates links for its own cstCd only (403 for another)', async () => {
      const own = await call('POST', '/v1/mall-links', { key: keys.ownCustomer, body: minimalLink(nextMallId(), 'CSTA') });
      expect(own.status).toBe(201);
      const mallId = nextMallId();
      const other = await call('POST', '/v1/mall-links', { key: keys.ownCustomer, body: minimalLink(mallId, 'CSTB') });
      expect(other.status).toBe(403);
      expect(await json(other)).toMatchObject({ type: '/problems/forbidden', status: 403 });
      expect(await database.db.selectFrom('mall_links').select('id').where('mall_id', '=', mallId).execute()).toEqual([]);
    });

    it('an admin creates links for any customer; revoked and missing keys cannot create', async () => {
      expect((await call('POST', '/v1/mall-links', { key: keys.admin, body: minimalLink(nextMallId(), 'CSTB') })).status).toBe(201);
      expect((await call('POST', '/v1/mall-links', { key: keys.revoked, body: minimalLink(nextMallId(), 'CSTA') })).status).toBe(401);
      expect((await call('POST', '/v1/mall-links', { body: minimalLink(nextMallId(), 'CSTA') })).status).toBe(401);
    });
  });

  it('lists only the caller’s own links; an admin lists all', async () => {
    const cstOf = async (key: TestApiKey, query = '') =>
      new Set((await json(await call('GET', `/v1/mall-links${query}`, { key }))).items.map((item: { cstCd: string }) => item.cstCd));
    expect(await cstOf(keys.ownCustomer)).toEqual(new Set(['CSTA']));
    expect(await cstOf(keys.otherCustomer)).toEqual(new Set(['CSTB']));
    expect(await cstOf(keys.ownCustomer, '?cstCd=CSTB')).toEqual(new Set());
    expect(await cstOf(keys.admin)).toEqual(new Set(['CSTA', 'CSTB']));
    expect(await cstOf(keys.admin, '?cstCd=CSTB')).toEqual(new Set(['CSTB']));
  });

  it('only admins approve or reject shops (403 for customers, also the owner)', async () => {
    expect((await call('POST', `/v1/mall-links/${linkOfA.id}/shops`, { key: keys.ownCustomer, body: { shopNo: 4 } })).status).toBe(201);
    for (const decision of ['approve', 'reject']) {
      for (const caller of ['ownCustomer', 'otherCustomer'] as const) {
        const res = await call('POST', `/v1/mall-links/${linkOfA.id}/shops/4/${decision}`, { key: keys[caller] });
        expect(res.status, `${caller} ${decision}`).toBe(403);
        expect((await json(res)).type).toBe('/problems/forbidden');
      }
      expect((await call('POST', `/v1/mall-links/${linkOfA.id}/shops/4/${decision}`, { key: keys.revoked })).status).toBe(401);
    }
    const res = await call('POST', `/v1/mall-links/${linkOfA.id}/shops/4/approve`, { key: keys.admin });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ shopNo: 4, status: 'active' });
  });
});
