import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCollectedOrder } from '../../../src/db/repositories/collected-orders.js';
import { listOrderTrail } from '../../../src/db/repositories/order-trail.js';
import { replaceProductLink } from '../../../src/db/repositories/product-links.js';
import { listUnlinkedOrders } from '../../../src/db/repositories/unlinked-orders.js';
import type { MallLinkRow } from '../../../db/schema.js';
import { decodedHistoryText, runCollection, startCollection, startCollectionWorker, tallyOutcomes } from '../../support/collection-runs.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { InMemoryOrderSource, InMemoryShipmentRequester } from '../../support/in-memory-collection-ports.js';
import { insertTestMallLink } from '../../support/mall-link-fixtures.js';
import { storedItem as item, storedOrder as order } from '../../support/stored-orders.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';

// Slot 2026-12-01 14:40 KST. Link start 2026-11-29 (KST), range 2 days, 10 minutes after payment:
// window [2026-11-29T05:40Z, slot], latest collectable payment 05:30Z.
const slot = '2026-12-01T05:40:00.000Z';

function scenarioOrders() {
  const paid = '2026-12-01T02:00:00.000Z';
  return [
    order('O-READY', paid, [item('O-READY', 1, { variantCode: 'V-SHIRT' }), item('O-READY', 2, { variantCode: 'V-CAP', quantity: 2 })]),
    order('O-N20', paid, [item('O-N20', 1, { variantCode: 'V-SHIRT', status: 'N20' })]),
    order('O-MIXED', paid, [item('O-MIXED', 1, { variantCode: 'V-SHIRT' }), item('O-MIXED', 2, { variantCode: 'V-CAP', status: 'N20' })]),
    order('O-RECENT', '2026-12-01T05:35:00.000Z', [item('O-RECENT', 1, { variantCode: 'V-SHIRT' })]),
    order('O-EDGE', '2026-12-01T05:30:00.000Z', [item('O-EDGE', 1, { variantCode: 'V-SHIRT' })]),
    order('O-BEFORE', '2026-11-28T10:00:00.000Z', [item('O-BEFORE', 1, { variantCode: 'V-SHIRT' })]),
    order('O-OLD', '2026-11-29T03:00:00.000Z', [item('O-OLD', 1, { variantCode: 'V-SHIRT' })]),
    order('O-UNPAID', null, [item('O-UNPAID', 1, { variantCode: 'V-SHIRT', status: 'N00' })], { orderedAt: '2026-12-01T01:00:00.000Z' }),
    order('O-CANCELLED', paid, [item('O-CANCELLED', 1, { variantCode: 'V-SHIRT', status: 'C40' })], { canceled: 'T' }),
    order('O-CLAIM', paid, [item('O-CLAIM', 1, { variantCode: 'V-SHIRT', hasOpenClaim: true })]),
    order('O-UNLINKED', paid, [item('O-UNLINKED', 1, { variantCode: 'V-SHIRT' }), item('O-UNLINKED', 2, { variantCode: 'V-NOLINK' })]),
    order('O-OPTION-E', paid, [item('O-OPTION-E', 1, { variantCode: 'V-LINKED-E', optionType: 'E' })]),
    order('O-NOVARIANT', paid, [item('O-NOVARIANT', 1, { variantCode: null })]),
    order('O-LATELINK', '2026-12-01T01:00:00.000Z', [item('O-LATELINK', 1, { variantCode: 'V-LATER' })]),
    order('O-BUNDLE', paid, [
      item('O-BUNDLE', 1, {
        variantCode: 'V-SET',
        quantity: 2,
        bundle: { kind: 'C', components: [{ variantCode: 'V-SHIRT', quantity: 1 }, { variantCode: 'V-SOCKS', quantity: 2 }] },
      }),
    ]),
    order('S2-READY', paid, [item('S2-READY', 1, { variantCode: 'V-SHIRT' })], { shopNo: 2 }),
    order('S2-KIT', paid, [item('S2-KIT', 1, { variantCode: 'V-KIT' })], { shopNo: 2 }),
    // Shop 3 was requested but never approved: not collected.
    order('S3-X', paid, [item('S3-X', 1, { variantCode: 'V-SHIRT' })], { shopNo: 3 }),
  ];
}

/** The outcome the ledger must show for every fetched item of the first run. */
const expectedFirstRun: Record<string, string> = {
  'O-READY-01': 'requested',
  'O-READY-02': 'requested',
  'O-N20-01': 'not_eligible:wrong_status',
  'O-MIXED-01': 'requested',
  'O-MIXED-02': 'not_eligible:wrong_status',
  'O-RECENT-01': 'not_eligible:too_recent',
  'O-EDGE-01': 'requested',
  'O-BEFORE-01': 'not_eligible:before_start',
  'O-OLD-01': 'not_eligible:outside_range',
  'O-UNPAID-01': 'not_eligible:unpaid',
  'O-CANCELLED-01': 'not_eligible:cancelled_or_claimed',
  'O-CLAIM-01': 'not_eligible:cancelled_or_claimed',
  'O-UNLINKED-01': 'unlinked:other_item_unlinked',
  'O-UNLINKED-02': 'unlinked:no_link',
  'O-OPTION-E-01': 'unlinked:unlinkable_option_type',
  'O-NOVARIANT-01': 'unlinked:missing_variant_code',
  'O-LATELINK-01': 'unlinked:no_link',
  'O-BUNDLE-01': 'requested',
  'S2-READY-01': 'requested',
  'S2-KIT-01': 'requested',
};

async function latestOutcomes(database: TestDatabase, linkId: string): Promise<Record<string, string>> {
  const rows = await database.db
    .selectFrom('order_trail')
    .select(['order_item_code', 'outcome'])
    .where('mall_link_id', '=', linkId)
    .orderBy('id')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.order_item_code, r.outcome]));
}

describe('collectOrders on a real Temporal server and PostgreSQL', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let worker: { stop(): Promise<void> };
  const source = new InMemoryOrderSource();
  const requester = new InMemoryShipmentRequester({ outOfStock: ['G-CAP'] });
  let link: MallLinkRow;

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    worker = await startCollectionWorker({ db: database.db, temporal, orderSource: source, shipmentRequester: requester, sourcePageSize: 4 });

    link = await insertTestMallLink(database.db, { link_start_date: '2026-11-29', collection_range_days: 2, minutes_after_payment: 10, shops: [2] });
    await database.db.insertInto('mall_link_shops').values({ mall_link_id: link.id, shop_no: 3, status: 'requested' }).execute();
    for (const [variant, components] of [
      ['V-SHIRT', [{ cstGodCd: 'G-SHIRT', quantity: 1 }]],
      ['V-CAP', [{ cstGodCd: 'G-CAP', quantity: 1 }]],
      ['V-SOCKS', [{ cstGodCd: 'G-SOCK', quantity: 1 }]],
      ['V-KIT', [{ cstGodCd: 'G-CUP', quantity: 1 }, { cstGodCd: 'G-LID', quantity: 1 }]],
      // Linked, but the product is 상품 연동형: the link cannot be used.
      ['V-LINKED-E', [{ cstGodCd: 'G-E', quantity: 1 }]],
    ] as const) {
      await replaceProductLink(database.db, link.id, variant, components);
    }
    source.put(link.id, scenarioOrders());
  });

  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
    await database?.drop();
  });

  let firstWorkflowId: string;

  it('accounts for every fetched item by outcome, in the result, the ledger and the trail', async () => {
    const { result, workflowId } = await runCollection(temporal.client, temporal.taskQueue, { mallLinkId: link.id, slotAt: slot, trigger: 'schedule' });
    firstWorkflowId = workflowId;

    expect(result).toMatchObject({
      mallLinkId: link.id,
      mallId: link.mall_id,
      slotAt: slot,
      trigger: 'schedule',
      status: 'completed',
      outcome: 'collected',
      window: { from: '2026-11-29T05:40:00.000Z', to: slot },
      ordersFetched: 17,
      itemsFetched: 20,
    });
    expect(result.counts).toEqual(tallyOutcomes(expectedFirstRun));
    expect(result.shops.map((s) => [s.shopNo, s.ordersFetched])).toEqual([
      [1, 15],
      [2, 2],
    ]);
    expect(await latestOutcomes(database, link.id)).toEqual(expectedFirstRun);

    const ledger = await database.db.selectFrom('collection_runs').selectAll().where('id', '=', result.collectionRunId).executeTakeFirstOrThrow();
    expect(ledger).toMatchObject({ workflow_id: workflowId, trigger: 'schedule', status: 'completed', outcome: 'collected', orders_fetched: 17, items_fetched: 20 });
    expect(ledger.counts).toEqual(result.counts);
    expect(ledger.finished_at).toBeInstanceOf(Date);
    expect(await database.db.selectFrom('collection_leases').selectAll().where('mall_link_id', '=', link.id).execute()).toEqual([]);
  });

  it('sent each ready order to FMS once, with merged lines, and recorded slips and out-of-stock warnings', async () => {
    expect(requester.duplicates()).toEqual([]);
    const created = Object.fromEntries(requester.created.map((c) => [c.orderId, c.lines]));
    expect(Object.keys(created).sort()).toEqual(['O-BUNDLE', 'O-EDGE', 'O-MIXED', 'O-READY', 'S2-KIT', 'S2-READY']);
    expect(created['O-READY']).toEqual([
      { cstGodCd: 'G-SHIRT', quantity: 1 },
      { cstGodCd: 'G-CAP', quantity: 2 },
    ]);
    expect(created['O-MIXED']).toEqual([{ cstGodCd: 'G-SHIRT', quantity: 1 }]);
    expect(created['O-BUNDLE']).toEqual([
      { cstGodCd: 'G-SHIRT', quantity: 2 },
      { cstGodCd: 'G-SOCK', quantity: 4 },
    ]);
    const ready = await findCollectedOrder(database.db, link.id, 'O-READY');
    expect(ready).toMatchObject({ request_outcome: 'created', slip_no: expect.stringMatching(/^SLIP-/), request_warnings: ['out_of_stock:G-CAP'] });
  });

  it('keeps personal data in PostgreSQL and out of the workflow history', async () => {
    const stored = await findCollectedOrder(database.db, link.id, 'O-READY');
    expect(JSON.stringify(stored!.raw)).toContain('홍길동');
    const history = decodedHistoryText(await temporal.client.workflow.getHandle(firstWorkflowId).fetchHistory());
    expect(history).toContain('O-READY');
    for (const personal of ['홍길동', '010-1234-5678', '세종대로', '경비실', '상품 1']) expect(history).not.toContain(personal);
  });

  it('holds unlinked orders with a reason per item and first/last seen times', async () => {
    const held = (await listUnlinkedOrders(database.db, link.id, ['open'], { limit: 50 })).rows;
    expect(Object.fromEntries(held.map((h) => [h.order_id, h.items.map((i) => i.reason)]))).toEqual({
      'O-UNLINKED': ['other_item_unlinked', 'no_link'],
      'O-OPTION-E': ['unlinkable_option_type'],
      'O-NOVARIANT': ['missing_variant_code'],
      'O-LATELINK': ['no_link'],
    });
  });

  it('a later slot collects an unlinked order once its link exists, and never re-requests requested ones', async () => {
    await replaceProductLink(database.db, link.id, 'V-NOLINK', [{ cstGodCd: 'G-NEW', quantity: 1 }]);
    const callsBefore = requester.calls;
    const { result } = await runCollection(temporal.client, temporal.taskQueue, { mallLinkId: link.id, slotAt: '2026-12-01T06:10:00.000Z', trigger: 'schedule' });

    expect(result.counts).toEqual({
      requested: 3, // O-UNLINKED (2 items), O-RECENT (now past its 10 minutes)
      already_requested: 7,
      'not_eligible:wrong_status': 2,
      'not_eligible:before_start': 1,
      'not_eligible:outside_range': 1,
      'not_eligible:unpaid': 1,
      'not_eligible:cancelled_or_claimed': 2,
      'unlinked:unlinkable_option_type': 1,
      'unlinked:missing_variant_code': 1,
      'unlinked:no_link': 1,
    });
    // Only the two newly ready orders reached FMS; requested ones were known by their slips.
    expect(requester.calls - callsBefore).toBe(2);
    expect(requester.duplicates()).toEqual([]);
    const unlinked = (await listUnlinkedOrders(database.db, link.id, ['resolved'], { limit: 50 })).rows;
    expect(unlinked.map((u) => u.order_id)).toEqual(['O-UNLINKED']);
    expect((await listOrderTrail(database.db, link.id, 'O-UNLINKED')).map((t) => [t.order_item_code, t.outcome])).toEqual([
      ['O-UNLINKED-01', 'unlinked:other_item_unlinked'],
      ['O-UNLINKED-02', 'unlinked:no_link'],
      ['O-UNLINKED-01', 'requested'],
      ['O-UNLINKED-02', 'requested'],
    ]);
  });

  it('a held order that is cancelled leaves the open list as not_eligible', async () => {
    source.put(link.id, [order('O-OPTION-E', '2026-12-01T02:00:00.000Z', [item('O-OPTION-E', 1, { variantCode: 'V-LINKED-E', optionType: 'E', status: 'C40' })], { canceled: 'T' })]);
    const { result } = await runCollection(temporal.client, temporal.taskQueue, { mallLinkId: link.id, slotAt: '2026-12-01T06:20:00.000Z', trigger: 'schedule' });
    expect(result.counts['not_eligible:cancelled_or_claimed']).toBe(3);
    const held = (await listUnlinkedOrders(database.db, link.id, ['open', 'not_eligible'], { limit: 50 })).rows;
    expect(Object.fromEntries(held.map((h) => [h.order_id, h.status]))).toEqual({ 'O-OPTION-E': 'not_eligible', 'O-NOVARIANT': 'open', 'O-LATELINK': 'open' });
  });

  it('does not collect an unlinked order once the daily range has passed it: it stays listed as outside_range', async () => {
    await replaceProductLink(database.db, link.id, 'V-LATER', [{ cstGodCd: 'G-LATER', quantity: 1 }]);
    // Two days and a bit later: O-LATELINK (paid 12-01 10:00 KST) is now before the window.
    const { result } = await runCollection(temporal.client, temporal.taskQueue, { mallLinkId: link.id, slotAt: '2026-12-03T05:40:00.000Z', trigger: 'schedule' });
    expect(result.status).toBe('completed');
    expect(requester.created.map((c) => c.orderId)).not.toContain('O-LATELINK');
    const outside = (await listUnlinkedOrders(database.db, link.id, ['outside_range'], { limit: 50 })).rows;
    expect(outside.map((o) => o.order_id).sort()).toEqual(['O-LATELINK', 'O-NOVARIANT']);
    expect(result.unlinkedOutsideRange).toBe(2);
  });

  it('a run whose lease was taken over stops without requesting anything and is recorded as failed', async () => {
    const other = await insertTestMallLink(database.db);
    await replaceProductLink(database.db, other.id, 'V-SHIRT', [{ cstGodCd: 'G-SHIRT', quantity: 1 }]);
    source.put(other.id, [order('L-1', '2026-12-01T02:00:00.000Z', [item('L-1', 1, { variantCode: 'V-SHIRT' })])]);
    const release = source.hold();
    const fetching = source.nextFetch();
    const handle = await startCollection(temporal.client, temporal.taskQueue, { mallLinkId: other.id, slotAt: slot });
    await fetching;
    // The lease expired while the run was stuck and another run took the mall.
    await database.db.updateTable('collection_leases').set({ workflow_id: 'collect-orders:other-run', run_id: 'x' }).where('mall_link_id', '=', other.id).execute();
    release();

    await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
    const ledger = await database.db.selectFrom('collection_runs').selectAll().where('mall_link_id', '=', other.id).executeTakeFirstOrThrow();
    expect(ledger).toMatchObject({ status: 'failed', outcome: 'failed', error: expect.stringContaining('no longer holds') });
    expect(requester.created.filter((c) => c.mallLinkId === other.id)).toEqual([]);
    // The other run's lease is untouched.
    expect(await database.db.selectFrom('collection_leases').select('workflow_id').where('mall_link_id', '=', other.id).execute()).toEqual([{ workflow_id: 'collect-orders:other-run' }]);
  });

  it('ends at once with an outcome for a disabled link, one before its start date, and one not authorized', async () => {
    const cases = [
      [{ enabled: false }, 'link_disabled'],
      [{ link_start_date: '2026-12-02' }, 'before_start_date'],
      [{ cafe24_auth_status: 'reauth_required' as const }, 'not_authorized'],
    ] as const;
    for (const [overrides, outcome] of cases) {
      const other = await insertTestMallLink(database.db, overrides);
      source.put(other.id, [order('X-1', '2026-12-01T02:00:00.000Z', [item('X-1', 1)])]);
      const queries = source.queries.length;
      const { result } = await runCollection(temporal.client, temporal.taskQueue, { mallLinkId: other.id, slotAt: slot });
      expect(result).toMatchObject({ status: 'skipped', outcome, trigger: 'manual', mallId: other.mall_id, ordersFetched: 0, itemsFetched: 0, counts: {} });
      expect(source.queries.length).toBe(queries);
      const ledger = await database.db.selectFrom('collection_runs').selectAll().where('id', '=', result.collectionRunId).executeTakeFirstOrThrow();
      expect(ledger).toMatchObject({ status: 'skipped', outcome });
    }
  });
});
