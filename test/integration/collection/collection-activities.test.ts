import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollectionActivities, type CollectionActivityDeps } from '../../../src/activities/collection/collection-activities.js';
import type { RunRef } from '../../../src/temporal/collection.js';
import { acquireCollectionLease } from '../../../src/db/repositories/collection-leases.js';
import { findCollectedOrder, upsertCollectedOrders } from '../../../src/db/repositories/collected-orders.js';
import { startCollectionRun } from '../../../src/db/repositories/collection-runs.js';
import { listUnlinkedOrders, upsertUnlinkedOrders } from '../../../src/db/repositories/unlinked-orders.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { InMemoryOrderSource, InMemoryShipmentRequester } from '../../support/in-memory-collection-ports.js';
import { insertTestMallLink } from '../../support/mall-link-fixtures.js';
import { storedItem as item, storedOrder as order } from '../../support/stored-orders.js';

/** MockActivityEnvironment.run cannot infer the result type from the function; this can. */
const runIn = <A extends unknown[], R>(env: MockActivityEnvironment, fn: (...args: A) => Promise<R>, ...args: A): Promise<R> => env.run(fn, ...args) as Promise<R>;

const window = { from: '2026-11-29T00:00:00.000Z', to: '2026-12-01T05:40:00.000Z' };
const laterRun = { workflowId: 'wf-later', runId: 'later-run', trigger: 'schedule' as const, slotAt: '2026-12-01T09:10:00.000Z' };

describe('collection activities (MockActivityEnvironment, real PostgreSQL)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  /** A link with `orderCount` orders in its source, activities over them, and a run holding the link's lease. */
  async function runningCollection(workflowId: string, options: { orderCount: number; sourcePageSize: number; requester?: InMemoryShipmentRequester; deps?: Partial<CollectionActivityDeps> }) {
    const link = await insertTestMallLink(database.db);
    const source = new InMemoryOrderSource();
    source.put(link.id, orders(options.orderCount));
    const requester = options.requester ?? new InMemoryShipmentRequester();
    const activities = createCollectionActivities({ db: database.db, orderSource: source, shipmentRequester: requester, sourcePageSize: options.sourcePageSize, ...options.deps });
    const lease = { workflowId, runId: 'first-run' };
    expect(await acquireCollectionLease(database.db, link.id, lease, 60_000)).toEqual({ acquired: true });
    const ledger = await startCollectionRun(database.db, { mallLinkId: link.id, workflowId, runId: 'first-run', trigger: 'schedule', slotAt: window.to, window, status: 'running', outcome: 'running' });
    const run: RunRef = { mallLinkId: link.id, collectionRunId: ledger.id, lease };
    return { link, source, requester, activities, run };
  }

  const orders = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const id = `F-${String(i).padStart(3, '0')}`;
      return order(id, `2026-12-01T01:${String(i % 60).padStart(2, '0')}:00.000Z`, [item(id, 1)]);
    });

  it('fetchOrderPage heartbeats its cursor after each stored page and stops at 500 orders', async () => {
    const { source, activities, run } = await runningCollection('wf-heartbeat', { orderCount: 7, sourcePageSize: 3 });
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    // The progress reported; the timer's beats in between (on a slow machine) repeat it.
    env.on('heartbeat', (d: unknown) => d !== beats.at(-1) && beats.push(d));

    const page = await runIn(env, activities.fetchOrderPage, { ...run, shopNo: 1, window, cursor: null });
    expect(page.orders).toHaveLength(7);
    expect(page.nextCursor).toBeNull();
    expect(beats.map((b) => (b as { cursor: string | null }).cursor)).toEqual(['3', '6', null]);
    expect(source.queries.map((q) => q.cursor)).toEqual([null, '3', '6']);
    expect(source.queries.every((q) => q.limit === 3 && q.from === window.from && q.to === window.to)).toBe(true);
  });

  it('a retried fetchOrderPage resumes from the heartbeat cursor and keeps the orders already stored', async () => {
    const { link, source, activities, run } = await runningCollection('wf-resume', { orderCount: 7, sourcePageSize: 3 });
    // The first attempt stored one page and heartbeated before its worker died.
    const first = await source.fetchPaidOrders({ mall: { mallLinkId: link.id, mallId: link.mall_id }, shopNo: 1, from: window.from, to: window.to, cursor: null, limit: 3 });
    await upsertCollectedOrders(database.db, link.id, first.orders);
    source.queries.length = 0;

    const retry = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: { cursor: '3', orderIds: ['F-000', 'F-001', 'F-002'] } });
    const page = await runIn(retry, activities.fetchOrderPage, { ...run, shopNo: 1, window, cursor: null });
    expect(source.queries.map((q) => q.cursor)).toEqual(['3', '6']);
    expect(page.orders.map((o) => o.orderId)).toEqual(['F-000', 'F-001', 'F-002', 'F-003', 'F-004', 'F-005', 'F-006']);
  });

  it('returns at most 500 orders per call with the cursor to go on from', async () => {
    const { source, activities, run } = await runningCollection('wf-cap', { orderCount: 520, sourcePageSize: 200 });
    const page = await runIn(new MockActivityEnvironment(), activities.fetchOrderPage, { ...run, shopNo: 1, window, cursor: null });
    expect(page.orders).toHaveLength(400);
    expect(page.nextCursor).toBe('400');
    expect(() => createCollectionActivities({ db: database.db, orderSource: source, shipmentRequester: new InMemoryShipmentRequester(), sourcePageSize: 501 })).toThrow(RangeError);
  });

  it('an activity of a run that lost its lease fails without retry and touches nothing', async () => {
    const { link, source, activities, run } = await runningCollection('wf-lost', { orderCount: 2, sourcePageSize: 3 });
    await database.db.updateTable('collection_leases').set({ workflow_id: 'someone-else' }).where('mall_link_id', '=', link.id).execute();

    const failure = await runIn(new MockActivityEnvironment(), activities.fetchOrderPage, { ...run, shopNo: 1, window, cursor: null }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'CollectionLeaseLost', nonRetryable: true });
    expect(source.queries).toEqual([]);
  });

  it('a step renews the lease once half of it has passed since the last renewal, and finds it taken then', async () => {
    let clock = 0;
    const { link, source, activities, run } = await runningCollection('wf-due', { orderCount: 9, sourcePageSize: 3, deps: { leaseTtlMs: 60_000, monotonicNow: () => clock } });
    const fetch = source.fetchPaidOrders.bind(source);
    source.fetchPaidOrders = async (query) => {
      const page = await fetch(query);
      if (source.queries.length === 1) {
        // Taken (as after an expiry) while the first page was fetched, short of half a lease: not checked yet.
        await database.db.updateTable('collection_leases').set({ workflow_id: 'someone-else' }).where('mall_link_id', '=', link.id).execute();
        clock += 29_000;
      } else {
        clock += 2_000;
      }
      return page;
    };

    const failure = await runIn(new MockActivityEnvironment(), activities.fetchOrderPage, { ...run, shopNo: 1, window, cursor: null }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ type: 'CollectionLeaseLost', nonRetryable: true });
    // The renewal that fell due after the second page found the lease gone; no third page was asked.
    expect(source.queries).toHaveLength(2);
  });

  it('finishCollection closes a failed run’s books and frees the mall in one statement, leaving held orders as they are', async () => {
    const { link, activities, run } = await runningCollection('wf-finish-failed', { orderCount: 0, sourcePageSize: 3 });
    await upsertUnlinkedOrders(database.db, link.id, [{ kind: 'unlinked', orderId: 'H-1', shopNo: 1, paidAt: '2026-11-01T00:00:00.000Z', items: [{ orderItemCode: 'H-1-01', variantCode: 'V-NONE', reason: 'no_link' }] }]);
    const finish = { ...run, window, counts: {}, ordersFetched: 0, itemsFetched: 0 };

    const failed = await runIn(new MockActivityEnvironment(), activities.finishCollection, { ...finish, status: 'failed', outcome: 'failed', error: 'boom' });
    expect(failed).toEqual({ unlinkedOutsideRange: 0 });
    expect(await database.db.selectFrom('collection_runs').select(['status', 'outcome', 'error']).where('id', '=', run.collectionRunId).executeTakeFirstOrThrow()).toEqual({ status: 'failed', outcome: 'failed', error: 'boom' });
    expect(await database.db.selectFrom('collection_leases').selectAll().where('mall_link_id', '=', link.id).execute()).toEqual([]);
    expect((await listUnlinkedOrders(database.db, link.id, ['open'], { limit: 10 })).rows.map((r) => r.order_id)).toEqual(['H-1']);
  });

  it('requestShipments records slips, warnings and rejections and returns the outcome of every item; a rejected order is asked again later, a slip never', async () => {
    const { link, requester, activities, run } = await runningCollection('wf-request', {
      orderCount: 3,
      sourcePageSize: 3,
      requester: new InMemoryShipmentRequester({ outOfStock: ['G-LOW'], unknownGoods: ['G-UNKNOWN'] }),
    });
    await runIn(new MockActivityEnvironment(), activities.fetchOrderPage, { ...run, shopNo: 1, window, cursor: null });
    const ready = (orderId: string, cstGodCd: string) => ({ kind: 'ready' as const, orderId, shopNo: 1, items: [{ orderItemCode: `${orderId}-01`, lines: [{ cstGodCd, quantity: 1 }] }], lines: [{ cstGodCd, quantity: 1 }] });

    const first = await runIn(new MockActivityEnvironment(), activities.requestShipments, { ...run, orders: [ready('F-000', 'G-OK'), ready('F-001', 'G-LOW'), ready('F-002', 'G-UNKNOWN')] });
    const itemOutcome = (orderId: string, outcome: string) => ({ orderId, shopNo: 1, orderItemCode: `${orderId}-01`, outcome });
    expect(first).toEqual([itemOutcome('F-000', 'requested'), itemOutcome('F-001', 'requested'), itemOutcome('F-002', 'rejected')]);
    expect(await findCollectedOrder(database.db, link.id, 'F-000')).toMatchObject({ request_outcome: 'created', slip_no: 'SLIP-000001', request_warnings: [] });
    expect(await findCollectedOrder(database.db, link.id, 'F-001')).toMatchObject({ request_outcome: 'created', slip_no: 'SLIP-000002', request_warnings: ['out_of_stock:G-LOW'] });
    expect(await findCollectedOrder(database.db, link.id, 'F-002')).toMatchObject({ request_outcome: 'rejected', slip_no: null, request_reason: 'unknown goods code G-UNKNOWN' });

    // A retry of the same activity (same run) reports what it did; FMS is not asked again for slips.
    const calls = requester.calls;
    const retried = await runIn(new MockActivityEnvironment({ attempt: 2 }), activities.requestShipments, { ...run, orders: [ready('F-000', 'G-OK'), ready('F-002', 'G-OK')] });
    expect(retried).toEqual([itemOutcome('F-000', 'requested'), itemOutcome('F-002', 'requested')]);
    expect(requester.calls - calls).toBe(1);
    expect(await findCollectedOrder(database.db, link.id, 'F-000')).toMatchObject({ slip_no: 'SLIP-000001', requested_run_id: run.collectionRunId });
    expect(await findCollectedOrder(database.db, link.id, 'F-002')).toMatchObject({ request_outcome: 'created', slip_no: 'SLIP-000003', request_reason: null });

    // A later run meets an order whose slip another run recorded: already requested, FMS not asked.
    const later = await startCollectionRun(database.db, { ...laterRun, mallLinkId: link.id, window, status: 'running', outcome: 'running' });
    const again = await runIn(new MockActivityEnvironment(), activities.requestShipments, { ...run, collectionRunId: later.id, orders: [ready('F-000', 'G-OK')] });
    expect(again).toEqual([itemOutcome('F-000', 'already_requested')]);
    expect(requester.calls - calls).toBe(1);
  });
});
