import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncInvoicesResult } from '../../../src/temporal/invoices.js';
import { manualInvoiceSyncWorkflowId } from '../../../src/temporal/names.js';
import { startEndToEnd, type EndToEnd } from '../../support/end-to-end.js';
import { invoiceSlot, requestedOrders, startInvoiceSync, trackingNumbersPerItem } from '../../support/invoices.js';
import { until } from '../../support/wait.js';
import { crashRecoveryBoundMs, recoveryAfterKill, workerProcesses } from '../../support/worker-processes.js';

const orderCount = 300;

describe('syncInvoices end to end: the worker process killed with SIGKILL between two Cafe24 calls', () => {
  let e2e: EndToEnd;
  const workers = workerProcesses(() => e2e);

  beforeAll(async () => {
    e2e = await startEndToEnd();
  });

  afterAll(async () => {
    await workers.stopAll();
    await e2e?.close();
  });

  it('a new worker finishes the run: every shipped item carries its tracking number exactly once', { timeout: 240_000 }, async () => {
    const cstCd = 'INVCRASH';
    const first = await workers.start('worker-1');
    const { link, orders } = await requestedOrders(e2e, cstCd, Array.from({ length: orderCount }, (_, i) => [[i % 3, 1]] as [number, number][]));
    for (const order of orders) e2e.fms.control.shipNow(cstCd, order.slipNo);
    // Cafe24 answers each registration slowly, so a call is most likely in flight when the worker dies.
    await e2e.cafe24Control.injectFault({ kind: 'latency', latencyMs: 2_000, mallId: link.mall_id, route: 'POST /shipments', count: 10 });

    const handle = await startInvoiceSync(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: invoiceSlot, trigger: 'manual' }, manualInvoiceSyncWorkflowId(link.id));
    await until(async () => (await e2e.cafe24Control.shipments(link.mall_id)).length >= 100, 'the first Cafe24 registrations', 120_000);
    process.kill(-first.process.pid!, 'SIGKILL');
    const killedAt = Date.now();
    expect(await first.exited).toBe('signal SIGKILL');
    const registeredBeforeRestart = (await e2e.cafe24Control.shipments(link.mall_id)).length;
    expect(registeredBeforeRestart).toBeLessThan(orderCount);

    const second = await workers.start('worker-2');
    // The killed activity's heartbeat times out and its retry runs on the new worker within 30 s.
    expect(await recoveryAfterKill(handle, second, { killedAt, startedAt: Date.now() }, 'invoice registration')).toBeLessThan(crashRecoveryBoundMs);
    const result = (await handle.result()) as SyncInvoicesResult;

    expect(result).toMatchObject({ status: 'completed', requestsExamined: orderCount, counts: { synced: orderCount } });
    const perItem = trackingNumbersPerItem(await e2e.cafe24Control.shipments(link.mall_id));
    const fmsInvoice = new Map(e2e.fms.control.outbounds(cstCd).map((o) => [o.slipNo, o.invoiceNos]));
    expect(perItem.size).toBe(orderCount);
    for (const order of orders) expect(perItem.get(order.orderItemCodes[0]!), order.orderId).toEqual(fmsInvoice.get(order.slipNo));
    // Whether the call in flight at the kill reached Cafe24 or not, the orders' items told: no order was read one by one.
    expect((await e2e.cafe24Control.stats(link.mall_id))?.byRoute['GET /orders/{order_id}/shipments']).toBeUndefined();
    const ledger = await e2e.database.db.selectFrom('invoice_registrations').select('status').where('mall_link_id', '=', link.id).execute();
    expect(ledger.filter((r) => r.status === 'synced')).toHaveLength(orderCount);
  });
});
