import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCancellation } from '../../../src/db/repositories/cancellations.js';
import { upsertCollectedOrders } from '../../../src/db/repositories/collected-orders.js';
import { ordNoOf } from '../../support/end-to-end.js';
import type { MallLinkRow } from '../../../db/schema.js';
import { createTestApp, json, unreachableTemporal } from '../../support/api.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { adminScope, apiCaller, createTestApiKey, customerScope, type TestApiKey } from '../../support/mall-link-api.js';
import { insertTestMallLink } from '../../support/mall-link-fixtures.js';
import { storedItem, storedOrder } from '../../support/stored-orders.js';

/** GET /v1/mall-links/{id}/cancellations and the cancellation on the order detail, through the HTTP app. */
describe('cancellations API', () => {
  let database: TestDatabase;
  let temporal: ReturnType<typeof unreachableTemporal>;
  let call: ReturnType<typeof apiCaller>;
  let admin: TestApiKey;
  let otherCustomer: TestApiKey;
  let link: MallLinkRow;
  const ordNo = (orderId: string) => ordNoOf(link, orderId);

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = unreachableTemporal();
    call = apiCaller(createTestApp({ db: database.db, temporal: temporal.client }));
    admin = await createTestApiKey(database.db, adminScope);
    otherCustomer = await createTestApiKey(database.db, customerScope('CST999'));
    link = await insertTestMallLink(database.db, { link_start_date: '2026-01-01' });
    const db = database.db;
    const base = { mallLinkId: link.id, shopNo: 1, invoiceSyncRunId: 1 };
    await upsertCollectedOrders(db, link.id, [storedOrder('20261127-0000001', '2026-11-27T01:00:00.000Z', [storedItem('20261127-0000001', 1)])]);
    await recordCancellation(db, { ...base, ordNo: ordNo('20261127-0000001'), orderId: '20261127-0000001', outcome: 'cancelled_in_fms', cancelledItems: ['20261127-0000001-01'], fmsStatus: 'CANCEL', fms: { code: 'OK', message: 'cancelled' } });
    await recordCancellation(db, { ...base, ordNo: ordNo('20261127-0000002'), orderId: '20261127-0000002', outcome: 'too_late', cancelledItems: ['20261127-0000002-01'], fmsStatus: 'DONE' });
    await recordCancellation(db, { ...base, ordNo: ordNo('20261127-0000003'), orderId: '20261127-0000003', outcome: 'held', cancelledItems: ['20261127-0000003-02'], fmsStatus: 'ORDER' });
  });

  afterAll(async () => {
    await temporal?.close();
    await database?.drop();
  });

  it('lists the link’s cancellations with outcome, FMS answer and what a person must do, filtered by outcome', async () => {
    const all = await json(await call('GET', `/v1/mall-links/${link.id}/cancellations`, { key: admin }));
    expect(all.items.map((i: { outcome: string }) => i.outcome)).toEqual(['cancelled_in_fms', 'too_late', 'held']);
    expect(all.items[0]).toMatchObject({ orderId: '20261127-0000001', fmsStatus: 'CANCEL', fmsAnswer: { code: 'OK', message: 'cancelled' }, action: null, resolvedAt: expect.any(String) });
    expect(all.items[1]).toMatchObject({ fmsAnswer: null, action: expect.stringMatching(/^cancelled_after_shipment_started: .*expect a return/), resolvedAt: expect.any(String) });
    expect(all.items[2]).toMatchObject({ cancelledItems: ['20261127-0000003-02'], action: expect.stringMatching(/^partial_cancel_held/), resolvedAt: null });

    const tooLate = await json(await call('GET', `/v1/mall-links/${link.id}/cancellations?outcome=too_late`, { key: admin }));
    expect(tooLate).toEqual({ items: [all.items[1]], nextCursor: null });
    const bad = await call('GET', `/v1/mall-links/${link.id}/cancellations?outcome=gone`, { key: admin });
    expect(bad.status).toBe(422);
    expect((await json(bad)).errors[0].path).toBe('query.outcome');
    expect((await call('GET', `/v1/mall-links/${link.id}/cancellations`, { key: otherCustomer })).status).toBe(404);
    expect((await call('GET', `/v1/mall-links/${link.id}/cancellations`)).status).toBe(401);
  });

  it('shows the cancellation on the order detail', async () => {
    const order = await json(await call('GET', `/v1/mall-links/${link.id}/orders/20261127-0000001`, { key: admin }));
    expect(order.cancellation).toMatchObject({ ordNo: ordNo('20261127-0000001'), outcome: 'cancelled_in_fms', fmsAnswer: { code: 'OK' } });
  });

  it('documents the route with its real status codes', async () => {
    const spec = await json(await call('GET', '/openapi.json'));
    expect(Object.keys(spec.paths['/v1/mall-links/{id}/cancellations'].get.responses).sort()).toEqual(['200', '401', '404', '422']);
    expect(spec.components.schemas.OrderTrail.properties).toHaveProperty('cancellation');
  });
});
