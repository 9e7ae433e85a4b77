import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTsChild, type ManagedChild } from '../../../src/dev/child-process.js';
import { repoRoot } from '../../../src/dev/paths.js';
import type { SyncInvoicesResult } from '../../../src/temporal/invoices.js';
import { manualInvoiceSyncWorkflowId } from '../../../src/temporal/names.js';
import { startEndToEnd, type EndToEnd } from '../../support/end-to-end.js';
import { invoiceSlot, requestedOrders, startInvoiceSync, trackingNumbersPerItem } from '../../support/invoices.js';
import { readLog, until } from '../../support/wait.js';

const orderCount = 300;
const logDir = mkdtempSync(path.join(tmpdir(), 'c2f-invoice-crash-'));

describe('syncInvoices end to end: the worker process killed with SIGKILL between two Cafe24 calls', () => {
  let e2e: EndToEnd;
  const workers: ManagedChild[] = [];

  /** `npm run worker` (src/worker/main.ts) as its own process, on the test's task queue and simulators. */
  async function startWorkerProcess(name: string): Promise<ManagedChild> {
    const logFile = path.join(logDir, `${name}.log`);
    const worker = startTsChild(name, path.join(repoRoot, 'src/worker/main.ts'), { env: e2e.workerEnv, logFile });
    workers.push(worker);
    let exited: string | null = null;
    void worker.exited.then((how) => (exited = how));
    await until(() => exited !== null || readLog(logFile).includes('"msg":"worker started"'), `${name} to start`, 120_000);
    expect(exited, readLog(logFile)).toBeNull();
    return worker;
  }

  beforeAll(async () => {
    e2e = await startEndToEnd();
  });

  afterAll(async () => {
    for (const worker of workers) await worker.stop(10_000);
    await e2e?.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('a new worker finishes the run: every shipped item carries its tracking number exactly once', { timeout: 420_000 }, async () => {
    const cstCd = 'INVCRASH';
    const first = await startWorkerProcess('worker-1');
    const { link, orders } = await requestedOrders(e2e, cstCd, Array.from({ length: orderCount }, (_, i) => [[i % 3, 1]] as [number, number][]));
    for (const order of orders) e2e.fms.control.shipNow(cstCd, order.slipNo);
    // Cafe24 answers each registration slowly, so a call is most likely in flight when the worker dies.
    await e2e.cafe24Control.injectFault({ kind: 'latency', latencyMs: 2_000, mallId: link.mall_id, route: 'POST /shipments', count: 10 });

    const handle = await startInvoiceSync(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: invoiceSlot, trigger: 'manual' }, manualInvoiceSyncWorkflowId(link.id));
    await until(async () => (await e2e.cafe24Control.shipments(link.mall_id)).length >= 100, 'the first Cafe24 registrations', 120_000);
    process.kill(-first.process.pid!, 'SIGKILL');
    expect(await first.exited).toBe('signal SIGKILL');
    expect((await e2e.cafe24Control.shipments(link.mall_id)).length).toBeLessThan(orderCount);

    await startWorkerProcess('worker-2');
    const result = (await handle.result()) as SyncInvoicesResult;

    expect(result).toMatchObject({ status: 'completed', requestsExamined: orderCount, counts: { synced: orderCount } });
    const perItem = trackingNumbersPerItem(await e2e.cafe24Control.shipments(link.mall_id));
    const fmsInvoice = new Map(e2e.fms.control.outbounds(cstCd).map((o) => [o.slipNo, o.invoiceNos]));
    expect(perItem.size).toBe(orderCount);
    for (const order of orders) expect(perItem.get(order.orderItemCodes[0]!), order.orderId).toEqual(fmsInvoice.get(order.slipNo));
    const ledger = await e2e.database.db.selectFrom('invoice_registrations').select('status').where('mall_link_id', '=', link.id).execute();
    expect(ledger.filter((r) => r.status === 'synced')).toHaveLength(orderCount);
  });
});
