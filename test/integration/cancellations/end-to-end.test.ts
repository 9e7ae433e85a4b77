import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCancellation } from '../../../src/db/repositories/cancellations.js';
import type { SyncInvoicesResult } from '../../../src/temporal/invoices.js';
import { manualCollectWorkflowId, manualInvoiceSyncWorkflowId, syncInvoicesWorkflowIdPrefix } from '../../../src/temporal/names.js';
import type { CollectOrdersResult } from '../../../src/temporal/collection.js';
import { startCollection } from '../../support/collection-runs.js';
import { fmsRequestsPerOrdNo, ordNoOf, startEndToEnd, startRealPortsWorker, type EndToEnd } from '../../support/end-to-end.js';
import { invoiceSlot, requestedOrders, runInvoiceSync, startInvoiceSync } from '../../support/invoices.js';

/**
 * Cancellations after the FMS request, end to end: real PostgreSQL and Temporal, the worker's own
 * ports, both simulators over HTTP. The invoice sync's cancellation sweep reads the open requests'
 * orders back from Cafe24 and acts by the rule in src/domain/cancellations.ts; the FMS simulator
 * counts every cancel it receives per request and refuses one past ORDER. Each scenario is its own
 * link and FMS customer.
 */
describe('cancellations after the request: end to end', () => {
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

  const outbound = (cstCd: string, slipNo: string) => e2e.fms.control.outbounds(cstCd).find((o) => o.slipNo === slipNo)!;
  const ledger = (ordNo: string) => e2e.database.db.selectFrom('fms_shipment_requests').selectAll().where('ord_no', '=', ordNo).executeTakeFirstOrThrow();

  it('an order cancelled between collection and picking is cancelled in FMS once and never requested again; one cancelled before collection is never requested', async () => {
    const cstCd = 'CXLORDER';
    const { link, orders } = await requestedOrders(e2e, cstCd, [[[0, 1]], [[1, 1]]]);
    const [cancelled, standing] = orders as [(typeof orders)[0], (typeof orders)[0]];
    await e2e.cafe24Control.setItemStatus(link.mall_id, cancelled.orderId, 'C40');

    const first = await runInvoiceSync(e2e, link);
    expect(first).toMatchObject({ status: 'completed', cancellationsExamined: 2, cancellations: { cancelled_in_fms: 1, none: 1 } });
    expect(outbound(cstCd, cancelled.slipNo)).toMatchObject({ wrkStat: 'CANCEL', cancelRequests: 1 });
    expect(outbound(cstCd, standing.slipNo)).toMatchObject({ wrkStat: 'ORDER', cancelRequests: 0 });
    expect(await findCancellation(e2e.database.db, cancelled.ordNo)).toMatchObject({ outcome: 'cancelled_in_fms', fms_code: 'OK', attempts: 1, cancelled_items: cancelled.orderItemCodes });
    expect((await ledger(cancelled.ordNo)).cancelled_at).not.toBeNull();
    const run = await e2e.database.db.selectFrom('invoice_sync_runs').selectAll().where('id', '=', first.invoiceSyncRunId).executeTakeFirstOrThrow();
    expect(run.cancellation_counts).toEqual({ cancelled_in_fms: 1, none: 1 });

    // A later slot leaves it alone, even when the order stands again on Cafe24 and reappears in a
    // window; an order cancelled before its collection is never requested at all.
    expect(await runInvoiceSync(e2e, link)).toMatchObject({ cancellationsExamined: 1, cancellations: { none: 1 } });
    await e2e.cafe24Control.setItemStatus(link.mall_id, cancelled.orderId, 'N10');
    const variantCode = (await e2e.cafe24Control.order(link.mall_id, standing.orderId)).items[0]!.variant_code!;
    const [early] = await e2e.cafe24Control.addOrders(link.mall_id, [{ paidAt: '2026-11-27T01:30:00.000Z', lines: [{ variantCode, quantity: 1 }] }]);
    await e2e.cafe24Control.setItemStatus(link.mall_id, early!.order_id, 'C40');
    const createdBefore = e2e.fms.control.stats().createdOutbounds;
    const handle = await startCollection(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: invoiceSlot, trigger: 'manual' }, `${manualCollectWorkflowId(link.id)}-again`);
    const again = (await handle.result()) as CollectOrdersResult;
    expect(again.counts).toMatchObject({ already_requested: 2, 'not_eligible:cancelled_or_claimed': 1 });
    expect(e2e.fms.control.stats().createdOutbounds).toBe(createdBefore);
    const perOrdNo = fmsRequestsPerOrdNo(e2e, cstCd);
    expect(perOrdNo.get(cancelled.ordNo)).toBe(1);
    expect(perOrdNo.has(ordNoOf(link, early!.order_id))).toBe(false);
    expect(outbound(cstCd, cancelled.slipNo)).toMatchObject({ wrkStat: 'CANCEL', cancelRequests: 1 });
  });

  it('a link with invoice registration off is still watched: its cancelled order is cancelled in FMS once, and nothing is registered on Cafe24', async () => {
    const cstCd = 'CXLWATCH';
    const { link, orders } = await requestedOrders(e2e, cstCd, [[[0, 1]], [[1, 1]]]);
    const [cancelled, shipped] = orders as [(typeof orders)[0], (typeof orders)[0]];
    await e2e.database.db.updateTable('mall_links').set({ invoice_sync_enabled: false }).where('id', '=', link.id).execute();
    e2e.fms.control.shipNow(cstCd, shipped.slipNo);
    await e2e.cafe24Control.setItemStatus(link.mall_id, cancelled.orderId, 'C40');

    const run = await runInvoiceSync(e2e, link);
    expect(run).toMatchObject({ status: 'completed', requestsExamined: 2, itemsSynced: 0, counts: { shipped_not_registered: 1, cancelled_in_fms: 1 }, cancellations: { cancelled_in_fms: 1 } });
    expect(Object.values(run.counts).reduce((sum, n) => sum + (n ?? 0), 0)).toBe(run.requestsExamined);
    expect(outbound(cstCd, cancelled.slipNo)).toMatchObject({ wrkStat: 'CANCEL', cancelRequests: 1 });
    expect(await e2e.cafe24Control.shipments(link.mall_id)).toEqual([]);
    expect((await ledger(shipped.ordNo)).invoice_settled_at).not.toBeNull();
    // Both requests are settled (shipped whole; cancelled in FMS): a later slot finds nothing to do.
    expect(await runInvoiceSync(e2e, link)).toMatchObject({ requestsExamined: 0, cancellationsExamined: 0, counts: {} });
    expect(outbound(cstCd, cancelled.slipNo).cancelRequests).toBe(1);
  });

  it('after picking started, and after shipping, a cancel is too late: flagged with what to do, no cancel sent', async () => {
    const cstCd = 'CXLLATE';
    const { link, orders } = await requestedOrders(e2e, cstCd, [[[0, 1]], [[1, 1]]]);
    const [picking, shipped] = orders as [(typeof orders)[0], (typeof orders)[0]];
    e2e.fms.control.advance(cstCd, picking.slipNo, 'WORKING');
    e2e.fms.control.shipNow(cstCd, shipped.slipNo);
    for (const order of [picking, shipped]) await e2e.cafe24Control.setItemStatus(link.mall_id, order.orderId, 'C40');

    expect(await runInvoiceSync(e2e, link)).toMatchObject({ cancellations: { too_late: 2 } });
    expect(await findCancellation(e2e.database.db, picking.ordNo)).toMatchObject({ outcome: 'too_late', fms_status: 'WORKING', attempts: 0 });
    expect(await findCancellation(e2e.database.db, shipped.ordNo)).toMatchObject({ outcome: 'too_late', fms_status: 'DONE', attempts: 0 });
    for (const order of [picking, shipped]) expect(outbound(cstCd, order.slipNo).cancelRequests).toBe(0);
    // Final: a later slot does not look again.
    expect(await runInvoiceSync(e2e, link)).toMatchObject({ cancellationsExamined: 0 });
  });

  it('FMS refusing a cancel it lists as ORDER ends rejected_by_fms with FMS’s answer, after one cancel', async () => {
    const cstCd = 'CXLREFUSE';
    const { link, orders } = await requestedOrders(e2e, cstCd, [[[0, 1]]]);
    const order = orders[0]!;
    // FMS is picking, but its list still says 출고요청: the cancel is the first to learn otherwise.
    e2e.fms.control.advance(cstCd, order.slipNo, 'WORKING');
    e2e.fms.control.setRawStatus(cstCd, order.slipNo, { wrkStat: '1', wrkStatNm: '출고요청' });
    await e2e.cafe24Control.setItemStatus(link.mall_id, order.orderId, 'C40');

    expect(await runInvoiceSync(e2e, link)).toMatchObject({ cancellations: { rejected_by_fms: 1 } });
    expect(await findCancellation(e2e.database.db, order.ordNo)).toMatchObject({ outcome: 'rejected_by_fms', fms_code: 'CANNOT_CANCEL', attempts: 1 });
    expect(outbound(cstCd, order.slipNo)).toMatchObject({ wrkStat: 'WORKING', cancelRequests: 1 });
    expect((await ledger(order.ordNo)).cancelled_at).toBeNull();
  });

  it('a partial cancel is held for a person; FMS is not touched', async () => {
    const cstCd = 'CXLPART';
    const { link, orders } = await requestedOrders(e2e, cstCd, [[[0, 1], [1, 1]]]);
    const order = orders[0]!;
    const [gone, kept] = order.orderItemCodes as [string, string];
    await e2e.cafe24Control.setItemStatus(link.mall_id, order.orderId, 'C40', [gone]);

    expect(await runInvoiceSync(e2e, link)).toMatchObject({ cancellations: { held: 1 } });
    expect(await findCancellation(e2e.database.db, order.ordNo)).toMatchObject({ outcome: 'held', cancelled_items: [gone], attempts: 0 });
    expect(outbound(cstCd, order.slipNo)).toMatchObject({ wrkStat: 'ORDER', cancelRequests: 0 });

    // Held is looked at again: once the rest is cancelled too, the whole request is cancelled.
    await e2e.cafe24Control.setItemStatus(link.mall_id, order.orderId, 'C40', [kept]);
    expect(await runInvoiceSync(e2e, link)).toMatchObject({ cancellations: { cancelled_in_fms: 1 } });
    expect(outbound(cstCd, order.slipNo)).toMatchObject({ wrkStat: 'CANCEL', cancelRequests: 1 });
  });

  it('a cancel request awaiting the seller waits; rejected by the seller (C11), the request is left alone', async () => {
    const cstCd = 'CXLREJECT';
    const { link, orders } = await requestedOrders(e2e, cstCd, [[[0, 1]]]);
    const order = orders[0]!;
    await e2e.cafe24Control.setItemStatus(link.mall_id, order.orderId, 'C00');
    expect(await runInvoiceSync(e2e, link)).toMatchObject({ cancellations: { wait: 1 } });
    await e2e.cafe24Control.setItemStatus(link.mall_id, order.orderId, 'C11');
    expect(await runInvoiceSync(e2e, link)).toMatchObject({ cancellations: { none: 1 } });

    expect(await findCancellation(e2e.database.db, order.ordNo)).toBeUndefined();
    expect(outbound(cstCd, order.slipNo)).toMatchObject({ wrkStat: 'ORDER', cancelRequests: 0 });
    expect((await ledger(order.ordNo)).cancelled_at).toBeNull();
  });

  it('a lost FMS answer to the cancel is read back: still exactly one cancel', async () => {
    const cstCd = 'CXLLOST';
    const { link, orders } = await requestedOrders(e2e, cstCd, [[[0, 1]]]);
    const order = orders[0]!;
    await e2e.cafe24Control.setItemStatus(link.mall_id, order.orderId, 'C40');
    e2e.fms.control.failNext('lostResponse', 1, 'cancel');

    expect(await runInvoiceSync(e2e, link)).toMatchObject({ cancellations: { cancelled_in_fms: 1 } });
    expect(outbound(cstCd, order.slipNo)).toMatchObject({ wrkStat: 'CANCEL', cancelRequests: 1 });
    expect(await findCancellation(e2e.database.db, order.ordNo)).toMatchObject({ outcome: 'cancelled_in_fms', fms_code: 'CANCEL', attempts: 1 });
    expect((await ledger(order.ordNo)).cancelled_at).not.toBeNull();
  });

  it('a manual run racing a scheduled run of the same mall: each cancelled order is cancelled in FMS once, a standing one never', async () => {
    const cstCd = 'CXLRACE';
    const { link, orders } = await requestedOrders(e2e, cstCd, Array.from({ length: 20 }, (_, i) => [[i % 3, 1]] as [number, number][]));
    const cancelled = orders.filter((_, i) => i % 4 !== 0);
    for (const order of cancelled) await e2e.cafe24Control.setItemStatus(link.mall_id, order.orderId, 'C40');
    // FMS answers slowly, so both runs are sweeping at the same time.
    e2e.fms.control.updateSettings({ faults: { latencyMs: 50 } });
    try {
      const start = (workflowId: string) => startInvoiceSync(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: invoiceSlot, trigger: 'manual' }, workflowId);
      const [scheduled, manual] = await Promise.all([start(`${syncInvoicesWorkflowIdPrefix(link.id)}-race`), start(manualInvoiceSyncWorkflowId(link.id))]);
      const results = (await Promise.all([scheduled.result(), manual.result()])) as SyncInvoicesResult[];
      expect(results.map((r) => r.status)).toEqual(['completed', 'completed']);
    } finally {
      e2e.fms.control.updateSettings({ faults: { latencyMs: 0 } });
    }
    for (const order of orders) {
      const standing = !cancelled.includes(order);
      expect(outbound(cstCd, order.slipNo), order.orderId).toMatchObject(standing ? { wrkStat: 'ORDER', cancelRequests: 0 } : { wrkStat: 'CANCEL', cancelRequests: 1 });
    }
  });
});
