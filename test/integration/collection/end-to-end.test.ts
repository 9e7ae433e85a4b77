import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCollectedOrder } from '../../../src/db/repositories/collected-orders.js';
import { replaceProductLink } from '../../../src/db/repositories/product-links.js';
import { listUnlinkedOrders } from '../../../src/db/repositories/unlinked-orders.js';
import { collectOrdersWorkflowIdPrefix, manualCollectWorkflowId } from '../../../src/temporal/names.js';
import type { SimProduct } from '../../../src/sim/cafe24/catalog.js';
import type { CollectOrdersResult } from '../../../src/temporal/collection.js';
import type { MallLinkRow } from '../../../db/schema.js';
import { runCollection, startCollection, tallyOutcomes } from '../../support/collection-runs.js';
import { createInstalledLink, fmsRequestsPerOrdNo, ordNoOf, startEndToEnd, startRealPortsWorker, type EndToEnd } from '../../support/end-to-end.js';

// Slot 2026-11-27 14:40 KST. Range 2 days, 10 minutes after payment: window [11-25 14:40 KST, slot],
// latest collectable payment 14:30 KST. Cafe24 is asked for whole KST days 11-25..11-27.
const slot = '2026-11-27T05:40:00.000Z';
const at = (offsetMinutes: number) => new Date(new Date(slot).getTime() + offsetMinutes * 60_000).toISOString();
const cstCd = 'E2E001';

/** The scenario's orders by name; each line is [variant key, quantity]. */
type VariantKey = 'A' | 'B' | 'C' | 'U' | 'E' | 'K' | 'X' | 'SET';
const scenario: { name: string; shopNo?: number; paidAt: string; lines: [VariantKey, number][] }[] = [
  { name: 'READY', paidAt: at(-180), lines: [['A', 1], ['C', 2]] },
  { name: 'MIXED', paidAt: at(-180), lines: [['A', 1], ['B', 1]] }, // item 2 moves on to N20
  { name: 'EDGE', paidAt: at(-10), lines: [['A', 1]] },
  { name: 'RECENT', paidAt: at(-5), lines: [['A', 1]] },
  { name: 'AFTER_SLOT', paidAt: at(30), lines: [['A', 1]] },
  { name: 'OUTSIDE', paidAt: '2026-11-25T01:00:00.000Z', lines: [['A', 1]] }, // 11-25 10:00 KST, before the window
  { name: 'NEVER_FETCHED_OLD', paidAt: '2026-11-24T03:00:00.000Z', lines: [['A', 1]] }, // a KST day Cafe24 is not asked for
  { name: 'PART_CANCELLED', paidAt: at(-120), lines: [['A', 1], ['B', 1]] }, // item 2 cancelled after payment
  { name: 'CANCELLED', paidAt: at(-120), lines: [['A', 1]] }, // cancelled after payment
  { name: 'SHIPPING', paidAt: at(-120), lines: [['A', 1]] }, // whole order moved on to N20
  { name: 'UNLINKED', paidAt: at(-60), lines: [['A', 1], ['U', 1]] },
  { name: 'OPTION_E', paidAt: at(-60), lines: [['E', 1]] },
  { name: 'BUNDLE', paidAt: at(-60), lines: [['SET', 2]] },
  { name: 'KIT', paidAt: at(-60), lines: [['K', 1]] },
  { name: 'UNKNOWN_GOODS', paidAt: at(-60), lines: [['X', 1]] },
  { name: 'S2_READY', shopNo: 2, paidAt: at(-60), lines: [['B', 3]] },
  { name: 'S2_UNLINKED', shopNo: 2, paidAt: at(-60), lines: [['U', 1]] },
  { name: 'S3_NOT_APPROVED', shopNo: 3, paidAt: at(-60), lines: [['A', 1]] },
];

/** Outcome of every item the first run fetches, by `{name}-{itemNo}`. */
const expectedFirstRun: Record<string, string> = {
  'READY-1': 'requested',
  'READY-2': 'requested',
  'MIXED-1': 'requested',
  'MIXED-2': 'not_eligible:wrong_status',
  'EDGE-1': 'requested',
  'RECENT-1': 'not_eligible:too_recent',
  'AFTER_SLOT-1': 'not_eligible:too_recent',
  'OUTSIDE-1': 'not_eligible:outside_range',
  'PART_CANCELLED-1': 'requested',
  'PART_CANCELLED-2': 'not_eligible:cancelled_or_claimed',
  'CANCELLED-1': 'not_eligible:cancelled_or_claimed',
  'SHIPPING-1': 'not_eligible:wrong_status',
  'UNLINKED-1': 'unlinked:other_item_unlinked',
  'UNLINKED-2': 'unlinked:no_link',
  'OPTION_E-1': 'unlinked:unlinkable_option_type',
  'BUNDLE-1': 'requested',
  'KIT-1': 'requested',
  'UNKNOWN_GOODS-1': 'rejected',
  'S2_READY-1': 'requested',
  'S2_UNLINKED-1': 'unlinked:no_link',
};

describe('collectOrders end to end: real worker ports, Cafe24 and FMS simulators over HTTP', () => {
  let e2e: EndToEnd;
  let worker: { stop(): Promise<void> };
  let link: MallLinkRow;
  /** Scenario name → Cafe24 order id. */
  const orderIdOf: Record<string, string> = {};
  const shopOf: Record<string, number> = {};
  let variant: Record<VariantKey, string>;
  let products: SimProduct[];

  /** Latest trail outcome per item, keyed `{name}-{itemNo}`. */
  async function latestOutcomes(): Promise<Record<string, string>> {
    const nameOf = new Map(Object.entries(orderIdOf).map(([name, id]) => [id, name]));
    const rows = await e2e.database.db.selectFrom('order_trail').select(['order_id', 'order_item_code', 'outcome']).where('mall_link_id', '=', link.id).orderBy('id').execute();
    return Object.fromEntries(rows.map((r) => [`${nameOf.get(r.order_id)}-${Number(r.order_item_code.slice(-2))}`, r.outcome]));
  }

  const ordNo = (name: string) => ordNoOf(link, orderIdOf[name]!, shopOf[name]);

  beforeAll(async () => {
    e2e = await startEndToEnd();
    worker = await startRealPortsWorker(e2e);
    link = await createInstalledLink(e2e, { cst_cd: cstCd, link_start_date: '2026-11-20', collection_range_days: 2, minutes_after_payment: 10 }, [2]);
    // Shop 3 asked for but never approved: not collected.
    await e2e.database.db.insertInto('mall_link_shops').values({ mall_link_id: link.id, shop_no: 3, status: 'requested' }).execute();

    products = await e2e.cafe24Control.products(link.mall_id);
    const plain = products.filter((p) => p.product_bundle === 'F' && p.option_type !== 'E');
    const set = products.find((p) => p.product_bundle === 'T')!;
    const linkedOptions = products.find((p) => p.option_type === 'E')!;
    // A and B are the set's components, so the set ships as its components' links.
    variant = {
      A: set.bundle_components[0]!.variant_code,
      B: set.bundle_components[1]!.variant_code,
      C: plain[2]!.variants[0]!.variant_code,
      U: plain[3]!.variants[0]!.variant_code,
      K: plain[4]!.variants[0]!.variant_code,
      X: plain[5]!.variants[0]!.variant_code,
      E: linkedOptions.variants[0]!.variant_code,
      SET: set.variants[0]!.variant_code,
    };
    for (const [key, components] of [
      ['A', [{ cstGodCd: 'G001', quantity: 1 }]],
      ['B', [{ cstGodCd: 'G002', quantity: 1 }]],
      ['C', [{ cstGodCd: 'G003', quantity: 1 }]],
      ['K', [{ cstGodCd: 'G004', quantity: 1 }, { cstGodCd: 'G005', quantity: 2 }]],
      // A goods code FMS does not know: FMS refuses the request.
      ['X', [{ cstGodCd: 'G999', quantity: 1 }]],
      // Linked, but the product is 상품 연동형: the link cannot be used.
      ['E', [{ cstGodCd: 'G006', quantity: 1 }]],
    ] as const) {
      await replaceProductLink(e2e.database.db, link.id, variant[key], components);
    }
    e2e.fms.control.updateGoods(cstCd, 'G003', { outOfStock: true });

    const created = await e2e.cafe24Control.addOrders(
      link.mall_id,
      scenario.map((o) => ({ shopNo: o.shopNo ?? 1, paidAt: o.paidAt, lines: o.lines.map(([key, quantity]) => ({ variantCode: variant[key], quantity })) })),
    );
    scenario.forEach((o, i) => {
      orderIdOf[o.name] = created[i]!.order_id;
      shopOf[o.name] = o.shopNo ?? 1;
    });
    const mall = link.mall_id;
    await e2e.cafe24Control.setItemStatus(mall, orderIdOf.MIXED!, 'N20', [`${orderIdOf.MIXED}-02`]);
    await e2e.cafe24Control.setItemStatus(mall, orderIdOf.PART_CANCELLED!, 'C00', [`${orderIdOf.PART_CANCELLED}-02`]);
    await e2e.cafe24Control.setItemStatus(mall, orderIdOf.CANCELLED!, 'C00');
    await e2e.cafe24Control.setItemStatus(mall, orderIdOf.SHIPPING!, 'N20');
  });

  afterAll(async () => {
    await worker?.stop();
    await e2e?.close();
  });

  let first: CollectOrdersResult;

  it('accounts for every fetched item by outcome in the result, the ledger and the trail', async () => {
    ({ result: first } = await runCollection(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: slot, trigger: 'schedule' }));

    expect(first).toMatchObject({
      status: 'completed',
      outcome: 'collected',
      window: { from: '2026-11-25T05:40:00.000Z', to: slot },
      ordersFetched: 16,
      itemsFetched: Object.keys(expectedFirstRun).length,
    });
    expect(first.counts).toEqual(tallyOutcomes(expectedFirstRun));
    expect(Object.values(first.counts).reduce((a, b) => a + (b ?? 0), 0)).toBe(first.itemsFetched);
    expect(first.shops.map((s) => [s.shopNo, s.ordersFetched])).toEqual([
      [1, 14],
      [2, 2],
    ]);
    expect(await latestOutcomes()).toEqual(expectedFirstRun);
    const ledger = await e2e.database.db.selectFrom('collection_runs').selectAll().where('id', '=', first.collectionRunId).executeTakeFirstOrThrow();
    expect(ledger).toMatchObject({ status: 'completed', outcome: 'collected', orders_fetched: 16, items_fetched: 20 });
    expect(ledger.counts).toEqual(first.counts);
  });

  it('created exactly one FMS request per requested order, with the linked goods, and recorded slips and shortages', async () => {
    const requested = ['READY', 'MIXED', 'EDGE', 'PART_CANCELLED', 'BUNDLE', 'KIT', 'S2_READY'];
    expect(Object.fromEntries(fmsRequestsPerOrdNo(e2e, cstCd))).toEqual(Object.fromEntries(requested.map((name) => [ordNo(name), 1])));

    const linesOf = (name: string) => e2e.fms.control.outbounds(cstCd).find((o) => o.ordNo === ordNo(name))!.godCds.map((g) => [g.cstGodCd, g.ordQty]);
    expect(linesOf('READY')).toEqual([['G001', 1], ['G003', 2]]);
    expect(linesOf('MIXED')).toEqual([['G001', 1]]);
    expect(linesOf('PART_CANCELLED')).toEqual([['G001', 1]]);
    expect(linesOf('BUNDLE')).toEqual([['G001', 2], ['G002', 2]]);
    expect(linesOf('KIT')).toEqual([['G004', 1], ['G005', 2]]);
    expect(linesOf('S2_READY')).toEqual([['G002', 3]]);

    const ready = await findCollectedOrder(e2e.database.db, link.id, orderIdOf.READY!);
    const slip = e2e.fms.control.outbounds(cstCd).find((o) => o.ordNo === ordNo('READY'))!;
    expect(slip.wrkStat).toBe('SHORTAGE');
    expect(ready).toMatchObject({ request_outcome: 'created', slip_no: slip.slipNo, request_warnings: ['out_of_stock:G003'] });
    const unknown = await findCollectedOrder(e2e.database.db, link.id, orderIdOf.UNKNOWN_GOODS!);
    expect(unknown).toMatchObject({ request_outcome: 'rejected', slip_no: null });
    // The requested order reached FMS with the recipient Cafe24 sent; personal data stays out of the workflow.
    expect((slip.body as { custNm: string }).custNm).toBe((ready!.raw as { receiver: { name: string } }).receiver.name);
  });

  it('holds unlinked orders with a reason per item', async () => {
    const held = (await listUnlinkedOrders(e2e.database.db, link.id, ['open'], { limit: 50 })).rows;
    expect(Object.fromEntries(held.map((h) => [h.order_id, h.items.map((i) => i.reason)]))).toEqual({
      [orderIdOf.UNLINKED!]: ['other_item_unlinked', 'no_link'],
      [orderIdOf.OPTION_E!]: ['unlinkable_option_type'],
      [orderIdOf.S2_UNLINKED!]: ['no_link'],
    });
  });

  it('a later slot requests what became ready (links added, refusal fixed, minutes passed), nothing twice, and drops a held order cancelled meanwhile', async () => {
    await e2e.cafe24Control.setItemStatus(link.mall_id, orderIdOf.OPTION_E!, 'C00');
    await replaceProductLink(e2e.database.db, link.id, variant.U, [{ cstGodCd: 'G007', quantity: 1 }]);
    await replaceProductLink(e2e.database.db, link.id, variant.X, [{ cstGodCd: 'G008', quantity: 1 }]);
    const { result } = await runCollection(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: at(20), trigger: 'schedule' });

    expect(result.counts).toEqual({
      requested: 5, // RECENT, UNLINKED (2 items), S2_UNLINKED, UNKNOWN_GOODS
      already_requested: 8,
      'not_eligible:wrong_status': 2,
      'not_eligible:too_recent': 1,
      'not_eligible:outside_range': 1,
      'not_eligible:cancelled_or_claimed': 3, // PART_CANCELLED-2, CANCELLED, OPTION_E (cancelled while held)
    });
    expect(result.itemsFetched).toBe(20);
    const requested = ['READY', 'MIXED', 'EDGE', 'PART_CANCELLED', 'BUNDLE', 'KIT', 'S2_READY', 'RECENT', 'UNLINKED', 'S2_UNLINKED', 'UNKNOWN_GOODS'];
    expect(Object.fromEntries(fmsRequestsPerOrdNo(e2e, cstCd))).toEqual(Object.fromEntries(requested.map((name) => [ordNo(name), 1])));
    const resolved = (await listUnlinkedOrders(e2e.database.db, link.id, ['resolved'], { limit: 50 })).rows;
    expect(resolved.map((u) => u.order_id).sort()).toEqual([orderIdOf.UNLINKED!, orderIdOf.S2_UNLINKED!].sort());
    const dropped = (await listUnlinkedOrders(e2e.database.db, link.id, ['open', 'not_eligible'], { limit: 50 })).rows;
    expect(dropped.map((u) => [u.order_id, u.status])).toEqual([[orderIdOf.OPTION_E!, 'not_eligible']]);
  });

  it('a manual run racing a scheduled run for the same mall: never both at once, every new order requested once', async () => {
    const fresh = await e2e.cafe24Control.addOrders(
      link.mall_id,
      Array.from({ length: 40 }, (_, i) => ({ paidAt: at(60 + i), lines: [{ variantCode: variant.A, quantity: 1 }] })),
    );
    const raceSlot = at(120);
    const [manual, scheduled] = await Promise.all([
      startCollection(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: raceSlot, trigger: 'manual' }, manualCollectWorkflowId(link.id)),
      startCollection(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: raceSlot, trigger: 'schedule' }, `${collectOrdersWorkflowIdPrefix(link.id)}-${raceSlot}`),
    ]);
    const results = (await Promise.all([manual.result(), scheduled.result()])) as CollectOrdersResult[];

    for (const r of results) expect(r.outcome === 'collected' || r.outcome === 'another_run_in_progress', JSON.stringify(r)).toBe(true);
    const collected = results.filter((r) => r.outcome === 'collected');
    // AFTER_SLOT is now past its 10 minutes too; whoever collected first requested it and the 40 new orders.
    expect(collected.reduce((n, r) => n + (r.counts.requested ?? 0), 0)).toBe(41);
    for (const r of collected) expect(Object.values(r.counts).reduce((a, b) => a + (b ?? 0), 0)).toBe(r.itemsFetched);
    const perOrdNo = fmsRequestsPerOrdNo(e2e, cstCd);
    expect([...perOrdNo.values()].every((n) => n === 1)).toBe(true);
    for (const order of fresh) expect(perOrdNo.get(ordNoOf(link, order.order_id))).toBe(1);
    expect(perOrdNo.size).toBe(11 + 1 + 40);

    // Two runs that both collected did so one after the other, never overlapping.
    const rows = await e2e.database.db
      .selectFrom('collection_runs')
      .select(['workflow_id', 'outcome', 'started_at', 'finished_at'])
      .where('workflow_id', 'in', [manual.workflowId, scheduled.workflowId])
      .orderBy('started_at')
      .execute();
    const ran = rows.filter((r) => r.outcome === 'collected');
    if (ran.length === 2) expect(ran[1]!.started_at.getTime()).toBeGreaterThanOrEqual(ran[0]!.finished_at!.getTime());
  });
});
