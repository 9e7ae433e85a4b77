import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putCarrierMapping } from '../../../src/db/repositories/carrier-mappings.js';
import { findInvoiceRegistrationsOfOrder } from '../../../src/db/repositories/invoice-registrations.js';
import { startEndToEnd, startRealPortsWorker, type EndToEnd } from '../../support/end-to-end.js';
import type { SyncInvoicesResult } from '../../../src/temporal/invoices.js';
import { decodedHistoryText } from '../../support/collection-runs.js';
import { invoiceSlot, requestedOrders, runInvoiceSync, startInvoiceSync, trackingNumbersPerItem } from '../../support/invoices.js';

/**
 * Invoice sync end to end: real PostgreSQL and Temporal, the worker's own ports, the FMS simulator
 * answering in FASSTO's form (wrkStat codes, carrier codes) and the Cafe24 simulator recording
 * every shipment it registers. Each scenario is its own link and FMS customer.
 */
describe('syncInvoices end to end: FMS shipments reach Cafe24 exactly once', () => {
  let e2e: EndToEnd;
  let worker: { stop(): Promise<void> };

  beforeAll(async () => {
    e2e = await startEndToEnd();
    worker = await startRealPortsWorker(e2e);
  });

  afterAll(async () => {
    await worker?.stop();
    await e2e?.close();
  });

  /** FMS's invoice numbers of a request, box by box. */
  const fmsInvoices = (cstCd: string, slipNo: string) => e2e.fms.control.outbounds(cstCd).find((o) => o.slipNo === slipNo)!.invoiceNos;

  it('full shipments: each item gets its request’s tracking number once; unshipped requests wait; a second run sends nothing', async () => {
    const cstCd = 'INVFULL';
    const { link, orders } = await requestedOrders(e2e, cstCd, [[[0, 1]], [[1, 2]], [[0, 1], [1, 1]], [[2, 1]]]);
    const [a, b, c, waiting] = orders as [(typeof orders)[0], (typeof orders)[0], (typeof orders)[0], (typeof orders)[0]];
    for (const order of [a, b, c]) e2e.fms.control.shipNow(cstCd, order.slipNo);

    const handle = await startInvoiceSync(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: invoiceSlot, trigger: 'manual' });
    const first = (await handle.result()) as SyncInvoicesResult;
    expect(first).toMatchObject({ status: 'completed', outcome: 'synced', requestsExamined: 4, itemsSynced: 4, itemsRejected: 0, counts: { synced: 3, not_shipped: 1 } });
    // Only ids, codes and counts pass through history: no tracking number, no buyer.
    const historyText = decodedHistoryText(await handle.fetchHistory());
    const receiver = (await e2e.cafe24Control.order(link.mall_id, a.orderId)).receivers[0]!;
    for (const secret of [...fmsInvoices(cstCd, a.slipNo), String(receiver.name), String(receiver.address1)]) expect(historyText).not.toContain(secret);

    const perItem = trackingNumbersPerItem(await e2e.cafe24Control.shipments(link.mall_id));
    for (const order of [a, b, c]) {
      for (const item of order.orderItemCodes) expect(perItem.get(item), item).toEqual(fmsInvoices(cstCd, order.slipNo));
    }
    expect(perItem.has(waiting.orderItemCodes[0]!)).toBe(false);
    expect((await e2e.cafe24Control.order(link.mall_id, a.orderId)).items.map((i) => i.order_status)).toEqual(['N30']);
    const request = await e2e.database.db.selectFrom('fms_shipment_requests').selectAll().where('ord_no', '=', a.ordNo).executeTakeFirstOrThrow();
    expect(request).toMatchObject({ fms_status: 'DONE', fms_status_raw: '3 출고완료', invoices: [{ invoiceNo: fmsInvoices(cstCd, a.slipNo)[0], carrierKey: expect.any(String) }] });
    expect(request.invoice_settled_at).not.toBeNull();

    // Settled requests are not read again; the waiting one ships later and is registered then.
    const second = await runInvoiceSync(e2e, link);
    expect(second).toMatchObject({ requestsExamined: 1, itemsSynced: 0, counts: { not_shipped: 1 } });
    e2e.fms.control.shipNow(cstCd, waiting.slipNo);
    const third = await runInvoiceSync(e2e, link);
    expect(third).toMatchObject({ requestsExamined: 1, itemsSynced: 1, counts: { synced: 1 } });
    const shipments = await e2e.cafe24Control.shipments(link.mall_id);
    expect(shipments).toHaveLength(4);
    expect(new Set(shipments.map((s) => s.tracking_no)).size).toBe(4);
  });

  it('a partial shipment registers only the items FMS shipped; the rest are registered when they ship, under their own number', async () => {
    const cstCd = 'INVPART';
    const { link, orders } = await requestedOrders(e2e, cstCd, [[[0, 1], [1, 1]]]);
    const order = orders[0]!;
    const [first, second] = order.orderItemCodes as [string, string];
    e2e.fms.control.shipPartially(cstCd, order.slipNo, ['G001']);

    expect(await runInvoiceSync(e2e, link)).toMatchObject({ itemsSynced: 1, counts: { partially_synced: 1 } });
    const [box1] = fmsInvoices(cstCd, order.slipNo) as [string];
    let perItem = trackingNumbersPerItem(await e2e.cafe24Control.shipments(link.mall_id));
    expect(perItem.get(first)).toEqual([box1]);
    expect(perItem.has(second)).toBe(false);

    e2e.fms.control.shipNow(cstCd, order.slipNo);
    expect(await runInvoiceSync(e2e, link)).toMatchObject({ itemsSynced: 1, counts: { synced: 1 } });
    const box2 = fmsInvoices(cstCd, order.slipNo).find((no) => no !== box1)!;
    perItem = trackingNumbersPerItem(await e2e.cafe24Control.shipments(link.mall_id));
    expect(Object.fromEntries(perItem)).toEqual({ [first]: [box1], [second]: [box2] });
  });

  it('an unmapped carrier holds the invoice with its reason; the first run after the mapping exists registers it', async () => {
    const cstCd = 'INVCARR';
    const { link, orders } = await requestedOrders(e2e, cstCd, [[[0, 1]]]);
    const order = orders[0]!;
    expect(e2e.fms.control.setCarrier(cstCd, order.slipNo, { code: '77', name: '번개택배' })).toBe(true);
    e2e.fms.control.shipNow(cstCd, order.slipNo);

    expect(await runInvoiceSync(e2e, link)).toMatchObject({ itemsSynced: 0, counts: { 'held:unknown_carrier': 1 } });
    expect(await e2e.cafe24Control.shipments(link.mall_id)).toEqual([]);
    expect(await findInvoiceRegistrationsOfOrder(e2e.database.db, link.id, order.orderId)).toMatchObject([{ status: 'held', reason: 'unknown_carrier', fms_carrier_key: '77' }]);

    await putCarrierMapping(e2e.database.db, '77', { carrierName: '번개택배', cafe24ShippingCompanyCode: '0001', confirmed: true, note: null, updatedByKeyId: null });
    expect(await runInvoiceSync(e2e, link)).toMatchObject({ itemsSynced: 1, counts: { synced: 1 } });
    const shipments = await e2e.cafe24Control.shipments(link.mall_id);
    expect(shipments).toMatchObject([{ order_id: order.orderId, shipping_company_code: '0001', tracking_no: fmsInvoices(cstCd, order.slipNo)[0] }]);
  });

  it('an order cancelled on Cafe24 before its invoice ends rejected with Cafe24’s message and is never sent again', async () => {
    const cstCd = 'INVCANC';
    const { link, orders } = await requestedOrders(e2e, cstCd, [[[0, 1]], [[1, 1]]]);
    const [cancelled, shipped] = orders as [(typeof orders)[0], (typeof orders)[0]];
    for (const order of orders) e2e.fms.control.shipNow(cstCd, order.slipNo);
    await e2e.cafe24Control.setItemStatus(link.mall_id, cancelled.orderId, 'C40');

    expect(await runInvoiceSync(e2e, link)).toMatchObject({ itemsSynced: 1, itemsRejected: 1, counts: { synced: 1, rejected: 1 } });
    const [registration] = await findInvoiceRegistrationsOfOrder(e2e.database.db, link.id, cancelled.orderId);
    expect(registration).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/.+/) });
    expect((await e2e.cafe24Control.shipments(link.mall_id)).map((s) => s.order_id)).toEqual([shipped.orderId]);
    // A cancelled item says nothing of the registration on the order list: refused counts only once the order's shipments show it is not there.
    expect((await e2e.cafe24Control.stats(link.mall_id))?.byRoute['GET /orders/{order_id}/shipments']).toBe(1);

    // Refused is final: the request is settled and no later run sends it again.
    expect(await runInvoiceSync(e2e, link)).toMatchObject({ requestsExamined: 0, itemsSynced: 0, itemsRejected: 0, counts: {} });
    expect(await e2e.cafe24Control.shipments(link.mall_id)).toHaveLength(1);
  });

  it('a 429 storm and lost Cafe24 answers: every tracking number is registered once, lost ones found by reading the order back', async () => {
    const cstCd = 'INVFAULT';
    const { link, orders } = await requestedOrders(e2e, cstCd, Array.from({ length: 12 }, (_, i) => [[i % 3, 1]] as [number, number][]));
    for (const order of orders) e2e.fms.control.shipNow(cstCd, order.slipNo);
    await e2e.cafe24Control.injectFault({ kind: 'rate_limit', mallId: link.mall_id, count: 6 });
    await e2e.cafe24Control.injectFault({ kind: 'lost_answer', mallId: link.mall_id, route: 'POST /shipments', count: 1 });

    const result = await runInvoiceSync(e2e, link);
    expect(result).toMatchObject({ status: 'completed', requestsExamined: 12, itemsSynced: 12, itemsRejected: 0, counts: { synced: 12 } });
    const stats = await e2e.cafe24Control.stats(link.mall_id);
    expect(stats).toMatchObject({ lostAnswers: 1, rateLimitedInjected: 6 });
    // The lost batch was found from its items' tracking numbers, without reading any order's shipments.
    expect(stats?.byRoute['GET /orders/{order_id}/shipments']).toBeUndefined();
    const perItem = trackingNumbersPerItem(await e2e.cafe24Control.shipments(link.mall_id));
    expect(perItem.size).toBe(12);
    for (const order of orders) expect(perItem.get(order.orderItemCodes[0]!)).toEqual(fmsInvoices(cstCd, order.slipNo));
    const registrations = await e2e.database.db.selectFrom('invoice_registrations').select(['status']).where('mall_link_id', '=', link.id).execute();
    expect(registrations.every((r) => r.status === 'synced')).toBe(true);
  });

  it('a registration call dropped before Cafe24 carried it out: the orders\' items show it missing and it is sent once more', async () => {
    const cstCd = 'INVDROP';
    const { link, orders } = await requestedOrders(e2e, cstCd, Array.from({ length: 30 }, (_, i) => [[i % 3, 1]] as [number, number][]));
    for (const order of orders) e2e.fms.control.shipNow(cstCd, order.slipNo);
    await e2e.cafe24Control.injectFault({ kind: 'drop', mallId: link.mall_id, route: 'POST /shipments', count: 1 });

    expect(await runInvoiceSync(e2e, link)).toMatchObject({ status: 'completed', itemsSynced: 30, itemsRejected: 0, counts: { synced: 30 } });
    const stats = (await e2e.cafe24Control.stats(link.mall_id))!;
    // The dropped call is counted among the requests but under no route (as are token calls); the one that carried it out is.
    const routed = Object.values(stats.byRoute).reduce((sum, n) => sum + n, 0);
    expect(stats.requests - routed - stats.rateLimitedByBucket - stats.tokenExchanges - stats.tokenRefreshes).toBe(1);
    expect(stats.byRoute['POST /shipments']).toBe(1);
    // Absence read off the orders' items: no order's shipments were read one by one.
    expect(stats.byRoute['GET /orders/{order_id}/shipments']).toBeUndefined();
    const perItem = trackingNumbersPerItem(await e2e.cafe24Control.shipments(link.mall_id));
    expect(perItem.size).toBe(30);
    for (const order of orders) expect(perItem.get(order.orderItemCodes[0]!)).toEqual(fmsInvoices(cstCd, order.slipNo));
  });

  it('a call of several shipments Cafe24 refuses as a whole is split: each is sent on its own, registered once, and every call counted', async () => {
    const cstCd = 'INVSPLIT';
    const { link, orders } = await requestedOrders(e2e, cstCd, [[[0, 1]], [[1, 1]], [[2, 1]]]);
    for (const order of orders) e2e.fms.control.shipNow(cstCd, order.slipNo);
    await e2e.cafe24Control.injectFault({ kind: 'server_error', status: 422, mallId: link.mall_id, route: 'POST /shipments', count: 1 });

    const result = await runInvoiceSync(e2e, link);
    // The refused call and one call per shipment; nothing was lost, so nothing is read back.
    expect(result).toMatchObject({ status: 'completed', itemsSynced: 3, counts: { synced: 3 }, cafe24Calls: 4 });
    expect((await e2e.cafe24Control.stats(link.mall_id))!.byRoute['POST /shipments']).toBe(3);
    const perItem = trackingNumbersPerItem(await e2e.cafe24Control.shipments(link.mall_id));
    for (const order of orders) expect(perItem.get(order.orderItemCodes[0]!)).toEqual(fmsInvoices(cstCd, order.slipNo));
  });
});
