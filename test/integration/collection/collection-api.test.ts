import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertApiKey } from '../../../src/db/repositories/api-keys.js';
import { replaceFmsGoods } from '../../../src/db/repositories/fms-goods.js';
import { generateApiKey } from '../../../src/domain/api-keys.js';
import { manualCollectWorkflowId } from '../../../src/temporal/names.js';
import type { CollectOrdersResult } from '../../../src/temporal/collection.js';
import { MallIdKey, TriggerKey } from '../../../src/temporal/search-attributes.js';
import type { MallLinkRow } from '../../../db/schema.js';
import { createTestApp, json } from '../../support/api.js';
import { startCollection, startCollectionWorker } from '../../support/collection-runs.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { InMemoryOrderSource, InMemoryShipmentRequester } from '../../support/in-memory-collection-ports.js';
import { insertTestMallLink } from '../../support/mall-link-fixtures.js';
import { storedItem as item, storedOrder as order } from '../../support/stored-orders.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

describe('collection API: product links, manual runs, history, unlinked orders, order trail', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let worker: { stop(): Promise<void> };
  let app: ReturnType<typeof createTestApp>;
  let adminKey: string;
  let otherCustomerKey: string;
  const source = new InMemoryOrderSource();
  const requester = new InMemoryShipmentRequester();
  let link: MallLinkRow;

  const call = (method: string, path: string, body?: unknown, key = adminKey) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    worker = await startCollectionWorker({ db: database.db, temporal, orderSource: source, shipmentRequester: requester, sourcePageSize: 2 });
    app = createTestApp({ db: database.db, temporal: temporal.client, env: { TEMPORAL_TASK_QUEUE: temporal.taskQueue, TEMPORAL_UI_URL: 'http://ui.test' } });
    const admin = generateApiKey();
    await insertApiKey(database.db, { name: 'admin', scope: { role: 'admin', cstCd: null }, displayPrefix: admin.displayPrefix, hash: admin.hash });
    adminKey = admin.plaintext;
    const other = generateApiKey();
    await insertApiKey(database.db, { name: 'other', scope: { role: 'customer', cstCd: 'CST999' }, displayPrefix: other.displayPrefix, hash: other.hash });
    otherCustomerKey = other.plaintext;
    link = await insertTestMallLink(database.db, { link_start_date: '2026-01-01', minutes_after_payment: 10 });
    // Links are checked against FMS goods: the cache knows the goods these tests link (no FMS here).
    const goods = ['G-OLD', 'G-1', 'G-2', 'G-9'].map((cstGodCd) => ({ cstGodCd, name: cstGodCd, godCd: null, barcode: null, goodsType: null, inUse: true }));
    await replaceFmsGoods(database.db, link.cst_cd, goods, new Date());
    source.put(link.id, [
      order('A-1', minutesAgo(60), [item('A-1', 1, { variantCode: 'V-1' })]),
      order('A-2', minutesAgo(60), [item('A-2', 1, { variantCode: 'V-1' }), item('A-2', 2, { variantCode: 'V-2', quantity: 3 })]),
      order('A-3', minutesAgo(50), [item('A-3', 1, { variantCode: 'V-1' })]),
      order('A-4', minutesAgo(40), [item('A-4', 1, { variantCode: 'V-UNLINKED' })]),
      order('A-5', minutesAgo(1), [item('A-5', 1, { variantCode: 'V-1' })]),
    ]);
  });

  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
    await database?.drop();
  });

  it('documents every collection endpoint in the OpenAPI document', async () => {
    const spec = await json(await app.request('/openapi.json'));
    expect(spec.paths['/v1/mall-links/{id}/product-links/{variantCode}']).toHaveProperty('put');
    expect(spec.paths['/v1/mall-links/{id}/product-links/{variantCode}']).toHaveProperty('delete');
    expect(Object.keys(spec.paths['/v1/mall-links/{id}/collections']).sort()).toEqual(['get', 'post']);
    expect(spec.paths['/v1/mall-links/{id}/unlinked-orders']).toHaveProperty('get');
    expect(spec.paths['/v1/mall-links/{id}/orders/{orderId}']).toHaveProperty('get');
    expect(spec.paths['/v1/mall-links/{id}/collections'].post.responses).toHaveProperty('409');
  });

  describe('PUT/DELETE product links', () => {
    it('stores, replaces and removes a link', async () => {
      const path = `/v1/mall-links/${link.id}/product-links/V-1`;
      const put = await call('PUT', path, { components: [{ cstGodCd: 'G-OLD', quantity: 1 }] });
      expect(put.status).toBe(200);
      const replaced = await call('PUT', path, { components: [{ cstGodCd: 'G-1', quantity: 1 }] });
      expect(await json(replaced)).toEqual({ mallLinkId: link.id, variantCode: 'V-1', components: [{ cstGodCd: 'G-1', quantity: 1 }], readyOrders: [] });
      expect(await database.db.selectFrom('product_links').select('cst_god_cd').where('mall_link_id', '=', link.id).execute()).toEqual([{ cst_god_cd: 'G-1' }]);

      expect((await call('PUT', `/v1/mall-links/${link.id}/product-links/V-TMP`, { components: [{ cstGodCd: 'G-9', quantity: 2 }] })).status).toBe(200);
      expect((await call('DELETE', `/v1/mall-links/${link.id}/product-links/V-TMP`)).status).toBe(204);
      const again = await call('DELETE', `/v1/mall-links/${link.id}/product-links/V-TMP`);
      expect(again.status).toBe(404);
      expect(again.headers.get('content-type')).toBe('application/problem+json');
    });

    it('names the offending field on bad input and stores nothing', async () => {
      const bad = await call('PUT', `/v1/mall-links/${link.id}/product-links/V-BAD`, { components: [{ cstGodCd: 'G-1', quantity: 0 }] });
      expect(bad.status).toBe(422);
      expect((await json(bad)).errors).toEqual([expect.objectContaining({ path: 'components.0.quantity' })]);
      // A goods code listed twice is one component with the quantities added up (a JSON schema cannot refuse it).
      const repeated = await call('PUT', `/v1/mall-links/${link.id}/product-links/V-DUP`, { components: [{ cstGodCd: 'G-1', quantity: 1 }, { cstGodCd: 'G-2', quantity: 1 }, { cstGodCd: 'G-1', quantity: 2 }] });
      expect(repeated.status).toBe(200);
      expect((await json(repeated)).components).toEqual([{ cstGodCd: 'G-1', quantity: 3 }, { cstGodCd: 'G-2', quantity: 1 }]);
      const badCode = await call('PUT', `/v1/mall-links/${link.id}/product-links/${encodeURIComponent('V BAD!')}`, { components: [{ cstGodCd: 'G-1', quantity: 1 }] });
      expect(badCode.status).toBe(422);
      expect((await json(badCode)).errors[0].path).toBe('param.variantCode');
      expect(await database.db.selectFrom('product_links').selectAll().where('variant_code', 'in', ['V-BAD', 'V BAD!']).execute()).toEqual([]);
    });

    it('hides other customers’ links and needs a key', async () => {
      expect((await call('PUT', `/v1/mall-links/${link.id}/product-links/V-1`, { components: [{ cstGodCd: 'G-1', quantity: 1 }] }, otherCustomerKey)).status).toBe(404);
      expect((await app.request(`/v1/mall-links/${link.id}/collections`)).status).toBe(401);
    });
  });

  describe('manual collection', () => {
    it('starts a run (202), refuses a second while it runs (409), and a racing scheduled run stays off the mall', async () => {
      await call('PUT', `/v1/mall-links/${link.id}/product-links/V-2`, { components: [{ cstGodCd: 'G-2', quantity: 1 }] });
      const release = source.hold();
      const fetching = source.nextFetch();

      const started = await call('POST', `/v1/mall-links/${link.id}/collections`);
      expect(started.status).toBe(202);
      const body = await json(started);
      expect(body).toMatchObject({ workflowId: manualCollectWorkflowId(link.id), runId: expect.any(String), slotAt: expect.any(String) });
      expect(body.temporalUiUrl).toBe(`http://ui.test/namespaces/default/workflows/${encodeURIComponent(body.workflowId)}/${body.runId}/history`);
      await fetching;

      const second = await call('POST', `/v1/mall-links/${link.id}/collections`);
      expect(second.status).toBe(409);
      expect(await json(second)).toMatchObject({ type: '/problems/collection-in-progress', workflowId: body.workflowId });

      const scheduled = await startCollection(temporal.client, temporal.taskQueue, { mallLinkId: link.id, trigger: 'schedule' });
      const scheduledResult = (await scheduled.result()) as CollectOrdersResult;
      expect(scheduledResult).toMatchObject({ status: 'skipped', outcome: 'another_run_in_progress', heldBy: body.workflowId, itemsFetched: 0 });

      release();
      const manualResult = (await temporal.client.workflow.getHandle(body.workflowId).result()) as CollectOrdersResult;
      expect(manualResult).toMatchObject({ status: 'completed', trigger: 'manual', ordersFetched: 5, itemsFetched: 6 });
      expect(manualResult.counts).toEqual({ requested: 4, 'unlinked:no_link': 1, 'not_eligible:too_recent': 1 });
      expect(requester.created.map((c) => c.orderId).sort()).toEqual(['A-1', 'A-2', 'A-3']);

      const description = await temporal.client.workflow.getHandle(body.workflowId).describe();
      expect(description.typedSearchAttributes.get(MallIdKey)).toBe(link.mall_id);
      expect(description.typedSearchAttributes.get(TriggerKey)).toBe('manual');
      expect(await description.staticSummary()).toMatch(new RegExp(`^카페24 ${link.mall_id} · \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} KST · 주문수집$`));
    });

    it('a manual and a scheduled run started together never request an order twice', async () => {
      source.put(link.id, [order('B-1', minutesAgo(30), [item('B-1', 1, { variantCode: 'V-1' })]), order('B-2', minutesAgo(30), [item('B-2', 1, { variantCode: 'V-2' })])]);
      const [manual, scheduled] = await Promise.all([
        call('POST', `/v1/mall-links/${link.id}/collections`),
        startCollection(temporal.client, temporal.taskQueue, { mallLinkId: link.id, trigger: 'schedule' }),
      ]);
      const results: CollectOrdersResult[] = [(await scheduled.result()) as CollectOrdersResult];
      if (manual.status === 202) results.push((await temporal.client.workflow.getHandle((await json(manual)).workflowId).result()) as CollectOrdersResult);
      else expect((await json(manual)).type).toBe('/problems/collection-in-progress');

      for (const r of results) expect(['collected', 'another_run_in_progress']).toContain(r.outcome);
      // Whatever the interleaving: the two new orders were requested exactly once between the runs.
      expect(results.reduce((n, r) => n + (r.counts.requested ?? 0), 0)).toBe(2);
      expect(requester.duplicates()).toEqual([]);
      expect(requester.created.filter((c) => c.orderId.startsWith('B-'))).toHaveLength(2);
    });

    it('refuses a link that cannot be collected, naming why', async () => {
      const disabled = await insertTestMallLink(database.db, { enabled: false });
      const res = await call('POST', `/v1/mall-links/${disabled.id}/collections`);
      expect(res.status).toBe(409);
      expect(await json(res)).toMatchObject({ type: '/problems/collection-not-possible', reason: 'link_disabled' });
    });
  });

  describe('run history, unlinked orders, order trail', () => {
    it('lists runs newest first with counts, workflow ids and UI links', async () => {
      const res = await call('GET', `/v1/mall-links/${link.id}/collections?limit=50`);
      expect(res.status).toBe(200);
      const { items: runs, nextCursor } = await json(res);
      expect(nextCursor).toBeNull();
      expect(runs.length).toBeGreaterThanOrEqual(3);
      // The first manual run (the race test after it may add a second one, newer, with other counts).
      const manualRun = runs.findLast((r: { trigger: string; outcome: string }) => r.trigger === 'manual' && r.outcome === 'collected');
      expect(manualRun).toMatchObject({ workflowId: manualCollectWorkflowId(link.id), status: 'completed', itemsFetched: 6, counts: { requested: 4, 'unlinked:no_link': 1, 'not_eligible:too_recent': 1 } });
      expect(runs.some((r: { outcome: string }) => r.outcome === 'another_run_in_progress')).toBe(true);
      expect(runs.map((r: { id: number }) => r.id)).toEqual([...runs.map((r: { id: number }) => r.id)].sort((a, b) => b - a));
      const first = await json(await call('GET', `/v1/mall-links/${link.id}/collections?limit=2`));
      expect(first.items).toEqual(runs.slice(0, 2));
      const second = await json(await call('GET', `/v1/mall-links/${link.id}/collections?limit=2&cursor=${first.nextCursor}`));
      expect(second.items).toEqual(runs.slice(2, 4));
      // At most four runs so far: two manual and two scheduled.
      expect(second.nextCursor).toBeNull();
      const bad = await call('GET', `/v1/mall-links/${link.id}/collections?cursor=${runs[0].id}`);
      expect(bad.status).toBe(422);
      expect(bad.headers.get('content-type')).toBe('application/problem+json');
      expect((await json(bad)).errors[0].path).toBe('query.cursor');
    });

    it('lists held orders with reasons per item and first/last seen', async () => {
      expect(await json(await call('GET', `/v1/mall-links/${link.id}/unlinked-orders`))).toEqual({
        items: [
          expect.objectContaining({ orderId: 'A-4', status: 'open', items: [{ orderItemCode: 'A-4-01', variantCode: 'V-UNLINKED', reason: 'no_link' }], firstSeenAt: expect.any(String), lastSeenAt: expect.any(String), resolvedAt: null }),
        ],
        nextCursor: null,
      });
      expect((await call('GET', `/v1/mall-links/${link.id}/unlinked-orders?status=bogus`)).status).toBe(422);
    });

    it("shows one order's trail with its slip and no personal data", async () => {
      const res = await call('GET', `/v1/mall-links/${link.id}/orders/A-2`);
      expect(res.status).toBe(200);
      const trail = await json(res);
      expect(trail).toMatchObject({
        orderId: 'A-2',
        shopNo: 1,
        shipmentRequest: { outcome: 'created', slipNo: expect.stringMatching(/^SLIP-/), warnings: [] },
        unlinked: null,
        items: [
          // Later runs met it again and knew it by its slip.
          { orderItemCode: 'A-2-01', variantCode: 'V-1', outcome: 'already_requested', cafe24Status: 'N10' },
          { orderItemCode: 'A-2-02', variantCode: 'V-2', quantity: 3, outcome: 'already_requested' },
        ],
      });
      expect(trail.trail.map((t: { orderItemCode: string; outcome: string }) => [t.orderItemCode, t.outcome])).toEqual([
        ['A-2-01', 'requested'],
        ['A-2-02', 'requested'],
        ['A-2-01', 'already_requested'],
        ['A-2-02', 'already_requested'],
      ]);
      expect(JSON.stringify(trail)).not.toContain('홍길동');
      expect((await call('GET', `/v1/mall-links/${link.id}/orders/NOPE-1`)).status).toBe(404);
    });
  });
});
