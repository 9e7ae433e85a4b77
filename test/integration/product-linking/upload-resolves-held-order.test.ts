import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertApiKey } from '../../../src/db/repositories/api-keys.js';
import { replaceProductLink } from '../../../src/db/repositories/product-links.js';
import { findUnlinkedOrder } from '../../../src/db/repositories/unlinked-orders.js';
import { generateApiKey } from '../../../src/domain/api-keys.js';
import type { CollectOrdersResult } from '../../../src/temporal/collection.js';
import type { MallLinkRow } from '../../../db/schema.js';
import { createTestApp, json } from '../../support/api.js';
import { configFor } from '../../support/cafe24.js';
import { createInstalledLink, fmsRequestsPerOrdNo, ordNoOf, startEndToEnd, startRealPortsWorker, type EndToEnd } from '../../support/end-to-end.js';

const cstCd = 'PLK001';

/**
 * A held order made ready by a link sheet upload is requested by the next collection run: the
 * upload's answer names it, and a manual collection through the real worker ports sends it to FMS.
 */
describe('link sheet upload → held order collected by the next run', () => {
  let e2e: EndToEnd;
  let worker: { stop(): Promise<void> };
  let app: ReturnType<typeof createTestApp>;
  let key: string;
  let link: MallLinkRow;
  let orderId: string;
  let unlinkedVariant: string;

  const collectNow = async (): Promise<CollectOrdersResult> => {
    const started = await app.request(`/v1/mall-links/${link.id}/collections`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
    expect(started.status).toBe(202);
    const { workflowId, runId } = await json(started);
    return (await e2e.temporal.client.workflow.getHandle(workflowId, runId).result()) as CollectOrdersResult;
  };

  beforeAll(async () => {
    e2e = await startEndToEnd();
    worker = await startRealPortsWorker(e2e);
    link = await createInstalledLink(e2e, { cst_cd: cstCd, link_start_date: '2026-01-01', minutes_after_payment: 10 });
    app = createTestApp({
      db: e2e.database.db,
      temporal: e2e.temporal.client,
      config: configFor(e2e.cafe24Sim, {
        TEMPORAL_TASK_QUEUE: e2e.temporal.taskQueue,
        TEMPORAL_NAMESPACE: e2e.temporal.namespace,
        FMS_BASE_URL: e2e.fms.url,
        FMS_API_CD: e2e.fms.apiCd,
        FMS_API_KEY: e2e.fms.apiKey,
      }),
    });
    const generated = generateApiKey();
    await insertApiKey(e2e.database.db, { name: 'seller', scope: { role: 'customer', cstCd }, displayPrefix: generated.displayPrefix, hash: generated.hash });
    key = generated.plaintext;

    const plain = (await e2e.cafe24Control.products(link.mall_id)).filter((p) => p.product_bundle === 'F' && p.option_type !== 'E');
    const linkedVariant = plain[0]!.variants[0]!.variant_code;
    unlinkedVariant = plain[1]!.variants[0]!.variant_code;
    await replaceProductLink(e2e.database.db, link.id, linkedVariant, [{ cstGodCd: 'G001', quantity: 1 }]);
    const [created] = await e2e.cafe24Control.addOrders(link.mall_id, [
      {
        shopNo: 1,
        paidAt: new Date(Date.now() - 60 * 60_000).toISOString(),
        lines: [
          { variantCode: linkedVariant, quantity: 1 },
          { variantCode: unlinkedVariant, quantity: 2 },
        ],
      },
    ]);
    orderId = created!.order_id;
  });

  afterAll(async () => {
    await worker?.stop();
    await e2e?.close();
  });

  it('holds the order, the upload names it ready, and the next manual collection requests it once', async () => {
    const first = await collectNow();
    expect(first.counts).toMatchObject({ 'unlinked:no_link': 1, 'unlinked:other_item_unlinked': 1 });
    expect(await findUnlinkedOrder(e2e.database.db, link.id, orderId)).toMatchObject({ status: 'open' });
    expect(fmsRequestsPerOrdNo(e2e, cstCd).size).toBe(0);

    const csv = `\uFEFF품목코드,FMS상품코드,수량\r\n${unlinkedVariant},G002,1\r\n`;
    const form = new FormData();
    form.append('file', new File([csv], 'links.csv', { type: 'text/csv' }));
    const uploaded = await app.request(`/v1/mall-links/${link.id}/product-links/uploads`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
    expect(uploaded.status).toBe(200);
    const report = await json(uploaded);
    expect(report.counts).toEqual({ linked: 1, unchanged: 0, skipped: 0, refused: 0 });
    expect(report.readyOrders).toEqual([{ orderId, shopNo: 1, paidAt: expect.any(String) }]);

    const second = await collectNow();
    expect(second.counts).toMatchObject({ requested: 2 });
    expect(Object.fromEntries(fmsRequestsPerOrdNo(e2e, cstCd))).toEqual({ [ordNoOf(link, orderId)]: 1 });
    const lines = e2e.fms.control.outbounds(cstCd)[0]!.godCds.map((g) => [g.cstGodCd, g.ordQty]);
    expect(lines).toEqual([
      ['G001', 1],
      ['G002', 2],
    ]);
    expect(await findUnlinkedOrder(e2e.database.db, link.id, orderId)).toMatchObject({ status: 'resolved', resolved_run_id: second.collectionRunId });
  });
});
