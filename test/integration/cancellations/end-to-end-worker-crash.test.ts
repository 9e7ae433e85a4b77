import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTsChild, type ManagedChild } from '../../../src/dev/child-process.js';
import { repoRoot } from '../../../src/dev/paths.js';
import type { SyncInvoicesResult } from '../../../src/temporal/invoices.js';
import { manualInvoiceSyncWorkflowId } from '../../../src/temporal/names.js';
import { startEndToEnd, type EndToEnd } from '../../support/end-to-end.js';
import { invoiceSlot, requestedOrders, startInvoiceSync } from '../../support/invoices.js';
import { readLog, until } from '../../support/wait.js';

const orderCount = 150;
const logDir = mkdtempSync(path.join(tmpdir(), 'c2f-cancel-crash-'));

describe('cancellation sweep end to end: the worker process killed with SIGKILL between two FMS cancels', () => {
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

  it('a new worker finishes the sweep: every cancelled order is cancelled in FMS exactly once, and the run counts each once', { timeout: 420_000 }, async () => {
    const cstCd = 'CXLCRASH';
    const first = await startWorkerProcess('worker-1');
    const { link, orders } = await requestedOrders(e2e, cstCd, Array.from({ length: orderCount }, (_, i) => [[i % 3, 1]] as [number, number][]));
    for (const order of orders) await e2e.cafe24Control.setItemStatus(link.mall_id, order.orderId, 'C40');
    // FMS answers slowly, so a cancel is most likely in flight when the worker dies.
    e2e.fms.control.updateSettings({ faults: { latencyMs: 200 } });
    const cancelledInFms = () => e2e.fms.control.outbounds(cstCd).filter((o) => o.wrkStat === 'CANCEL').length;

    const handle = await startInvoiceSync(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: invoiceSlot, trigger: 'manual' }, manualInvoiceSyncWorkflowId(link.id));
    await until(() => cancelledInFms() >= 20, 'the first FMS cancels', 120_000);
    process.kill(-first.process.pid!, 'SIGKILL');
    expect(await first.exited).toBe('signal SIGKILL');
    expect(cancelledInFms()).toBeLessThan(orderCount);

    e2e.fms.control.updateSettings({ faults: { latencyMs: 0 } });
    await startWorkerProcess('worker-2');
    const result = (await handle.result()) as SyncInvoicesResult;

    expect(result).toMatchObject({ status: 'completed', cancellationsExamined: orderCount, cancellations: { cancelled_in_fms: orderCount } });
    for (const outbound of e2e.fms.control.outbounds(cstCd)) expect(outbound, outbound.ordNo).toMatchObject({ wrkStat: 'CANCEL', cancelRequests: 1 });
    const rows = await e2e.database.db.selectFrom('cancellations').select(['outcome', 'attempts']).where('mall_link_id', '=', link.id).execute();
    expect(rows).toHaveLength(orderCount);
    // attempts counts cancels marked as sent: 2 when the worker died after marking one and before sending it.
    expect(rows.every((r) => r.outcome === 'cancelled_in_fms' && r.attempts >= 1)).toBe(true);
  });
});
