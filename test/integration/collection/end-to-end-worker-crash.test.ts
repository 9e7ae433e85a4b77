import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceProductLink } from '../../../src/db/repositories/product-links.js';
import { manualCollectWorkflowId } from '../../../src/temporal/names.js';
import type { CollectOrdersResult } from '../../../src/temporal/collection.js';
import { startCollection } from '../../support/collection-runs.js';
import { createInstalledLink, fmsRequestsPerOrdNo, ordNoOf, startEndToEnd, type EndToEnd } from '../../support/end-to-end.js';
import { until } from '../../support/wait.js';
import { crashRecoveryBoundMs, recoveryAfterKill, workerProcesses } from '../../support/worker-processes.js';

const slot = '2026-11-27T05:40:00.000Z';
// More than startCollection takes (500, in one local activity): the kill lands in its create calls, the
// new worker runs it again after the workflow task times out, and the second page runs as activities there.
const orderCount = 1000;

describe('collectOrders end to end: the worker process killed with SIGKILL in the middle of a request batch', () => {
  let e2e: EndToEnd;
  const workers = workerProcesses(() => e2e);

  beforeAll(async () => {
    e2e = await startEndToEnd();
  });

  afterAll(async () => {
    await workers.stopAll();
    await e2e?.close();
  });

  it('a new worker finishes the run and every order has exactly one FMS request', { timeout: 240_000 }, async () => {
    // Manual collection only: the worker's start-up reconcile pauses this link's schedule.
    const link = await createInstalledLink(e2e, { cst_cd: 'CRASH01', link_start_date: '2026-11-20', collection_range_days: 1, collection_method: 'manual' });
    const variantCode = (await e2e.cafe24Control.products(link.mall_id))[0]!.variants[0]!.variant_code;
    await replaceProductLink(e2e.database.db, link.id, variantCode, [{ cstGodCd: 'G001', quantity: 1 }]);
    const from = new Date('2026-11-26T23:00:00.000Z').getTime();
    const orders = await e2e.cafe24Control.addOrders(
      link.mall_id,
      Array.from({ length: orderCount }, (_, i) => ({ paidAt: new Date(from + i * 10_000).toISOString(), lines: [{ variantCode, quantity: 1 }] })),
    );
    // FMS answers slowly, so a create batch (100 orders) is most likely in flight when the worker dies.
    e2e.fms.control.updateSettings({ faults: { latencyMs: 300 } });

    const first = await workers.start('worker-1');
    const handle = await startCollection(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: slot, trigger: 'manual' }, manualCollectWorkflowId(link.id));
    // Once the first create batch is stored, the others are on their way (four at a time).
    await until(() => e2e.fms.control.outbounds(link.cst_cd).length >= 100, 'the first FMS requests', 120_000);
    process.kill(-first.process.pid!, 'SIGKILL');
    const killedAt = Date.now();
    expect(await first.exited).toBe('signal SIGKILL');
    const createdBeforeRestart = e2e.fms.control.outbounds(link.cst_cd).length;
    expect(createdBeforeRestart).toBeLessThan(orderCount);

    const second = await workers.start('worker-2');
    // The killed workflow task times out, startCollection runs again on the new worker, and the next page's activity starts there within 30 s.
    expect(await recoveryAfterKill(handle, second, { killedAt, startedAt: Date.now() }, 'collection')).toBeLessThan(crashRecoveryBoundMs);
    const result = (await handle.result()) as CollectOrdersResult;

    expect(result).toMatchObject({ status: 'completed', outcome: 'collected', ordersFetched: orderCount, itemsFetched: orderCount });
    expect(result.counts).toEqual({ requested: orderCount });
    const perOrdNo = fmsRequestsPerOrdNo(e2e, link.cst_cd);
    expect(Object.fromEntries(perOrdNo)).toEqual(Object.fromEntries(orders.map((o) => [ordNoOf(link, o.order_id), 1])));
    const ledger = await e2e.database.db.selectFrom('fms_shipment_requests').select('status').where('mall_link_id', '=', link.id).execute();
    expect(ledger.filter((r) => r.status === 'created')).toHaveLength(orderCount);
    const recorded = await e2e.database.db.selectFrom('collected_orders').select('slip_no').where('mall_link_id', '=', link.id).where('slip_no', 'is not', null).execute();
    expect(recorded).toHaveLength(orderCount);
  });
});
