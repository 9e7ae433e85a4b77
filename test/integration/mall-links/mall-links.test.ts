import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json } from '../../support/api.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import {
  adminScope,
  apiCaller,
  createTestApiKey,
  customerScope,
  minimalLink,
  recordingScheduleSync,
  type TestApiKey,
} from '../../support/mall-link-api.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';
import { reconcileDepsFor } from '../../support/schedules.js';
import { until } from '../../support/wait.js';
import { storedItem, storedOrder } from '../../support/stored-orders.js';
import { saveCafe24Tokens } from '../../../src/db/repositories/cafe24-tokens.js';
import { upsertCollectedOrders } from '../../../src/db/repositories/collected-orders.js';
import { finishCollectionRun, startCollectionRun } from '../../../src/db/repositories/collection-runs.js';
import { startInvoiceSyncRun } from '../../../src/db/repositories/invoice-sync-runs.js';
import { markUnlinkedNotEligible, upsertUnlinkedOrders } from '../../../src/db/repositories/unlinked-orders.js';
import { defaultLinkStartDate } from '../../../src/domain/mall-links.js';
import { createTemporalScheduleSync } from '../../../src/schedules/temporal-schedule-sync.js';
import { findMallLinkById } from '../../../src/db/repositories/mall-links.js';
import { VersionMismatchError } from '../../../src/services/errors.js';
import { deleteMallLink, updateMallLink } from '../../../src/services/mall-links.js';

describe('mall link resource', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let admin: TestApiKey;
  const schedules = recordingScheduleSync();
  let call: ReturnType<typeof apiCaller>;
  let counter = 0;
  const nextMallId = () => `mall${String(++counter).padStart(4, '0')}`;

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    admin = await createTestApiKey(database.db, adminScope);
    call = apiCaller(createTestApp({ db: database.db, temporal: temporal.client, schedules }));
  });
  afterAll(async () => {
    await temporal?.close();
    await database?.drop();
  });
  beforeEach(() => {
    schedules.calls.length = 0;
    schedules.answer = 'synced';
  });

  const create = async (body: Record<string, unknown> = {}) => {
    const res = await call('POST', '/v1/mall-links', { key: admin, body: { ...minimalLink(nextMallId(), 'CST0001'), ...body } });
    expect(res.status).toBe(201);
    return { body: await json(res), etag: res.headers.get('etag')! };
  };
  const auditOf = (id: string) => database.db.selectFrom('audit_log').selectAll().where('mall_link_id', '=', id).orderBy('id').execute();

  it('creates a link with every default, ETag, Location and a synced schedule', async () => {
    const before = defaultLinkStartDate(new Date());
    const res = await call('POST', '/v1/mall-links', { key: admin, body: minimalLink('fasstoshop', 'CST0001') });
    const after = defaultLinkStartDate(new Date());
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toBe('"1"');
    const body = await json(res);
    expect(res.headers.get('location')).toBe(`/v1/mall-links/${body.id}`);
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      platform: 'cafe24',
      mallId: 'fasstoshop',
      cstCd: 'CST0001',
      enabled: true,
      linkStartDate: expect.any(String),
      collectionMethod: 'auto',
      collectOrderStatus: 'N10',
      minutesAfterPayment: 10,
      collectionRangeDays: 3,
      invoiceSyncEnabled: true,
      invoiceDisplay: 'company',
      sender: { name: '패스토샵', phone: '02-1234-5678' },
      shops: [{ shopNo: 1, status: 'active', requestedAt: null, decidedAt: null }],
      installUrl: `http://api.test/cafe24/install?mallLinkId=${body.id}`,
      schedule: { state: 'synced' },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    // Tomorrow in Korea, taken around the request so a midnight in between cannot flake the test.
    expect([before, after]).toContain(body.linkStartDate);
    expect(schedules.calls).toEqual([body.id]);

    const got = await call('GET', `/v1/mall-links/${body.id}`, { key: admin });
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe('"1"');
    expect(await json(got)).toEqual(body);
  });

  it('stores every given setting', async () => {
    const settings = {
      enabled: false,
      linkStartDate: '2027-01-15',
      collectionMethod: 'manual',
      collectOrderStatus: 'N20',
      minutesAfterPayment: 0,
      collectionRangeDays: 30,
      invoiceSyncEnabled: false,
      invoiceDisplay: 'orderer',
      sender: null,
    };
    const { body } = await create(settings);
    expect(body).toMatchObject(settings);
    expect(await json(await call('GET', `/v1/mall-links/${body.id}`, { key: admin }))).toMatchObject(settings);
  });

  it('refuses a second link for the same mall with 409 naming the existing link', async () => {
    const { body } = await create();
    const res = await call('POST', '/v1/mall-links', { key: admin, body: minimalLink(body.mallId, 'CST0002') });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await json(res)).toMatchObject({ type: '/problems/mall-id-taken', status: 409, existingLinkId: body.id, detail: expect.stringContaining(body.id) });
    const rows = await database.db.selectFrom('mall_links').select('id').where('mall_id', '=', body.mallId).execute();
    expect(rows).toEqual([{ id: body.id }]);
  });

  it('does not name another customer’s link in the 409', async () => {
    const { body } = await create({ cstCd: 'CSTOTHER' });
    const customer = await createTestApiKey(database.db, customerScope('CST0001'));
    const res = await call('POST', '/v1/mall-links', { key: customer, body: minimalLink(body.mallId, 'CST0001') });
    expect(res.status).toBe(409);
    const problem = await json(res);
    expect(problem.type).toBe('/problems/mall-id-taken');
    expect(problem).not.toHaveProperty('existingLinkId');
    expect(problem.detail).not.toContain(body.id);
  });

  describe('PATCH and If-Match', () => {
    it('applies a partial update, bumps the ETag and syncs the schedule', async () => {
      const { body, etag } = await create();
      const res = await call('PATCH', `/v1/mall-links/${body.id}`, { key: admin, body: { collectionMethod: 'manual', minutesAfterPayment: 30 }, headers: { 'if-match': etag } });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"2"');
      const updated = await json(res);
      expect(updated).toMatchObject({ ...body, collectionMethod: 'manual', minutesAfterPayment: 30, updatedAt: expect.any(String) });
      expect(new Date(updated.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(body.updatedAt).getTime());
      expect(schedules.calls).toEqual([body.id, body.id]);
    });

    it('answers 412 to a stale If-Match and leaves the link as it was', async () => {
      const { body } = await create();
      expect((await call('PATCH', `/v1/mall-links/${body.id}`, { key: admin, body: { enabled: false } })).status).toBe(200);
      const stale = await call('PATCH', `/v1/mall-links/${body.id}`, { key: admin, body: { collectionRangeDays: 7 }, headers: { 'if-match': '"1"' } });
      expect(stale.status).toBe(412);
      expect(stale.headers.get('content-type')).toBe('application/problem+json');
      expect(await json(stale)).toMatchObject({ type: '/problems/precondition-failed', status: 412, detail: expect.stringContaining('"2"') });
      const now = await json(await call('GET', `/v1/mall-links/${body.id}`, { key: admin }));
      expect(now.collectionRangeDays).toBe(3);
    });

    it('accepts If-Match: * and a list holding the current tag', async () => {
      const { body } = await create();
      expect((await call('PATCH', `/v1/mall-links/${body.id}`, { key: admin, body: { enabled: false }, headers: { 'if-match': '*' } })).status).toBe(200);
      expect((await call('PATCH', `/v1/mall-links/${body.id}`, { key: admin, body: { enabled: true }, headers: { 'if-match': '"1", "2"' } })).status).toBe(200);
      expect((await call('PATCH', `/v1/mall-links/${body.id}`, { key: admin, body: { enabled: false }, headers: { 'if-match': 'W/"3"' } })).status).toBe(412);
    });

    it('lets exactly one of two concurrent PATCHes with the same ETag win', async () => {
      const { body, etag } = await create();
      const [first, second] = await Promise.all([
        call('PATCH', `/v1/mall-links/${body.id}`, { key: admin, body: { minutesAfterPayment: 20 }, headers: { 'if-match': etag } }),
        call('PATCH', `/v1/mall-links/${body.id}`, { key: admin, body: { minutesAfterPayment: 40 }, headers: { 'if-match': etag } }),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 412]);
      const winner = first.status === 200 ? 20 : 40;
      const row = await database.db.selectFrom('mall_links').select(['version', 'minutes_after_payment']).where('id', '=', body.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ version: 2, minutes_after_payment: winner });
      expect((await auditOf(body.id)).map((entry) => entry.action)).toEqual(['mall_link.created', 'mall_link.updated']);
    });

    it('applies a PATCH without If-Match on top of a change committed since the link was read', async () => {
      const { body } = await create();
      const read = (await findMallLinkById(database.db, body.id))!;
      expect((await call('PATCH', `/v1/mall-links/${body.id}`, { key: admin, body: { enabled: false } })).status).toBe(200);
      const deps = { db: database.db, temporal: temporal.client, schedules, log: pino({ level: 'silent' }) };
      const view = await updateMallLink(deps, { keyId: admin.id }, read, () => true, { minutesAfterPayment: 40 });
      expect(view.link).toMatchObject({ version: 3, enabled: false, minutes_after_payment: 40 });
      // The same late change once more finds it made already: nothing is written.
      expect((await updateMallLink(deps, { keyId: admin.id }, read, () => true, { minutesAfterPayment: 40 })).link).toMatchObject({ version: 3, minutes_after_payment: 40 });
      // With the version it read pinned (If-Match), the same late change is refused.
      await expect(updateMallLink(deps, { keyId: admin.id }, read, (version) => version === read.version, { collectionRangeDays: 7 })).rejects.toBeInstanceOf(VersionMismatchError);
      const row = await database.db.selectFrom('mall_links').select(['version', 'collection_range_days']).where('id', '=', body.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ version: 3, collection_range_days: 3 });
      expect((await auditOf(body.id)).map((entry) => entry.action)).toEqual(['mall_link.created', 'mall_link.updated', 'mall_link.updated']);
    });

    it('answers 200 to every one of concurrent PATCHes without If-Match and audits each change', async () => {
      const { body } = await create();
      const values = [20, 40, 20, 40, 20, 40, 20, 40];
      const answers = await Promise.all(values.map((minutesAfterPayment) => call('PATCH', `/v1/mall-links/${body.id}`, { key: admin, body: { minutesAfterPayment } })));
      expect(answers.map((res) => res.status)).toEqual(values.map(() => 200));
      const row = await database.db.selectFrom('mall_links').select(['version', 'minutes_after_payment']).where('id', '=', body.id).executeTakeFirstOrThrow();
      const updates = (await auditOf(body.id)).filter((entry) => entry.action === 'mall_link.updated');
      expect(updates.length).toBeGreaterThan(0);
      expect(row.version).toBe(1 + updates.length);
      expect(values).toContain(row.minutes_after_payment);
    });

    it('keeps the version when nothing changes', async () => {
      const { body } = await create();
      const res = await call('PATCH', `/v1/mall-links/${body.id}`, { key: admin, body: { minutesAfterPayment: 10 } });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"1"');
      expect((await auditOf(body.id)).map((entry) => entry.action)).toEqual(['mall_link.created']);
      expect(schedules.calls).toEqual([body.id]);
    });

    it('clears the sender when the invoice shows the orderer', async () => {
      const { body } = await create();
      const res = await call('PATCH', `/v1/mall-links/${body.id}`, { key: admin, body: { invoiceDisplay: 'orderer', sender: null } });
      expect(res.status).toBe(200);
      expect(await json(res)).toMatchObject({ invoiceDisplay: 'orderer', sender: null });
    });
  });

  describe('schedule sync', () => {
    it('answers pending when Temporal is unreachable, and marks the link', async () => {
      schedules.answer = 'pending';
      const { body } = await create();
      expect(body.schedule).toEqual({ state: 'pending' });
      const row = await database.db.selectFrom('mall_links').select('schedule_state').where('id', '=', body.id).executeTakeFirstOrThrow();
      expect(row.schedule_state).toBe('pending');
    });

    it('answers pending, not an error, when the sync throws; a later change that syncs marks it synced', async () => {
      schedules.answer = new Error('connection refused');
      const { body } = await create();
      expect(body.schedule).toEqual({ state: 'pending' });
      expect((await json(await call('GET', `/v1/mall-links/${body.id}`, { key: admin }))).schedule).toEqual({ state: 'pending' });
      schedules.answer = 'synced';
      const patched = await json(await call('PATCH', `/v1/mall-links/${body.id}`, { key: admin, body: { enabled: false } }));
      expect(patched.schedule).toEqual({ state: 'synced' });
      const row = await database.db.selectFrom('mall_links').select('schedule_state').where('id', '=', body.id).executeTakeFirstOrThrow();
      expect(row.schedule_state).toBe('synced');
    });
  });

  describe('DELETE', () => {
    it('removes a link without collected orders, its shops, and syncs its schedules away', async () => {
      const { body, etag } = await create({ shops: [{ shopNo: 2 }] });
      schedules.calls.length = 0;
      const res = await call('DELETE', `/v1/mall-links/${body.id}`, { key: admin, headers: { 'if-match': etag } });
      expect(res.status).toBe(204);
      expect(await res.text()).toBe('');
      expect(schedules.calls).toEqual([body.id]);
      expect((await call('GET', `/v1/mall-links/${body.id}`, { key: admin })).status).toBe(404);
      expect(await database.db.selectFrom('mall_link_shops').selectAll().where('mall_link_id', '=', body.id).execute()).toEqual([]);
      const trail = await auditOf(body.id);
      expect(trail.map((entry) => entry.action)).toEqual(['mall_link.created', 'mall_link.deleted']);
      expect(trail[1]).toMatchObject({ actor_key_id: admin.id, before: { mallId: body.mallId }, after: null });
    });

    it('refuses with 409 and a hint to disable once the link has collected orders, and keeps it', async () => {
      const { body, etag } = await create();
      await upsertCollectedOrders(database.db, body.id, [storedOrder('20261201-0000001', '2026-12-01T01:00:00.000Z', [storedItem('20261201-0000001', 1)])]);
      schedules.calls.length = 0;
      const res = await call('DELETE', `/v1/mall-links/${body.id}`, { key: admin, headers: { 'if-match': etag } });
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect((await json(res)).detail).toMatch(/enabled.*false|disable/i);
      expect(schedules.calls).toEqual([]);
      expect((await call('GET', `/v1/mall-links/${body.id}`, { key: admin })).status).toBe(200);
    });

    it('refuses with 409 while a collection is still writing the link\'s first orders, once they commit', async () => {
      const { body, etag } = await create();
      let deleting: Promise<Response> | undefined;
      try {
        await database.db.transaction().execute(async (tx) => {
          await upsertCollectedOrders(tx, body.id, [storedOrder('20261201-0000002', '2026-12-01T01:00:00.000Z', [storedItem('20261201-0000002', 1)])]);
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
          const collectionPid = rows[0]!.pid;
          deleting = Promise.resolve(call('DELETE', `/v1/mall-links/${body.id}`, { key: admin, headers: { 'if-match': etag } }));
          // The deletion waits on the collection's lock on the link; the orders commit while it waits.
          await until(async () => {
            const { rows } = await sql<{ blocked: boolean }>`
              select exists (select 1 from pg_stat_activity where ${collectionPid}::int = any(pg_blocking_pids(pid))) as blocked`.execute(database.db);
            return rows[0]!.blocked;
          }, 'the deletion to wait for the collection');
        });
      } catch (error) {
        await deleting?.catch(() => {});
        throw error;
      }
      const res = await deleting!;
      expect(res.status).toBe(409);
      expect((await json(res)).type).toBe('/problems/link-has-orders');
      expect((await call('GET', `/v1/mall-links/${body.id}`, { key: admin })).status).toBe(200);
      expect(await database.db.selectFrom('collected_orders').select('order_id').where('mall_link_id', '=', body.id).execute()).toEqual([{ order_id: '20261201-0000002' }]);
    });

    it('answers 412 to a stale If-Match and keeps the link', async () => {
      const { body } = await create();
      await call('PATCH', `/v1/mall-links/${body.id}`, { key: admin, body: { enabled: false } });
      const res = await call('DELETE', `/v1/mall-links/${body.id}`, { key: admin, headers: { 'if-match': '"1"' } });
      expect(res.status).toBe(412);
      expect((await call('GET', `/v1/mall-links/${body.id}`, { key: admin })).status).toBe(200);
    });

    it('deletes without If-Match a link changed since it was read, recording it as it stood', async () => {
      const { body } = await create();
      const read = (await findMallLinkById(database.db, body.id))!;
      expect((await call('PATCH', `/v1/mall-links/${body.id}`, { key: admin, body: { enabled: false } })).status).toBe(200);
      const deps = { db: database.db, temporal: temporal.client, schedules, log: pino({ level: 'silent' }) };
      await deleteMallLink(deps, { keyId: admin.id }, read, () => true);
      expect((await call('GET', `/v1/mall-links/${body.id}`, { key: admin })).status).toBe(404);
      const trail = await auditOf(body.id);
      expect(trail.map((entry) => entry.action)).toEqual(['mall_link.created', 'mall_link.updated', 'mall_link.deleted']);
      expect(trail[2]).toMatchObject({ before: { enabled: false } });
    });
  });

  describe('list', () => {
    it('filters by cstCd, mallId, enabled and collectionMethod', async () => {
      const a = (await create({ cstCd: 'LISTA', collectionMethod: 'manual' })).body;
      const b = (await create({ cstCd: 'LISTA', enabled: false })).body;
      const c = (await create({ cstCd: 'LISTB' })).body;
      const ids = async (query: string) => (await json(await call('GET', `/v1/mall-links?${query}`, { key: admin }))).items.map((item: { id: string }) => item.id);
      expect(await ids('cstCd=LISTA')).toEqual([a.id, b.id]);
      expect(await ids(`mallId=${c.mallId}`)).toEqual([c.id]);
      expect(await ids('cstCd=LISTA&enabled=false')).toEqual([b.id]);
      expect(await ids('cstCd=LISTA&enabled=true')).toEqual([a.id]);
      expect(await ids('cstCd=LISTA&collectionMethod=manual')).toEqual([a.id]);
      expect(await ids('cstCd=NOBODY')).toEqual([]);
    });

    it('shows each listed link with its own shops', async () => {
      const withShops = (await create({ cstCd: 'SHOPLIST', shops: [{ shopNo: 2 }, { shopNo: 4 }] })).body;
      const without = (await create({ cstCd: 'SHOPLIST' })).body;
      const { items } = await json(await call('GET', '/v1/mall-links?cstCd=SHOPLIST', { key: admin }));
      expect(items).toEqual([withShops, without]);
      expect(items[0].shops.map((shop: { shopNo: number }) => shop.shopNo)).toEqual([1, 2, 4]);
    });

    it('pages with a cursor through every link exactly once', async () => {
      const created = [];
      for (let i = 0; i < 5; i++) created.push((await create({ cstCd: 'PAGED' })).body.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `cstCd=PAGED&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await json(await call('GET', `/v1/mall-links?${query}`, { key: admin }));
        seen.push(...page.items.map((item: { id: string }) => item.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(seen).toEqual(created);
      expect(pages).toBe(3);
    });

    it('rejects a forged cursor and bad filters with 422', async () => {
      const forged = (text: string) => Buffer.from(text).toString('base64url');
      const id = '00000000-0000-4000-8000-000000000000';
      const position = (createdAtMicros: unknown, positionId: unknown) => forged(JSON.stringify({ createdAtMicros, id: positionId }));
      const cursors = [
        forged('not-a-cursor'),
        '%E2%9C%93',
        forged(`99999999999999999999.${id}`),
        forged(`1.${id}; drop table mall_links`),
        forged(`-1.${id}`),
        position('99999999999999999999', id),
        position('1', `${id}; drop table mall_links`),
        position('-1', id),
        position(1, id),
        forged(JSON.stringify({ createdAtMicros: '1', id, extra: true })),
        forged(JSON.stringify([1, id])),
      ];
      for (const query of [...cursors.map((c) => `cursor=${c}`), 'enabled=yes', 'collectionMethod=sometimes', 'limit=0', 'limit=101', 'limit=1e3']) {
        const res = await call('GET', `/v1/mall-links?${query}`, { key: admin });
        expect(res.status, query).toBe(422);
        expect((await json(res)).errors[0].path).toMatch(/^query\./);
      }
    });
  });

  it('reports the link status of a new link: Cafe24 not installed, FMS completeness, schedule state (no schedule yet), no runs', async () => {
    const { body } = await create({ collectOrderStatus: 'N10' });
    const res = await call('GET', `/v1/mall-links/${body.id}/status`, { key: admin });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      mallLinkId: body.id,
      cafe24Auth: {
        status: 'not_installed',
        accessTokenExpiresAt: null,
        refreshTokenExpiresAt: null,
        sellerAction: expect.stringContaining('카페24 앱 설치 필요'),
        installUrl: `http://api.test/cafe24/install?mallLinkId=${body.id}`,
      },
      fmsLink: { complete: true, gaps: [], sellerChecklist: [expect.stringContaining('상품준비중 주문상태 사용')] },
      // The recording sync creates no schedule, so Temporal reports none and no run times.
      schedule: { state: 'synced', paused: null, note: null, nextRunTimes: [] },
      lastCollection: null,
      lastInvoiceSync: null,
      unlinkedOrderCount: 0,
    });
    await database.db.updateTable('mall_links').set({ cafe24_auth_status: 'reauth_required' }).where('id', '=', body.id).execute();
    await call('PATCH', `/v1/mall-links/${body.id}`, { key: admin, body: { enabled: false } });
    const status = await json(await call('GET', `/v1/mall-links/${body.id}/status`, { key: admin }));
    expect(status.cafe24Auth.status).toBe('reauth_required');
    expect(status.cafe24Auth.sellerAction).toContain('카페24 앱 재인증 필요');
    expect(status.fmsLink).toMatchObject({ complete: false, gaps: [{ path: 'enabled', message: expect.any(String) }] });
  });

  it('reports the token expiry times, never the tokens', async () => {
    const { body } = await create();
    const accessTokenExpiresAt = new Date('2026-12-01T06:30:00.000Z');
    const refreshTokenExpiresAt = new Date('2026-12-14T04:30:00.000Z');
    await saveCafe24Tokens(database.db, {
      mallLinkId: body.id,
      mallId: body.mallId,
      accessTokenEnc: 'sealed-access-token',
      accessTokenExpiresAt,
      refreshTokenEnc: 'sealed-refresh-token',
      refreshTokenExpiresAt,
      scopes: ['mall.read_order'],
      refreshedAt: new Date(),
    });
    await database.db.updateTable('mall_links').set({ cafe24_auth_status: 'authorized' }).where('id', '=', body.id).execute();
    const res = await call('GET', `/v1/mall-links/${body.id}/status`, { key: admin });
    const text = await res.text();
    expect(JSON.parse(text).cafe24Auth).toEqual({
      status: 'authorized',
      accessTokenExpiresAt: accessTokenExpiresAt.toISOString(),
      refreshTokenExpiresAt: refreshTokenExpiresAt.toISOString(),
      sellerAction: null,
      installUrl: `http://api.test/cafe24/install?mallLinkId=${body.id}`,
    });
    expect(text).not.toContain('sealed-');
  });

  it('reports the latest collection run and invoice run and counts only the link’s open unlinked orders', async () => {
    const { body } = await create();
    const { body: other } = await create();
    const run = (mallLinkId: string, n: number) =>
      startCollectionRun(database.db, {
        mallLinkId,
        workflowId: `collect-orders:${mallLinkId}-${n}`,
        runId: `run-${n}`,
        trigger: 'schedule',
        slotAt: `2026-12-0${n}T05:40:00.000Z`,
        window: { from: '2026-11-28T15:00:00.000Z', to: `2026-12-0${n}T05:30:00.000Z` },
        status: 'running',
        outcome: 'running',
      });
    await run(body.id, 1);
    const latest = await run(body.id, 2);
    await finishCollectionRun(database.db, latest.id, { status: 'completed', outcome: 'collected', ordersFetched: 3, itemsFetched: 4, counts: { requested: 3, 'unlinked:no_link': 1 }, error: null });
    await run(other.id, 3);
    const invoiceRun = (mallLinkId: string, n: number) =>
      startInvoiceSyncRun(database.db, { mallLinkId, workflowId: `sync-invoices:${mallLinkId}-${n}`, runId: `inv-${n}`, trigger: 'schedule', slotAt: `2026-12-0${n}T06:00:00.000Z`, status: 'running', outcome: 'running' });
    await invoiceRun(body.id, 1);
    const latestInvoiceRun = await invoiceRun(body.id, 2);
    await invoiceRun(other.id, 3);

    const unlinked = (orderId: string) => ({
      kind: 'unlinked' as const,
      orderId,
      shopNo: 1,
      paidAt: '2026-12-01T01:00:00.000Z',
      items: [{ orderItemCode: `${orderId}-01`, variantCode: 'P000000A000A', reason: 'no_link' as const }],
    });
    await upsertUnlinkedOrders(database.db, body.id, [unlinked('20261201-0000001'), unlinked('20261201-0000002'), unlinked('20261201-0000003')]);
    await markUnlinkedNotEligible(database.db, body.id, ['20261201-0000003']);
    await upsertUnlinkedOrders(database.db, other.id, [unlinked('20261201-0000004')]);

    const status = await json(await call('GET', `/v1/mall-links/${body.id}/status`, { key: admin }));
    expect(status.lastCollection).toEqual({
      id: latest.id,
      workflowId: `collect-orders:${body.id}-2`,
      runId: 'run-2',
      trigger: 'schedule',
      slotAt: '2026-12-02T05:40:00.000Z',
      window: { from: '2026-11-28T15:00:00.000Z', to: '2026-12-02T05:30:00.000Z' },
      status: 'completed',
      outcome: 'collected',
      ordersFetched: 3,
      itemsFetched: 4,
      counts: { requested: 3, 'unlinked:no_link': 1 },
      error: null,
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      temporalUiUrl: expect.stringContaining(encodeURIComponent(`collect-orders:${body.id}-2`)),
    });
    expect(status.unlinkedOrderCount).toBe(2);
    expect(status.lastInvoiceSync).toMatchObject({ id: latestInvoiceRun.id, workflowId: `sync-invoices:${body.id}-2`, runId: 'inv-2', slotAt: '2026-12-02T06:00:00.000Z', status: 'running', finishedAt: null });
  });

  it('shows the real schedule in the status: paused with the reason, and its next five runs in KST', async () => {
    const realSync = createTemporalScheduleSync({ ...reconcileDepsFor(database.db, temporal.client, temporal.taskQueue), timeoutMs: 10_000 });
    const app = apiCaller(createTestApp({ db: database.db, temporal: temporal.client, schedules: realSync }));
    const body = await json(await app('POST', '/v1/mall-links', { key: admin, body: minimalLink(nextMallId(), 'CST0001') }));
    const status = await json(await app('GET', `/v1/mall-links/${body.id}/status`, { key: admin }));
    expect(status.schedule).toMatchObject({ state: 'synced', paused: true, note: expect.stringMatching(/authoriz|인증/i) });
    expect(status.schedule.nextRunTimes).toHaveLength(5);
    for (const time of status.schedule.nextRunTimes) expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+09:00$/);
    expect(status.schedule.nextRunTimes[0] >= `${body.linkStartDate}T00:00:00+09:00`).toBe(true);
  });

  it('keeps an audit trail of every change, with the actor and only the changed settings', async () => {
    const customer = await createTestApiKey(database.db, customerScope('CST0001'));
    const { body } = await create();
    await call('PATCH', `/v1/mall-links/${body.id}`, { key: customer, body: { minutesAfterPayment: 25, collectOrderStatus: 'N20' } });
    await call('POST', `/v1/mall-links/${body.id}/shops`, { key: customer, body: { shopNo: 3 } });
    await call('POST', `/v1/mall-links/${body.id}/shops/3/approve`, { key: admin });

    const res = await call('GET', `/v1/mall-links/${body.id}/audit`, { key: customer });
    expect(res.status).toBe(200);
    const { items, nextCursor } = await json(res);
    expect(nextCursor).toBeNull();
    expect(items.map((entry: { action: string; actorKeyId: string }) => [entry.action, entry.actorKeyId])).toEqual([
      ['mall_link.created', admin.id],
      ['mall_link.updated', customer.id],
      ['shop.requested', customer.id],
      ['shop.approved', admin.id],
    ]);
    expect(items[0]).toMatchObject({ before: null, after: { mallId: body.mallId, cstCd: 'CST0001', minutesAfterPayment: 10 } });
    expect(items[1]).toMatchObject({
      before: { minutesAfterPayment: 10, collectOrderStatus: 'N10' },
      after: { minutesAfterPayment: 25, collectOrderStatus: 'N20' },
      at: expect.any(String),
    });
    expect(Object.keys(items[1].after).sort()).toEqual(['collectOrderStatus', 'minutesAfterPayment']);
    expect(items[3]).toMatchObject({ before: { shopNo: 3, status: 'requested' }, after: { shopNo: 3, status: 'active' } });

    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of ['abc', '-1', '99999999999999999999', '1.5', forged(0), forged(-1), forged(1.5), forged('7'), forged(2 ** 60), forged(null)]) {
      const res = await call('GET', `/v1/mall-links/${body.id}/audit?cursor=${cursor}`, { key: customer });
      expect(res.status, cursor).toBe(422);
      expect((await json(res)).errors[0].path).toBe('query.cursor');
    }
    const first = await json(await call('GET', `/v1/mall-links/${body.id}/audit?limit=3`, { key: customer }));
    expect(first.items).toHaveLength(3);
    const rest = await json(await call('GET', `/v1/mall-links/${body.id}/audit?limit=3&cursor=${first.nextCursor}`, { key: customer }));
    expect(rest).toEqual({ items: [items[3]], nextCursor: null });
  });

  it('documents every route in /openapi.json with security, examples and problem responses', async () => {
    const spec = await json(await call('GET', '/openapi.json'));
    const expected: Record<string, string[]> = {
      '/v1/mall-links': ['post', 'get'],
      '/v1/mall-links/{id}': ['get', 'patch', 'delete'],
      '/v1/mall-links/{id}/status': ['get'],
      '/v1/mall-links/{id}/shops': ['get', 'post'],
      '/v1/mall-links/{id}/shops/{shopNo}/approve': ['post'],
      '/v1/mall-links/{id}/shops/{shopNo}/reject': ['post'],
      '/v1/mall-links/{id}/audit': ['get'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      for (const method of methods) {
        const operation = spec.paths[path]?.[method];
        expect(operation, `${method} ${path}`).toBeDefined();
        expect(operation.security).toEqual([{ apiKey: [] }]);
        expect(operation.responses['401'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
      }
    }
    expect(spec.paths['/v1/mall-links'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateMallLink' });
    expect(spec.paths['/v1/mall-links/{id}'].patch.responses['412']).toBeDefined();
    expect(spec.components.schemas.CreateMallLink.additionalProperties).toBe(false);
    expect(spec.components.schemas.CreateMallLink.example.sender.name).toBe('패스토샵');
    expect(spec.components.schemas.MallLink.properties.collectOrderStatus.description).toContain('상품준비중');
    expect(spec.components.schemas.MallLink.properties.installUrl.example).toMatch(/\/cafe24\/install\?mallLinkId=[0-9a-f-]{36}$/);
    expect(spec.components.schemas.MallLinkStatus.properties.lastCollection).toMatchObject({ anyOf: [{ $ref: '#/components/schemas/CollectionRun' }, { type: 'null' }] });
  });
});
