import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncInvoicesResult } from '../../../src/temporal/invoices.js';
import { manualInvoiceSyncWorkflowId } from '../../../src/temporal/names.js';
import { startEndToEnd, type EndToEnd } from '../../support/end-to-end.js';
import { invoiceSlot, requestedOrders, startInvoiceSync } from '../../support/invoices.js';
import { until } from '../../support/wait.js';
import { crashRecoveryBoundMs, recoveryAfterKill, workerProcesses } from '../../support/worker-processes.js';

const orderCount = 150;

describe('cancellation sweep end to end: the worker process killed with SIGKILL between two FMS cancels', () => {
  let e2e: EndToEnd;
  const workers = workerProcesses(() => e2e);

  beforeAll(async () => {
    e2e = await startEndToEnd();
  });

  afterAll(async () => {
    await workers.stopAll();
    await e2e?.close();
  });

  it('a new worker finishes the sweep: every cancelled order is cancelled in FMS exactly once, and the run counts each once', { timeout: 240_000 }, async () => {
    const cstCd = 'CXLCRASH';
    const first = await workers.start('worker-1');
    const { link, orders } = await requestedOrders(e2e, cstCd, Array.from({ length: orderCount }, (_, i) => [[i % 3, 1]] as [number, number][]));
    for (const order of orders) await e2e.cafe24Control.setItemStatus(link.mall_id, order.orderId, 'C40');
    // FMS answers slowly, so a cancel is most likely in flight when the worker dies.
    e2e.fms.control.updateSettings({ faults: { latencyMs: 200 } });
    const cancelledInFms = () => e2e.fms.control.outbounds(cstCd).filter((o) => o.wrkStat === 'CANCEL').length;

    const handle = await startInvoiceSync(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: invoiceSlot, trigger: 'manual' }, manualInvoiceSyncWorkflowId(link.id));
    await until(() => cancelledInFms() >= 20, 'the first FMS cancels', 120_000);
    process.kill(-first.process.pid!, 'SIGKILL');
    const killedAt = Date.now();
    expect(await first.exited).toBe('signal SIGKILL');
    const cancelledBeforeRestart = cancelledInFms();
    expect(cancelledBeforeRestart).toBeLessThan(orderCount);

    e2e.fms.control.updateSettings({ faults: { latencyMs: 0 } });
    const second = await workers.start('worker-2');
    // The killed activity's heartbeat times out and its retry runs on the new worker within 30 s.
    expect(await recoveryAfterKill(handle, second, { killedAt, startedAt: Date.now() }, 'cancellation sweep')).toBeLessThan(crashRecoveryBoundMs);
    const result = (await handle.result()) as SyncInvoicesResult;

    expect(result).toMatchObject({ status: 'completed', cancellationsExamined: orderCount, cancellations: { cancelled_in_fms: orderCount } });
    for (const outbound of e2e.fms.control.outbounds(cstCd)) expect(outbound, outbound.ordNo).toMatchObject({ wrkStat: 'CANCEL', cancelRequests: 1 });
    const rows = await e2e.database.db.selectFrom('cancellations').select(['outcome', 'attempts']).where('mall_link_id', '=', link.id).execute();
    expect(rows).toHaveLength(orderCount);
    // attempts counts cancels marked as sent: 2 when the worker died after marking one and before sending it.
    expect(rows.every((r) => r.outcome === 'cancelled_in_fms' && r.attempts >= 1)).toBe(true);
  });
});
