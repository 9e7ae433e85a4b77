import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOpenAlerts } from '../../../src/db/repositories/alerts.js';
import { insertAuditEntry } from '../../../src/db/repositories/audit-log.js';
import { upsertCalendarOverride } from '../../../src/db/repositories/calendar-overrides.js';
import { recordCancellation } from '../../../src/db/repositories/cancellations.js';
import { startCollectionRun } from '../../../src/db/repositories/collection-runs.js';
import { startInvoiceSyncRun } from '../../../src/db/repositories/invoice-sync-runs.js';
import { replaceProductLink } from '../../../src/db/repositories/product-links.js';
import { upsertUnlinkedOrders } from '../../../src/db/repositories/unlinked-orders.js';
import { createCatalogueImport } from '../../../src/db/repositories/cafe24-catalogue-imports.js';
import { upsertCatalogueVariants } from '../../../src/db/repositories/cafe24-catalogue-variants.js';
import { replaceFmsGoods } from '../../../src/db/repositories/fms-goods.js';
import { catalogueVariantsOf } from '../../../src/domain/catalogue.js';
import { ordNoOf } from '../../support/end-to-end.js';
import type { MallLinkRow } from '../../../db/schema.js';
import { createTestApp, json, unreachableTemporal } from '../../support/api.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { adminScope, apiCaller, createTestApiKey, recordingScheduleSync, type TestApiKey } from '../../support/mall-link-api.js';
import { insertTestMallLink } from '../../support/mall-link-fixtures.js';

/**
 * The list convention, checked on every list of the API: `{ items, nextCursor }`, `limit` and an
 * opaque `cursor`; pages that together hold every item once, in the order of one big page.
 */
describe('every API list', () => {
  let database: TestDatabase;
  let temporal: ReturnType<typeof unreachableTemporal>;
  let call: ReturnType<typeof apiCaller>;
  let admin: TestApiKey;
  let link: MallLinkRow;
  const lists: Record<string, { path: () => string; count: number; key: (item: Record<string, unknown>) => unknown }> = {
    'mall links': { path: () => '/v1/mall-links?cstCd=LISTS', count: 5, key: (item) => item.id },
    shops: { path: () => `/v1/mall-links/${link.id}/shops`, count: 5, key: (item) => item.shopNo },
    audit: { path: () => `/v1/mall-links/${link.id}/audit`, count: 5, key: (item) => item.id },
    'collection runs': { path: () => `/v1/mall-links/${link.id}/collections`, count: 5, key: (item) => item.id },
    'invoice sync runs': { path: () => `/v1/mall-links/${link.id}/invoice-syncs`, count: 5, key: (item) => item.id },
    cancellations: { path: () => `/v1/mall-links/${link.id}/cancellations`, count: 5, key: (item) => item.ordNo },
    // The six carriers the migration seeds.
    'carrier mappings': { path: () => '/v1/carrier-mappings', count: 6, key: (item) => item.fmsCarrierKey },
    'unlinked orders': { path: () => `/v1/mall-links/${link.id}/unlinked-orders`, count: 7, key: (item) => item.orderId },
    'calendar overrides': { path: () => '/v1/calendar/overrides', count: 5, key: (item) => item.date },
    alerts: { path: () => `/v1/alerts?mallLinkId=${link.id}`, count: 5, key: (item) => item.id },
    // Two products of 2 and 3 variants, and a text search that keeps all five.
    'cafe24 items': { path: () => `/v1/mall-links/${link.id}/cafe24-items?q=LIST`, count: 5, key: (item) => item.variantCode },
    // The goods cache, filled without asking FMS.
    'fms goods': { path: () => `/v1/mall-links/${link.id}/fms-goods`, count: 5, key: (item) => item.cstGodCd },
    'product links': { path: () => `/v1/mall-links/${link.id}/product-links`, count: 5, key: (item) => item.variantCode },
  };
  const withQuery = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`;

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = unreachableTemporal();
    call = apiCaller(createTestApp({ db: database.db, temporal: temporal.client, schedules: recordingScheduleSync() }));
    admin = await createTestApiKey(database.db, adminScope);
    const db = database.db;
    for (let i = 0; i < 5; i++) await insertTestMallLink(db, { cst_cd: 'LISTS' });
    link = await insertTestMallLink(db, { shops: [2, 3, 4, 5] });
    for (let i = 0; i < 5; i++) await insertAuditEntry(db, { mallLinkId: link.id, actorKeyId: admin.id, action: 'mall_link.updated', before: { n: i }, after: { n: i + 1 } });
    for (let i = 0; i < 5; i++) {
      await startCollectionRun(db, { mallLinkId: link.id, workflowId: `wf-${i}`, runId: `run-${i}`, trigger: 'manual', slotAt: `2026-12-0${i + 1}T00:00:00.000Z`, window: null, status: 'skipped', outcome: 'link_disabled' });
    }
    for (let i = 0; i < 5; i++) {
      await startInvoiceSyncRun(db, { mallLinkId: link.id, workflowId: `inv-wf-${i}`, runId: `run-${i}`, trigger: 'schedule', slotAt: `2026-12-0${i + 1}T00:00:00.000Z`, status: 'skipped', outcome: 'invoice_sync_disabled' });
    }
    for (let i = 0; i < 5; i++) {
      const orderId = `20261127-000000${i}`;
      await recordCancellation(db, { ordNo: ordNoOf(link, orderId), mallLinkId: link.id, shopNo: 1, orderId, outcome: 'held', cancelledItems: [`${orderId}-01`], fmsStatus: 'ORDER', invoiceSyncRunId: 1 });
    }
    // Ties on the payment time and unknown payment times: the order id breaks ties, unknown times come first.
    const held = (orderId: string, paidAt: string | null) => ({ kind: 'unlinked' as const, orderId, shopNo: 1, paidAt, items: [{ orderItemCode: `${orderId}-01`, variantCode: 'V', reason: 'no_link' as const }] });
    await upsertUnlinkedOrders(db, link.id, [
      held('O-3', '2026-11-30T00:00:00.000Z'),
      held('O-1', '2026-11-30T00:00:00.000Z'),
      held('O-2', '2026-11-30T00:00:00.000Z'),
      held('O-9', '2026-11-29T23:59:59.999Z'),
      held('N-2', null),
      held('N-1', null),
      held('O-0', '2026-12-01T00:00:00.000Z'),
    ]);
    await insertOpenAlerts(
      db,
      ['a', 'b', 'c', 'd', 'e'].map((subject) => ({ kind: 'failing_runs' as const, mallLinkId: link.id, subject, since: new Date(), message: 'm', action: 'a', details: {} })),
    );
    const catalogueImport = await createCatalogueImport(db, link.id, []);
    const product = (productNo: number, variants: number) =>
      catalogueVariantsOf({
        productNo,
        productCode: `PLIST${productNo}`,
        productName: `리스트 상품 ${productNo}`,
        customProductCode: null,
        hasOption: true,
        optionType: 'F',
        setProduct: false,
        selling: true,
        display: true,
        variants: Array.from({ length: variants }, (_, i) => ({ variantCode: `PLIST${productNo}00${i}`, customVariantCode: null, options: [{ name: '색상', value: `${i}` }], selling: null, display: null })),
      });
    await upsertCatalogueVariants(db, link.id, catalogueImport.id, [...product(7, 3), ...product(3, 2)]);
    await replaceFmsGoods(
      db,
      link.cst_cd,
      ['G05', 'G01', 'G04', 'G02', 'G03'].map((cstGodCd) => ({ cstGodCd, name: `goods ${cstGodCd}`, godCd: null, barcode: null, goodsType: null, inUse: true })),
      new Date(),
    );
    for (const variantCode of ['V-3', 'V-1', 'V-5', 'V-2', 'V-4']) await replaceProductLink(db, link.id, variantCode, [{ cstGodCd: 'G001', quantity: 1 }]);
    for (const date of ['2026-12-31', '2026-12-24', '2027-01-02', '2026-12-30', '2027-01-01']) {
      await upsertCalendarOverride(db, { date, kind: 'holiday', note: 'list test', updated_by_key_id: admin.id });
    }
  });

  afterAll(async () => {
    await temporal?.close();
    await database?.drop();
  });

  it('orders held orders by newest payment, unknown payment times first, ties by order id', async () => {
    const { items } = await json(await call('GET', lists['unlinked orders']!.path(), { key: admin }));
    expect(items.map((item: { orderId: string }) => item.orderId)).toEqual(['N-1', 'N-2', 'O-0', 'O-1', 'O-2', 'O-3', 'O-9']);
  });

  describe.each(Object.keys(lists))('%s', (name) => {
    const list = () => lists[name]!;

    it('answers { items, nextCursor } and, with limit 2, pages through every item exactly once in order', async () => {
      const whole = await json(await call('GET', list().path(), { key: admin }));
      expect(Object.keys(whole).sort()).toEqual(['items', 'nextCursor']);
      expect(whole.items).toHaveLength(list().count);
      expect(whole.nextCursor).toBeNull();

      const pages: { items: Record<string, unknown>[]; nextCursor: string | null }[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? 'limit=2' : `limit=2&cursor=${cursor}`;
        const res = await call('GET', withQuery(list().path(), query), { key: admin });
        expect(res.status).toBe(200);
        const page = await json(res);
        pages.push(page);
        cursor = page.nextCursor;
        if (cursor !== null) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      } while (cursor !== null && pages.length <= list().count);

      expect(pages).toHaveLength(Math.ceil(list().count / 2));
      for (const page of pages.slice(0, -1)) expect(page.items).toHaveLength(2);
      expect(pages.at(-1)!.nextCursor).toBeNull();
      const keys = pages.flatMap((page) => page.items.map(list().key));
      expect(new Set(keys).size).toBe(list().count);
      expect(pages.flatMap((page) => page.items)).toEqual(whole.items);
    });

    it('ends with nextCursor null when the last page is exactly full', async () => {
      const page = await json(await call('GET', withQuery(list().path(), `limit=${list().count}`), { key: admin }));
      expect(page.items).toHaveLength(list().count);
      expect(page.nextCursor).toBeNull();
    });

    it('answers 422 problem+json for a cursor it did not issue and for a limit outside 1–100', async () => {
      const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      for (const cursor of ['not-a-cursor', forged({ id: 'x' }), forged([1, 2]), forged('2026-13-45'), forged(-1), '%E2%9C%93']) {
        const res = await call('GET', withQuery(list().path(), `cursor=${cursor}`), { key: admin });
        expect(res.status, cursor).toBe(422);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(await json(res)).toMatchObject({ type: '/problems/validation-error', errors: [{ path: 'query.cursor', message: 'not a cursor from this API' }] });
      }
      for (const limit of ['0', '101', 'many']) {
        const res = await call('GET', withQuery(list().path(), `limit=${limit}`), { key: admin });
        expect(res.status, limit).toBe(422);
        expect((await json(res)).errors[0].path).toBe('query.limit');
      }
    });
  });

  it('documents each list in OpenAPI with limit, cursor and an { items, nextCursor } body', async () => {
    const spec = await json(await call('GET', '/openapi.json'));
    const paths = ['/v1/mall-links', '/v1/mall-links/{id}/shops', '/v1/mall-links/{id}/audit', '/v1/mall-links/{id}/collections', '/v1/mall-links/{id}/invoice-syncs', '/v1/mall-links/{id}/cancellations', '/v1/carrier-mappings', '/v1/mall-links/{id}/unlinked-orders', '/v1/calendar/overrides', '/v1/alerts', '/v1/mall-links/{id}/cafe24-items', '/v1/mall-links/{id}/fms-goods', '/v1/mall-links/{id}/product-links'];
    for (const path of paths) {
      const operation = spec.paths[path].get;
      const query = operation.parameters.filter((p: { in: string }) => p.in === 'query');
      expect(query.find((p: { name: string }) => p.name === 'limit'), path).toMatchObject({ schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } });
      expect(query.find((p: { name: string }) => p.name === 'cursor'), path).toMatchObject({ required: false, schema: { type: 'string' } });
      expect(operation.responses['422'], path).toBeDefined();
      const ref: string = operation.responses['200'].content['application/json'].schema.$ref;
      const body = spec.components.schemas[ref.replace('#/components/schemas/', '')];
      expect(Object.keys(body.properties).sort(), path).toEqual(['items', 'nextCursor']);
      expect(body.properties.items.type, path).toBe('array');
      expect(body.required, path).toEqual(expect.arrayContaining(['items', 'nextCursor']));
    }
  });
});
