import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceProductLink } from '../../../src/db/repositories/product-links.js';
import type { CollectOrdersResult } from '../../../src/temporal/collection.js';
import type { MallLinkRow } from '../../../db/schema.js';
import { runCollection } from '../../support/collection-runs.js';
import { createInstalledLink, fmsRequestsPerOrdNo, ordNoOf, startEndToEnd, startRealPortsWorker, type EndToEnd } from '../../support/end-to-end.js';

// Slot 2026-11-27 14:40 KST; every order is paid well inside the window and linked.
const slot = '2026-11-27T05:40:00.000Z';
let cstSequence = 0;

describe('collectOrders end to end under faults: DESIGN.md §6 invariants', () => {
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

  /** A link of its own FMS customer with `count` one-item orders of a linked variant, paid over the morning. */
  async function mallWithOrders(count: number): Promise<{ link: MallLinkRow; orderIds: string[] }> {
    cstSequence += 1;
    const link = await createInstalledLink(e2e, { cst_cd: `FLT${String(cstSequence).padStart(3, '0')}`, link_start_date: '2026-11-20', collection_range_days: 1 });
    const variantCode = (await e2e.cafe24Control.products(link.mall_id))[0]!.variants[0]!.variant_code;
    await replaceProductLink(e2e.database.db, link.id, variantCode, [{ cstGodCd: 'G001', quantity: 1 }]);
    const from = new Date('2026-11-26T23:00:00.000Z').getTime(); // 08:00 KST
    const orders = await e2e.cafe24Control.addOrders(
      link.mall_id,
      Array.from({ length: count }, (_, i) => ({ paidAt: new Date(from + i * 15_000).toISOString(), lines: [{ variantCode, quantity: 1 }] })),
    );
    return { link, orderIds: orders.map((o) => o.order_id) };
  }

  /** Every order requested by this run, exactly one FMS request each, and the books balanced. */
  async function expectEachOrderRequestedOnce(link: MallLinkRow, orderIds: string[], result: CollectOrdersResult) {
    expect(result).toMatchObject({ status: 'completed', outcome: 'collected', ordersFetched: orderIds.length, itemsFetched: orderIds.length });
    expect(result.counts).toEqual({ requested: orderIds.length });
    const perOrdNo = fmsRequestsPerOrdNo(e2e, link.cst_cd);
    expect(Object.fromEntries(perOrdNo)).toEqual(Object.fromEntries(orderIds.map((id) => [ordNoOf(link, id), 1])));
    const ledger = await e2e.database.db.selectFrom('fms_shipment_requests').select(['status']).where('mall_link_id', '=', link.id).execute();
    expect(ledger.map((r) => r.status)).toEqual(orderIds.map(() => 'created'));
    const slips = await e2e.database.db.selectFrom('collected_orders').select(['slip_no']).where('mall_link_id', '=', link.id).execute();
    expect(new Set(slips.map((s) => s.slip_no))).toEqual(new Set(e2e.fms.control.outbounds(link.cst_cd).map((o) => o.slipNo)));
  }

  // Each form FMS and Cafe24 may answer in (the simulators' answer forms): FASSTO's codes as its
  // third-party clients see them, the status words with YYYY-MM-DD dates and numbers as text, and
  // carriers by name only with Cafe24 instants without an offset. The FASSTO form takes a larger
  // batch and both duplicate modes; the others one mode each, to keep the file fast. Each case has
  // more orders than one create call takes (FMS_CREATE_BATCH_SIZE, 100 here), so both lost answers
  // land; 101 makes the second call one order, whose recovery is the look-up by ordNo.
  const fassto = { fms: { status: 'code', carrier: 'code', date: 'yyyyMMdd' }, cafe24: { numbers: 'number', dates: 'offset' } } as const;
  const answerForms = [
    { name: 'FASSTO codes (wrkStat 1 + 출고요청, parcelCd 04)', orders: 120, duplicateOrdNo: 'reject', ...fassto },
    { name: 'FASSTO codes (wrkStat 1 + 출고요청, parcelCd 04)', orders: 120, duplicateOrdNo: 'duplicate', ...fassto },
    { name: 'status words, YYYY-MM-DD, numbers as text', orders: 101, duplicateOrdNo: 'duplicate', fms: { status: 'word', carrier: 'letters', date: 'YYYY-MM-DD' }, cafe24: { numbers: 'string', dates: 'offset' } },
    { name: 'carrier names only, Cafe24 wall-clock instants', orders: 101, duplicateOrdNo: 'reject', fms: { status: 'code', carrier: 'nameOnly', date: 'YYYY-MM-DD' }, cafe24: { numbers: 'string', dates: 'wallClock' } },
  ] as const;

  describe.each(answerForms)(
    'FMS stores a create but its answer is lost ($name; repeated ordNo: $duplicateOrdNo)',
    ({ orders, fms, cafe24, duplicateOrdNo }) => {
      afterAll(async () => {
        e2e.fms.control.updateSettings({ answerForm: fassto.fms });
        await e2e.cafe24Control.setAnswerForm(fassto.cafe24);
      });

      it('requests every order exactly once', { timeout: 180_000 }, async () => {
        // Two lost answers need two create calls.
        expect(orders).toBeGreaterThan(e2e.config.FMS_CREATE_BATCH_SIZE);
        const { link, orderIds } = await mallWithOrders(orders);
        e2e.fms.control.updateSettings({ duplicateOrdNo, answerForm: fms });
        await e2e.cafe24Control.setAnswerForm(cafe24);
        const lostBefore = e2e.fms.control.stats().lostResponses;
        // One in the first batch, and the next creates after it: each lost answer fails the batch once.
        e2e.fms.control.failNext('lostResponse', 2);
        const { result } = await runCollection(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: slot, trigger: 'schedule' });
        expect(e2e.fms.control.stats().lostResponses - lostBefore).toBe(2);
        await expectEachOrderRequestedOnce(link, orderIds, result);

        // A second run finds every order already requested and sends FMS nothing.
        const createsBefore = e2e.fms.control.stats().createCalls;
        const { result: again } = await runCollection(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: slot, trigger: 'manual' });
        expect(again.counts).toEqual({ already_requested: orderIds.length });
        expect(e2e.fms.control.stats().createCalls).toBe(createsBefore);
      });
    },
  );

  it('a Cafe24 429 storm: the run rides it out and still requests every order exactly once', { timeout: 180_000 }, async () => {
    const { link, orderIds } = await mallWithOrders(600);
    // More 429s than one call's in-process attempts: the activity retry has to wait them out too.
    const storm = 8;
    await e2e.cafe24Control.injectFault({ kind: 'rate_limit', count: storm, mallId: link.mall_id });
    const { result } = await runCollection(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: slot, trigger: 'schedule' });
    const stats = await e2e.cafe24Control.stats(link.mall_id);
    expect(stats?.rateLimitedInjected).toBe(storm);
    expect(result.shops).toEqual([{ shopNo: 1, pages: 2, ordersFetched: 600, itemsFetched: 600 }]);
    await expectEachOrderRequestedOnce(link, orderIds, result);
  });
});
