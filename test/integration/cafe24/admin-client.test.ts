import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Cafe24Connection } from '../../../src/clients/cafe24/connection.js';
import { Cafe24NotFound, Cafe24RateLimited, Cafe24Unavailable, Cafe24WindowTooLarge } from '../../../src/clients/cafe24/errors.js';
import type { Cafe24MallRef } from '../../../src/clients/cafe24/admin-client.js';
import type { MallLinkRow } from '../../../db/schema.js';
import { connectCafe24, createAuthorizedMall, startTestSimulator } from '../../support/cafe24.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

// The simulator's bucket drains 10/s here (Cafe24: 2/s) and the client is told so, to keep the suite short.
const leakPerSecond = 10;

describe('Cafe24 Admin API client against the simulator', () => {
  let database: TestDatabase;
  let sim: Awaited<ReturnType<typeof startTestSimulator>>['sim'];
  let control: Awaited<ReturnType<typeof startTestSimulator>>['control'];
  let cafe24: Cafe24Connection;
  let link: MallLinkRow;
  let mall: Cafe24MallRef;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sim, control } = await startTestSimulator({ bucket: { leakPerSecond }, productCount: 240 }));
    cafe24 = connectCafe24(sim, database.db, { pacing: { drainPerSecond: leakPerSecond }, backoffMs: 20 });
  });
  afterAll(async () => {
    await cafe24?.close();
    await sim?.stop();
    await database?.drop();
  });
  beforeEach(async () => {
    ({ link, mall } = await createAuthorizedMall(database.db, sim, cafe24));
    await control.reset();
  });

  it('pages across more than 1000 orders without passing limit 1000, each order once', async () => {
    await control.generateOrders(link.mall_id, { count: 2500, from: '2026-11-01T00:00:00+09:00', to: '2026-11-06T00:00:00+09:00' });
    const orders = await cafe24.admin.listPaidOrders(mall, { shopNo: 1, window: { from: '2026-11-01', to: '2026-11-05' }, statuses: ['N10'] });
    expect(orders).toHaveLength(2500);
    expect(new Set(orders.map((o) => o.orderId)).size).toBe(2500);
    const stats = await control.stats(link.mall_id);
    expect(stats?.maxLimit).toBe(1000);
    expect(stats?.byRoute['GET /orders']).toBe(3);
    expect(stats?.byStatus['422']).toBeUndefined();
  });

  it('splits a window holding more than 15000 orders so no query passes offset 15000', async () => {
    await control.generateOrders(link.mall_id, { count: 15500, from: '2026-10-01T00:00:00+09:00', to: '2026-10-05T00:00:00+09:00' });
    expect(await cafe24.admin.countOrders(mall, { shopNo: 1, window: { from: '2026-10-01', to: '2026-10-04' } })).toBe(15500);
    await control.reset();
    const orders = await cafe24.admin.listPaidOrders(mall, { shopNo: 1, window: { from: '2026-10-01', to: '2026-10-04' } });
    expect(new Set(orders.map((o) => o.orderId)).size).toBe(15500);
    const stats = await control.stats(link.mall_id);
    expect(stats?.maxOffset).toBeLessThanOrEqual(15000);
    // The whole window, then its two halves, were counted.
    expect(stats?.byRoute['GET /orders/count']).toBe(3);
    expect(stats?.byStatus['422']).toBeUndefined();
  }, 120_000);

  it('refuses, with a typed error, a single day holding more orders than a date-only query can page through', async () => {
    await control.generateOrders(link.mall_id, { count: 15001, from: '2026-09-01T00:00:00+09:00', to: '2026-09-01T23:00:00+09:00' });
    const error = await cafe24.admin.listPaidOrders(mall, { shopNo: 1, window: { from: '2026-09-01', to: '2026-09-01' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cafe24WindowTooLarge);
    expect((await control.stats(link.mall_id))?.byRoute['GET /orders']).toBeUndefined();
  }, 60_000);

  it('cuts a window longer than 3 months into queries Cafe24 accepts', async () => {
    await control.generateOrders(link.mall_id, { count: 70, from: '2026-01-10T00:00:00+09:00', to: '2026-08-20T00:00:00+09:00' });
    const orders = await cafe24.admin.listPaidOrders(mall, { shopNo: 1, window: { from: '2026-01-01', to: '2026-08-31' } });
    expect(orders).toHaveLength(70);
    expect((await control.stats(link.mall_id))?.byStatus['422']).toBeUndefined();
  });

  it('maps orders into the stored shape: items, bundles, option types, receiver and buyer', async () => {
    const products = await control.products(link.mall_id);
    const bundle = products.find((p) => p.product_bundle === 'T')!;
    const linked = products.find((p) => p.option_type === 'E')!;
    const [created] = await control.addOrders(link.mall_id, [
      { paidAt: '2026-11-10T10:00:00+09:00', lines: [{ variantCode: bundle.variants[0]!.variant_code, quantity: 2 }, { variantCode: linked.variants[0]!.variant_code, quantity: 1 }] },
    ]);
    const [order] = await cafe24.admin.listPaidOrders(mall, { shopNo: 1, window: { from: '2026-11-10', to: '2026-11-10' } });
    expect(order).toMatchObject({
      orderId: created!.order_id,
      shopNo: 1,
      paid: true,
      canceled: 'F',
      paidAt: '2026-11-10T01:00:00.000Z',
      receiver: { name: created!.receivers[0]!.name, zipcode: created!.receivers[0]!.zipcode },
      buyer: { name: (created!.buyer as { name: string }).name },
    });
    expect(order!.items[0]).toMatchObject({
      orderItemCode: `${created!.order_id}-01`,
      variantCode: bundle.variants[0]!.variant_code,
      quantity: 2,
      status: 'N10',
      bundle: { kind: 'C', components: bundle.bundle_components.map((c) => ({ variantCode: c.variant_code, quantity: c.quantity })) },
      hasOpenClaim: false,
    });
    expect(order!.items[1]).toMatchObject({ optionType: 'E', bundle: null });
  });

  it('keeps the bucket below 40 at normal pace: no 429 across 80 concurrent calls', async () => {
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 10; i++) await cafe24.admin.listShops(mall);
    }));
    const stats = await control.stats(link.mall_id);
    expect(stats?.byStatus['200']).toBe(80);
    expect(stats?.rateLimitedByBucket).toBe(0);
    expect(stats?.maxBucketLevel).toBeLessThan(40);
  });

  it('recovers from an injected 429 storm without overflowing the bucket', async () => {
    await control.injectFault({ kind: 'rate_limit', count: 4, mallId: link.mall_id });
    for (let i = 0; i < 10; i++) expect(await cafe24.admin.listCarriers(mall)).toContainEqual(expect.objectContaining({ shipping_carrier_code: '0006' }));
    const stats = await control.stats(link.mall_id);
    expect(stats?.rateLimitedInjected).toBe(4);
    expect(stats?.rateLimitedByBucket).toBe(0);
    expect(stats?.byStatus['200']).toBe(10);
  });

  it('gives up on a long 429 storm with a retryable Cafe24RateLimited carrying the delay', async () => {
    const impatient = connectCafe24(sim, database.db, { pacing: { drainPerSecond: leakPerSecond }, maxAttempts: 2 });
    try {
      await control.injectFault({ kind: 'rate_limit', count: 2, mallId: link.mall_id });
      const error = await impatient.admin.listShops(mall).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Cafe24RateLimited);
      expect((error as Cafe24RateLimited).retryable).toBe(true);
      expect((error as Cafe24RateLimited).retryAfterMs).toBeGreaterThan(0);
    } finally {
      await impatient.close();
    }
  });

  it('retries reads through 5xx, dropped connections and malformed bodies', async () => {
    await control.injectFault({ kind: 'server_error', status: 503, count: 1, mallId: link.mall_id });
    await control.injectFault({ kind: 'drop', count: 1, mallId: link.mall_id });
    await control.injectFault({ kind: 'malformed', count: 1, mallId: link.mall_id });
    expect((await cafe24.admin.listShops(mall)).map((s) => s.shop_no)).toEqual([1, 2]);
  });

  it('times out a hung call and retries the read', async () => {
    const hasty = connectCafe24(sim, database.db, { pacing: { drainPerSecond: leakPerSecond }, backoffMs: 20 }, { CAFE24_HTTP_TIMEOUT_MS: '300' });
    try {
      await control.injectFault({ kind: 'latency', latencyMs: 1500, count: 1, mallId: link.mall_id });
      expect(await hasty.admin.listShops(mall)).toHaveLength(2);
      // The hung call and the retry both reached the simulator.
      expect((await control.stats(link.mall_id))?.requests).toBe(2);
    } finally {
      await hasty.close();
    }
  });

  it('does not blindly repeat a write after a dropped connection, and says it is retryable', async () => {
    await control.injectFault({ kind: 'drop', count: 1, mallId: link.mall_id });
    const error = await cafe24.admin.changeOrderStatus(mall, 1, [{ orderId: '20261101-0000001', processStatus: 'prepare' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cafe24Unavailable);
    expect((error as Cafe24Unavailable).retryable).toBe(true);
  });

  it('maps 404 to a typed non-retryable error', async () => {
    const error = await cafe24.admin.listVariants(mall, 1, 999999).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cafe24NotFound);
    expect((error as Cafe24NotFound).retryable).toBe(false);
  });

  it('refreshes once on a 401 and retries the call', async () => {
    await control.expireAccessTokens(link.mall_id);
    expect(await cafe24.admin.listShops(mall)).toHaveLength(2);
    const stats = await control.stats(link.mall_id);
    expect(stats?.tokenRefreshes).toBe(1);
    expect(stats?.invalidAccessToken).toBe(1);
  });

  it('changes order status in chunks of 100 and reads per-object results', async () => {
    const generated = await control.generateOrders(link.mall_id, { count: 100, from: '2026-11-12T00:00:00+09:00', to: '2026-11-13T00:00:00+09:00' });
    const more = await control.generateOrders(link.mall_id, { count: 50, from: '2026-11-13T00:00:00+09:00', to: '2026-11-14T00:00:00+09:00' });
    const ids = [...generated.orderIds!, ...more.orderIds!];
    const outcomes = await cafe24.admin.changeOrderStatus(mall, 1, [...ids.map((orderId) => ({ orderId, processStatus: 'prepare' as const })), { orderId: '20991231-0000001', processStatus: 'prepare' }]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(150);
    expect(outcomes[150]).toMatchObject({ index: 150, ok: false, status: 404, alreadyApplied: false });
    expect((await control.stats(link.mall_id))?.byRoute['PUT /orders']).toBe(2);
    expect((await control.order(link.mall_id, ids[0]!)).items.every((i) => i.order_status === 'N20')).toBe(true);
    const again = await cafe24.admin.changeOrderStatus(mall, 1, [{ orderId: ids[0]!, processStatus: 'prepare' }]);
    expect(again[0]).toMatchObject({ ok: false, status: 409, alreadyApplied: true });
  });

  it('reads orders back by id: one call per order day and 100 ids, their items’ current status, unknown ids absent', async () => {
    const day1 = await control.generateOrders(link.mall_id, { count: 100, from: '2026-11-12T00:00:00+09:00', to: '2026-11-12T12:00:00+09:00' });
    const day1More = await control.generateOrders(link.mall_id, { count: 50, from: '2026-11-12T12:00:00+09:00', to: '2026-11-13T00:00:00+09:00' });
    const day2 = await control.generateOrders(link.mall_id, { count: 2, from: '2026-11-20T00:00:00+09:00', to: '2026-11-21T00:00:00+09:00' });
    const ids = [...day1.orderIds!, ...day1More.orderIds!, ...day2.orderIds!];
    await control.setItemStatus(link.mall_id, ids[0]!, 'C40');
    const orders = await cafe24.admin.ordersById(mall, 1, [...ids, '20261112-9999999']);
    expect(orders.map((o) => o.orderId).sort()).toEqual([...ids].sort());
    expect(orders.find((o) => o.orderId === ids[0])!.items.every((i) => i.status === 'C40' && i.hasOpenClaim)).toBe(true);
    expect(orders.find((o) => o.orderId === ids[1])!.items.every((i) => i.status === 'N10')).toBe(true);
    expect(orders[0]!.receiver).toBeNull();
    expect((await control.stats(link.mall_id))?.byRoute['GET /orders']).toBe(3);
  });

  it('lists products past the offset cap with since_product_no, filtered by display/selling, with variants', async () => {
    const all = await control.products(link.mall_id);
    const pages = [];
    for await (const page of cafe24.admin.productPages(mall, { shopNo: 1, display: 'T', selling: 'T', withVariants: true })) pages.push(page);
    const listed = pages.flat();
    expect(pages.length).toBeGreaterThan(1);
    expect(listed.map((p) => p.product_no)).toEqual(all.filter((p) => p.display === 'T' && p.selling === 'T').map((p) => p.product_no));
    expect(listed.every((p) => (p.variants?.length ?? 0) > 0)).toBe(true);
    const product = listed.find((p) => p.option_type === 'C' || p.option_type === 'S')!;
    expect((await cafe24.admin.listVariants(mall, 1, product.product_no)).map((v) => v.variant_code)).toEqual(all.find((p) => p.product_no === product.product_no)!.variants.map((v) => v.variant_code));
  });
});
