import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Cafe24MallRef, ShipmentRegistration } from '../../../src/clients/cafe24/admin-client.js';
import type { Cafe24Connection } from '../../../src/clients/cafe24/connection.js';
import { Cafe24RateLimited, Cafe24Unavailable } from '../../../src/clients/cafe24/errors.js';
import type { MallLinkRow } from '../../../db/schema.js';
import { connectCafe24, createAuthorizedMall, startTestSimulator } from '../../support/cafe24.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

// Tracking numbers onto Cafe24 orders (POST /shipments, GET /orders/{id}/shipments) against the simulator.
const leakPerSecond = 10;

describe('Cafe24 shipments against the simulator', () => {
  let database: TestDatabase;
  let sim: Awaited<ReturnType<typeof startTestSimulator>>['sim'];
  let control: Awaited<ReturnType<typeof startTestSimulator>>['control'];
  let cafe24: Cafe24Connection;
  let link: MallLinkRow;
  let mall: Cafe24MallRef;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sim, control } = await startTestSimulator({ bucket: { leakPerSecond } }));
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

  /** Orders of two items each, paid on one day. */
  async function twoItemOrders(count: number) {
    const variants = (await control.products(link.mall_id)).filter((p) => p.product_bundle !== 'T').flatMap((p) => p.variants).slice(0, 2);
    const orders = await control.addOrders(
      link.mall_id,
      Array.from({ length: count }, () => ({ paidAt: '2026-11-20T10:00:00+09:00', lines: variants.map((v) => ({ variantCode: v.variant_code, quantity: 1 })) })),
    );
    return orders.map((o) => ({ orderId: o.order_id, itemCodes: o.items.map((i) => i.order_item_code) }));
  }

  const registration = (order: { orderId: string; itemCodes: string[] }, trackingNo: string, itemCodes = order.itemCodes): ShipmentRegistration => ({
    orderId: order.orderId,
    orderItemCodes: itemCodes,
    trackingNo,
    shippingCompanyCode: '0006',
  });

  it('registers a bulk of shipments, reads a 207 object by object, and moves the items to N30', async () => {
    const [first, second, cancelled] = await twoItemOrders(3);
    await control.setItemStatus(link.mall_id, cancelled!.orderId, 'C00');
    const outcomes = await cafe24.admin.registerShipments(mall, 1, [registration(first!, '601000000001'), registration(second!, '601000000002'), registration(cancelled!, '601000000003')]);
    expect(outcomes).toEqual([
      { index: 0, outcome: 'created', shipment: expect.objectContaining({ shippingCode: `D-${first!.orderId}-00`, orderId: first!.orderId, trackingNo: '601000000001', shippingCompanyCode: '0006', status: 'shipping', orderItemCodes: first!.itemCodes }) },
      { index: 1, outcome: 'created', shipment: expect.objectContaining({ shippingCode: `D-${second!.orderId}-00` }) },
      { index: 2, outcome: 'failed', scope: 'object', status: 422, code: '422', message: expect.stringContaining('C00') },
    ]);
    expect((await control.stats(link.mall_id))?.byStatus['207']).toBe(1);
    expect((await control.order(link.mall_id, first!.orderId)).items.every((i) => i.order_status === 'N30' && i.tracking_no === '601000000001')).toBe(true);
    expect((await control.order(link.mall_id, cancelled!.orderId)).items.every((i) => i.order_status === 'C00' && i.tracking_no === null)).toBe(true);
    expect((await control.shipments(link.mall_id)).map((s) => s.tracking_no)).toEqual(['601000000001', '601000000002']);
  });

  it('registers 100 shipments in one call and refuses more than 100 before calling', async () => {
    const orders = await twoItemOrders(101);
    const all = orders.map((order, i) => registration(order, `602${String(i).padStart(9, '0')}`));
    await expect(cafe24.admin.registerShipments(mall, 1, all)).rejects.toBeInstanceOf(RangeError);
    expect((await control.stats(link.mall_id))?.byRoute['POST /shipments']).toBeUndefined();
    const outcomes = await cafe24.admin.registerShipments(mall, 1, all.slice(0, 100));
    expect(outcomes.filter((o) => o.outcome === 'created')).toHaveLength(100);
    expect((await control.stats(link.mall_id))?.byRoute['POST /shipments']).toBe(1);
  });

  it('answers the same shipment sent again with already_registered (409), which the read-back confirms', async () => {
    const [order] = await twoItemOrders(1);
    await cafe24.admin.registerShipments(mall, 1, [registration(order!, '603000000001')]);
    const again = await cafe24.admin.registerShipments(mall, 1, [registration(order!, '603000000001')]);
    expect(again).toEqual([{ index: 0, outcome: 'already_registered', status: 409, code: '409', message: expect.stringContaining('already registered') }]);
    expect((await control.stats(link.mall_id))?.byStatus['409']).toBe(1);
    const [shipment, ...rest] = await cafe24.admin.listOrderShipments(mall, 1, order!.orderId);
    expect(rest).toEqual([]);
    expect(shipment).toMatchObject({ shippingCode: `D-${order!.orderId}-00`, trackingNo: '603000000001', shippingCompanyCode: '0006', status: 'shipping', orderItemCodes: order!.itemCodes, trackingNoUpdatedAt: expect.any(String) });
    expect(await control.shipments(link.mall_id)).toHaveLength(1);
  });

  it('registers a partial shipment and its remainder under two shipping codes, and refuses an item shipped already', async () => {
    const [order] = await twoItemOrders(1);
    const [itemA, itemB] = order!.itemCodes;
    const firstBox = await cafe24.admin.registerShipments(mall, 1, [registration(order!, '604000000001', [itemA!])]);
    expect(firstBox[0]).toMatchObject({ outcome: 'created', shipment: { shippingCode: `D-${order!.orderId}-00`, orderItemCodes: [itemA] } });
    const items = (await control.order(link.mall_id, order!.orderId)).items.map((i) => [i.order_item_code, i.order_status]);
    expect(items).toEqual([[itemA, 'N30'], [itemB, 'N10']]);

    const secondBox = await cafe24.admin.registerShipments(mall, 1, [registration(order!, '604000000002', [itemB!]), registration(order!, '604000000003', [itemA!])]);
    expect(secondBox).toEqual([
      { index: 0, outcome: 'created', shipment: expect.objectContaining({ shippingCode: `D-${order!.orderId}-01`, orderItemCodes: [itemB] }) },
      { index: 1, outcome: 'failed', scope: 'object', status: 422, code: '422', message: expect.stringContaining('already N30') },
    ]);
    expect((await cafe24.admin.listOrderShipments(mall, 1, order!.orderId)).map((s) => [s.trackingNo, s.orderItemCodes])).toEqual([
      ['604000000001', [itemA]],
      ['604000000002', [itemB]],
    ]);
  });

  it('fails a registration Cafe24 would refuse without calling, and reads a one-object refusal with its message', async () => {
    const [order, cancelled] = await twoItemOrders(2);
    const local = await cafe24.admin.registerShipments(mall, 1, [
      registration(order!, '6'.repeat(41)),
      { ...registration(order!, '605000000001'), orderItemCodes: [] },
      { ...registration(order!, '605000000002'), orderItemCodes: ['20990101-0000001-01'] },
    ]);
    expect(local.map((o) => [o.outcome, o.outcome === 'failed' ? o.scope : null])).toEqual([
      ['failed', 'local'],
      ['failed', 'local'],
      ['failed', 'local'],
    ]);
    expect((await control.stats(link.mall_id))?.byRoute['POST /shipments']).toBeUndefined();

    await control.setItemStatus(link.mall_id, cancelled!.orderId, 'C40');
    const refused = await cafe24.admin.registerShipments(mall, 1, [registration(cancelled!, '605000000003')]);
    expect(refused).toEqual([{ index: 0, outcome: 'failed', scope: 'object', status: 422, code: '422', message: expect.stringContaining('C40') }]);
    expect((await control.stats(link.mall_id))?.byStatus['422']).toBe(1);
  });

  it('waits out 429 answers, and after too many throws a retryable Cafe24RateLimited with the delay, registering nothing', async () => {
    const [order, other] = await twoItemOrders(2);
    await control.injectFault({ kind: 'rate_limit', count: 2, mallId: link.mall_id, route: 'POST /shipments' });
    expect((await cafe24.admin.registerShipments(mall, 1, [registration(order!, '606000000001')]))[0]).toMatchObject({ outcome: 'created' });
    expect((await control.stats(link.mall_id))?.rateLimitedInjected).toBe(2);

    const impatient = connectCafe24(sim, database.db, { pacing: { drainPerSecond: leakPerSecond }, maxAttempts: 2 });
    try {
      await control.injectFault({ kind: 'rate_limit', count: 2, mallId: link.mall_id, route: 'POST /shipments' });
      const error = await impatient.admin.registerShipments(mall, 1, [registration(other!, '606000000002')]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Cafe24RateLimited);
      expect(error).toMatchObject({ retryable: true, retryAfterMs: expect.any(Number) });
      expect((error as Cafe24RateLimited).retryAfterMs).toBeGreaterThan(0);
    } finally {
      await impatient.close();
    }
    expect((await control.shipments(link.mall_id)).map((s) => s.tracking_no)).toEqual(['606000000001']);
  });

  it('throws a retryable Cafe24Unavailable on a 5xx without repeating the write', async () => {
    const [order] = await twoItemOrders(1);
    await control.injectFault({ kind: 'server_error', status: 503, count: 1, mallId: link.mall_id, route: 'POST /shipments' });
    const error = await cafe24.admin.registerShipments(mall, 1, [registration(order!, '607000000001')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cafe24Unavailable);
    expect(error).toMatchObject({ retryable: true, status: 503 });
    expect((await control.stats(link.mall_id))?.requests).toBe(1);
    expect(await control.shipments(link.mall_id)).toEqual([]);
  });

  it('after a lost answer, reads the registration back, and a resend is answered already_registered: registered once', async () => {
    const [order] = await twoItemOrders(1);
    await control.injectFault({ kind: 'lost_answer', count: 1, mallId: link.mall_id, route: 'POST /shipments' });
    const error = await cafe24.admin.registerShipments(mall, 1, [registration(order!, '608000000001')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cafe24Unavailable);
    expect((await control.stats(link.mall_id))?.lostAnswers).toBe(1);

    const readBack = await cafe24.admin.listOrderShipments(mall, 1, order!.orderId);
    expect(readBack).toEqual([expect.objectContaining({ trackingNo: '608000000001', orderItemCodes: order!.itemCodes })]);
    const resend = await cafe24.admin.registerShipments(mall, 1, [registration(order!, '608000000001')]);
    expect(resend[0]).toMatchObject({ outcome: 'already_registered' });
    expect((await control.shipments(link.mall_id)).filter((s) => s.tracking_no === '608000000001')).toHaveLength(1);
  });

  it('reads each item\'s main invoice, and whether it has shipped, for many orders in one call', async () => {
    const [whole, partial, unshipped] = await twoItemOrders(3);
    await cafe24.admin.registerShipments(mall, 1, [registration(whole!, '609000000001'), registration(partial!, '609000000002', [partial!.itemCodes[1]!])]);
    const before = (await control.stats(link.mall_id))!.requests;

    const { items, calls } = await cafe24.admin.itemShippingById(mall, 1, [whole!.orderId, partial!.orderId, unshipped!.orderId]);
    expect(calls).toBe(1);
    expect((await control.stats(link.mall_id))!.requests - before).toBe(1);
    type State = { trackingNo: string | null; shippingCode: string | null; beforeShipping: boolean };
    const shipped = (trackingNo: string, orderId: string): State => ({ trackingNo, shippingCode: `D-${orderId}-00`, beforeShipping: false });
    const waiting: State = { trackingNo: null, shippingCode: null, beforeShipping: true };
    expect(new Map(items.map(({ orderItemCode, ...state }) => [orderItemCode, state]))).toEqual(
      new Map<string, State>([
        ...whole!.itemCodes.map((code) => [code, shipped('609000000001', whole!.orderId)] as const),
        [partial!.itemCodes[0]!, waiting],
        [partial!.itemCodes[1]!, shipped('609000000002', partial!.orderId)],
        ...unshipped!.itemCodes.map((code) => [code, waiting] as const),
      ]),
    );
  });

  it('lists the mall\'s carriers with the codes to send', async () => {
    expect(await cafe24.admin.listCarriers(mall, 1)).toContainEqual(expect.objectContaining({ shipping_carrier_code: '0006', shipping_carrier: 'CJ대한통운' }));
  });
});
