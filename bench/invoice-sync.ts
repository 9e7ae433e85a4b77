import { Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { createActivities } from '../src/activities/index.js';
import { replaceProductLink } from '../src/db/repositories/product-links.js';
import { startFmsSimulator } from '../src/sim/fms/server.js';
import type { SyncInvoicesResult } from '../src/temporal/invoices.js';
import { manualCollectWorkflowId, manualInvoiceSyncWorkflowId, workflowTypes } from '../src/temporal/names.js';
import { createRemotePorts } from '../src/worker/remote-ports.js';
import { configFor, connectCafe24, createAuthorizedMall, linkableVariantCodes, startTestSimulator } from '../test/support/cafe24.js';
import { withThrowAwayStack } from '../test/support/throw-away-stack.js';

/**
 * One invoice slot of one mall with 1,000 shipped requests: embedded PostgreSQL, the Temporal dev
 * server, an in-process worker on the real ports, the FMS simulator (FASSTO's answer form) and the
 * Cafe24 simulator (its leaky bucket: 40 deep, 2 calls/s) over local HTTP. The requests are made by
 * a real collection first; the slot is timed from the start of syncInvoices to its result.
 */

const requests = 1_000;
const cstCd = 'BENCHINV';
const slotAt = '2026-11-27T05:40:00.000Z';

export async function benchInvoiceSync(): Promise<Record<string, string>> {
  return withThrowAwayStack(async ({ db, client, nativeConnection, workflowBundle }) => {
    const { sim, control } = await startTestSimulator({ seed: 'bench' });
    const fms = await startFmsSimulator({ seed: 'bench' });
    const cafe24 = connectCafe24(sim, db);
    const remote = createRemotePorts(configFor(sim, { FMS_BASE_URL: fms.url, FMS_API_CD: fms.apiCd, FMS_API_KEY: fms.apiKey }), { db, cafe24, log: pino({ level: 'silent' }) });
    try {
      const { link } = await createAuthorizedMall(db, sim, cafe24);
      await db.updateTable('mall_links').set({ cst_cd: cstCd, sender_name: '벤치상점', sender_phone: '02-555-0100', link_start_date: '2026-11-20', collection_range_days: 1 }).where('id', '=', link.id).execute();
      const variant = (await linkableVariantCodes(control, link.mall_id))[0]!;
      await replaceProductLink(db, link.id, variant, [{ cstGodCd: 'G001', quantity: 1 }]);
      const from = Date.parse('2026-11-26T16:00:00.000Z');
      await control.addOrders(link.mall_id, Array.from({ length: requests }, (_, i) => ({ paidAt: new Date(from + i * 30_000).toISOString(), lines: [{ variantCode: variant, quantity: 1 }] })));
      const taskQueue = 'bench-invoice-sync';
      const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle, activities: createActivities({ db, cafe24, collection: remote.collection, invoices: remote.invoices }) });
      return await worker.runUntil(async () => {
        await client.workflow.execute(workflowTypes.collectOrders, { taskQueue, workflowId: manualCollectWorkflowId(link.id), args: [{ mallLinkId: link.id, slotAt, trigger: 'manual' }] });
        for (const outbound of fms.control.outbounds(cstCd)) fms.control.shipNow(cstCd, outbound.slipNo);
        const cafe24Before = (await control.stats(link.mall_id))?.requests ?? 0;
        const fmsBefore = fms.control.stats();
        const started = performance.now();
        const handle = await client.workflow.start(workflowTypes.syncInvoices, { taskQueue, workflowId: manualInvoiceSyncWorkflowId(link.id), args: [{ mallLinkId: link.id, slotAt, trigger: 'manual' }] });
        const result = (await handle.result()) as SyncInvoicesResult;
        const seconds = (performance.now() - started) / 1000;
        const fmsAfter = fms.control.stats();
        const events = (await handle.fetchHistory()).events?.length ?? 0;
        const shipments = await control.shipments(link.mall_id);
        if (result.counts.synced !== requests || new Set(shipments.map((s) => s.tracking_no)).size !== requests || shipments.length !== requests) {
          throw new Error(`expected ${requests} requests synced once each: ${JSON.stringify(result.counts)}, ${shipments.length} shipments`);
        }
        return {
          'shipped requests': String(requests),
          'wall time (s)': seconds.toFixed(1),
          'requests/s': (requests / seconds).toFixed(0),
          'Cafe24 calls (least: 10 bulk calls of 100)': String(((await control.stats(link.mall_id))?.requests ?? 0) - cafe24Before),
          'FMS calls (least: 1 delivery list)': String(fmsAfter.requests - fmsBefore.requests),
          'history events': String(events),
          'tracking numbers on Cafe24 (must be 1,000, each once)': String(shipments.length),
        };
      });
    } finally {
      await remote.close();
      await cafe24.close();
      await fms.stop();
      await sim.stop();
    }
  });
}
