import { ApplicationFailure, Context } from '@temporalio/activity';
import { sql } from 'kysely';
import { concurrencyLimit } from '../concurrency.js';
import { heartbeat, heartbeating, keepHeartbeating, stopIfCancelled } from '../heartbeat.js';
import type { Db } from '../../db/database.js';
import { acquireCollectionLease, releaseCollectionLease, releaseCollectionLeaseQuery, renewCollectionLease } from '../../db/repositories/collection-leases.js';
import { findCollectionRunOf, finishCollectionRun, finishCollectionRunQuery, startCollectionRun } from '../../db/repositories/collection-runs.js';
import { findCollectedOrders, findOrderIdsWithSlip, recordShipmentOutcomes, upsertCollectedOrders } from '../../db/repositories/collected-orders.js';
import { findActiveShopNos } from '../../db/repositories/mall-link-shops.js';
import { collectionRulesOf, findMallLinkById } from '../../db/repositories/mall-links.js';
import { appendOutcomeChanges } from '../../db/repositories/order-trail.js';
import { findProductLinks } from '../../db/repositories/product-links.js';
import { markUnlinkedNotEligible, markUnlinkedOutsideRangeQuery, resolveUnlinkedOrders, upsertUnlinkedOrders } from '../../db/repositories/unlinked-orders.js';
import { addCounts, assertAccounted, orderItemOutcomes, type ItemOutcome, type ItemOutcomeRecord } from '../../domain/collection-accounting.js';
import { collectPage, type CollectionPageSteps } from '../../domain/collection-page.js';
import { collectionBlocker } from '../../domain/collection-run.js';
import { collectionWindow } from '../../domain/collection-window.js';
import { chunk } from '../../domain/grouping.js';
import type { StoredOrder } from '../../domain/order.js';
import { summarizeOrder, type OrderSummary } from '../../domain/order-summary.js';
import {
  collectionErrorTypes,
  type CollectionActivities,
  type CollectionPlan,
  type CollectionStart,
  type FetchedPage,
  type FetchOrderPageInput,
  type LeaseHolder,
  type PlanCollectionInput,
  type RecordOutcomesInput,
  type RequestShipmentsInput,
  type RunRef,
  type SkipOutcome,
} from '../../temporal/collection.js';
import type { MallLinkRow } from '../../../db/schema.js';
import type { OrderSource, OrderSourceMall, ShipmentLink, ShipmentRequester } from './ports.js';

/** Most orders one fetch activity returns to the workflow (keeps each history payload small). */
export const maxOrdersPerFetch = 500;

export interface CollectionActivityDeps {
  db: Db;
  orderSource: OrderSource;
  shipmentRequester: ShipmentRequester;
  /** Orders asked of the source per call; a fetch activity makes up to ordersPerFetch / this many calls. */
  sourcePageSize?: number;
  /** Most orders one fetch returns (and startCollection takes before it hands over); 500 by default, less in tests of paging. */
  ordersPerFetch?: number;
  /** How long a run's hold on a mall lasts without renewal (every activity renews it as it starts; its later steps once half of it has passed, and before FMS). */
  leaseTtlMs?: number;
  /** Orders per call of the shipment requester (one FMS create call each); 100 by default. */
  fmsBatchSize?: number;
  /** Create calls one requestShipments keeps in flight at once; 4 by default. */
  fmsCreateConcurrency?: number;
  /**
   * Create calls in flight across every activity of this worker; 6 by default. Each holds a pooled
   * connection (its ordNo locks) for the whole FMS call, so this leaves room in the worker's pool
   * (10) for the other steps: with many malls' runs at one slot they would otherwise queue behind
   * FMS latency and time out.
   */
  fmsCreatesInFlight?: number;
  /** A monotonic clock in milliseconds (performance.now); tests move their own. */
  monotonicNow?: () => number;
}

/**
 * What the steps of one activity share: the link as it read it, and when (monotonicNow) its
 * lease is next due for renewal. An activity starts with a fresh scope; startCollection's steps
 * share the one its plan filled.
 */
interface RunScope {
  link: MallLinkRow | null;
  leaseRenewDue: number;
}
const freshScope = (): RunScope => ({ link: null, leaseRenewDue: 0 });

interface FetchProgress {
  cursor: string | null;
  orderIds: string[];
}

const sourceMallOf = (link: MallLinkRow): OrderSourceMall => ({ mallLinkId: link.id, mallId: link.mall_id });

const shipmentLinkOf = (link: MallLinkRow): ShipmentLink => ({
  mallLinkId: link.id,
  cstCd: link.cst_cd,
  invoiceDisplay: link.invoice_display,
  senderName: link.sender_name,
  senderPhone: link.sender_phone,
});

export function createCollectionActivities({ db, orderSource, shipmentRequester, sourcePageSize = 100, ordersPerFetch = maxOrdersPerFetch, leaseTtlMs = 10 * 60_000, fmsBatchSize = 100, fmsCreateConcurrency = 4, fmsCreatesInFlight = 6, monotonicNow = () => performance.now() }: CollectionActivityDeps): CollectionActivities {
  if (ordersPerFetch < 1 || ordersPerFetch > maxOrdersPerFetch) throw new RangeError(`ordersPerFetch must be within 1..${maxOrdersPerFetch}`);
  if (sourcePageSize < 1 || sourcePageSize > ordersPerFetch) throw new RangeError(`sourcePageSize must be within 1..${ordersPerFetch}`);
  const createCall = concurrencyLimit(fmsCreatesInFlight);

  async function loadLink(mallLinkId: string): Promise<MallLinkRow> {
    const link = await findMallLinkById(db, mallLinkId);
    if (!link) throw ApplicationFailure.nonRetryable(`mall link ${mallLinkId} no longer exists`, collectionErrorTypes.linkNotFound);
    return link;
  }

  /**
   * The lease is the real guard against two runs on one mall: lose it and the run stops. Another
   * run can take the mall only once the lease has expired, so a step renews it only when half a
   * lease has passed (by this process's clock) since the last renewal, or always (`now`) before it
   * asks FMS for anything: that check must not lean on a clock a suspended machine can stop.
   */
  async function holdLease({ mallLinkId, lease }: RunRef, scope: RunScope, renew: 'when due' | 'now' = 'when due'): Promise<void> {
    const asked = monotonicNow();
    if (renew === 'when due' && asked < scope.leaseRenewDue) return;
    if (!(await renewCollectionLease(db, mallLinkId, lease, leaseTtlMs))) {
      throw ApplicationFailure.nonRetryable(`run ${lease.workflowId} no longer holds mall link ${mallLinkId}`, collectionErrorTypes.leaseLost);
    }
    scope.leaseRenewDue = asked + leaseTtlMs / 2;
  }

  /** Holds the lease and reads the link (unless the scope has it) at the start of a step. */
  async function enterStep(run: RunRef, scope: RunScope, renew?: 'when due' | 'now'): Promise<MallLinkRow> {
    await holdLease(run, scope, renew);
    scope.link ??= await loadLink(run.mallLinkId);
    return scope.link;
  }

  async function planIn(input: PlanCollectionInput, scope: RunScope): Promise<CollectionPlan> {
    const link = await findMallLinkById(db, input.mallLinkId);
    const start = { mallLinkId: input.mallLinkId, workflowId: input.lease.workflowId, runId: input.lease.runId, trigger: input.trigger, slotAt: input.slotAt };
    const skip = async (outcome: SkipOutcome, heldBy: LeaseHolder | null = null): Promise<CollectionPlan> => {
      const run = await startCollectionRun(db, { ...start, window: null, status: 'skipped', outcome });
      return { kind: 'skipped', outcome, collectionRunId: run.id, mallId: link?.mall_id ?? null, cstCd: link?.cst_cd ?? null, heldBy };
    };
    if (!link) return skip('link_not_found');
    const reason = collectionBlocker(link, input.slotAt);
    if (reason) return skip(reason);
    const asked = monotonicNow();
    const lease = await acquireCollectionLease(db, link.id, input.lease, leaseTtlMs);
    if (!lease.acquired) return skip('another_run_in_progress', lease.heldBy);
    scope.link = link;
    scope.leaseRenewDue = asked + leaseTtlMs / 2;

    const rules = collectionRulesOf(link);
    const window = collectionWindow(rules, input.slotAt);
    const run = await startCollectionRun(db, { ...start, window, status: 'running', outcome: 'running' });
    return { kind: 'ready', collectionRunId: run.id, mallId: link.mall_id, cstCd: link.cst_cd, rules, window, shops: await findActiveShopNos(db, link.id) };
  }

  /**
   * Pages through the source until up to 500 orders are stored, heartbeating the cursor after
   * each stored page; a retry resumes from the last heartbeat instead of starting over.
   */
  async function fetchPage(input: FetchOrderPageInput, scope: RunScope): Promise<FetchedPage> {
    const resumed = Context.current().info.heartbeatDetails as FetchProgress | undefined;
    const heartbeats = keepHeartbeating();
    try {
      const link = await enterStep(input, scope);
      const orders = new Map<string, OrderSummary>();
      if (resumed) {
        for (const row of await findCollectedOrders(db, link.id, resumed.orderIds)) orders.set(row.order_id, summarizeOrder(row.raw as StoredOrder));
      }
      let cursor = resumed ? resumed.cursor : input.cursor;
      let done = resumed !== undefined && resumed.cursor === null;
      while (!done && orders.size + sourcePageSize <= ordersPerFetch) {
        const page = await orderSource.fetchPaidOrders({ mall: sourceMallOf(link), shopNo: input.shopNo, from: input.window.from, to: input.window.to, cursor, limit: sourcePageSize });
        await upsertCollectedOrders(db, link.id, page.orders);
        for (const order of page.orders) orders.set(order.orderId, summarizeOrder(order));
        cursor = page.nextCursor;
        done = cursor === null;
        heartbeats.beat({ cursor, orderIds: [...orders.keys()] } satisfies FetchProgress);
        await holdLease(input, scope);
      }
      const requestedOrderIds = await findOrderIdsWithSlip(db, link.id, [...orders.keys()], input.collectionRunId);
      return { orders: [...orders.values()], requestedOrderIds, nextCursor: done ? null : cursor };
    } finally {
      heartbeats.stop();
    }
  }

  /**
   * Requests shipment through the exactly-once requester, `fmsBatchSize` orders per FMS call;
   * orders with a recorded slip are not sent again. Records each answer, the item trail, and
   * resolves held orders that went out. An order left without an answer (its create may still be
   * in flight) fails the activity after the others are recorded, so a retry asks only for it.
   */
  async function requestShipmentsOf(input: RequestShipmentsInput, scope: RunScope): Promise<ItemOutcomeRecord[]> {
    const link = await enterStep(input, scope, 'now');
    const shipmentLink = shipmentLinkOf(link);
    const stored = new Map((await findCollectedOrders(db, link.id, input.orders.map((o) => o.orderId))).map((row) => [row.order_id, row]));
    const outcomes = new Map<string, ItemOutcome>();
    const toRequest = input.orders.filter((order) => {
      const row = stored.get(order.orderId);
      // A purged row has no recipient: only the fetch of this run may supply the order.
      if (!row || row.raw_purged_at !== null) throw new Error(`order ${order.orderId} was not stored by the fetch step`);
      if (row.slip_no === null) return true;
      // Recorded by this very run in an earlier attempt of this activity counts as requested here.
      outcomes.set(order.orderId, row.requested_run_id === input.collectionRunId ? 'requested' : 'already_requested');
      return false;
    });
    let unanswered: Error | null = null;
    const requestBatch = async (batch: typeof toRequest) => {
      const answers = await createCall(() =>
        shipmentRequester.requestShipments(
          batch.map((order) => ({ link: shipmentLink, shopNo: order.shopNo, order: stored.get(order.orderId)!.raw as StoredOrder, lines: order.lines, items: order.items })),
        ),
      );
      const answered = batch.flatMap((order, i) => {
        const answer = answers[i]!;
        if ('error' in answer) {
          unanswered ??= answer.error;
          return [];
        }
        return [{ orderId: order.orderId, outcome: answer.outcome }];
      });
      await recordShipmentOutcomes(db, link.id, input.collectionRunId, answered);
      // No run had recorded a slip for these orders, so this run is the one that requested them, even
      // when FMS already held the request (an earlier create whose answer was lost, or a crash
      // before the slip was recorded); request_outcome keeps which of the two it was.
      for (const { orderId, outcome } of answered) outcomes.set(orderId, outcome.kind === 'rejected' ? 'rejected' : 'requested');
      heartbeat(outcomes.size);
    };
    // A few create calls in flight at once: each waits mostly on FMS, and the locks keep them apart per ordNo.
    const batches = chunk(toRequest, fmsBatchSize);
    const lane = async () => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        stopIfCancelled();
        await requestBatch(batch);
      }
    };
    // Every lane ends before the activity does, so a retry never overlaps a create of this attempt.
    const lanes = await Promise.allSettled(Array.from({ length: Math.min(fmsCreateConcurrency, batches.length) }, lane));
    const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (failed) throw failed.reason;
    if (unanswered) throw unanswered;
    const records = input.orders.flatMap((order) => orderItemOutcomes(order, outcomes.get(order.orderId)!));
    const shipped = input.orders.filter((order) => outcomes.get(order.orderId) !== 'rejected').map((order) => order.orderId);
    await appendOutcomeChanges(db, link.id, input.collectionRunId, records);
    await resolveUnlinkedOrders(db, link.id, shipped, input.collectionRunId);
    return records;
  }

  async function recordOutcomesOf(input: RecordOutcomesInput, scope: RunScope): Promise<void> {
    await holdLease(input, scope);
    await db.transaction().execute(async (trx) => {
      await appendOutcomeChanges(trx, input.mallLinkId, input.collectionRunId, input.records);
      await upsertUnlinkedOrders(trx, input.mallLinkId, input.unlinked);
      await markUnlinkedNotEligible(trx, input.mallLinkId, input.changedOrderIds);
    });
  }

  const requestShipmentsIn = heartbeating(requestShipmentsOf);

  const activities: Omit<CollectionActivities, 'startCollection'> = {
    planCollection: (input) => planIn(input, freshScope()),
    fetchOrderPage: (input) => fetchPage(input, freshScope()),
    requestShipments: (input) => requestShipmentsIn(input, freshScope()),

    async loadProductLinks(input) {
      const links = await findProductLinks(db, input.mallLinkId, input.variantCodes);
      return links.map((l) => [l.variantCode, l.components]);
    },

    recordOutcomes: (input) => recordOutcomesOf(input, freshScope()),

    async failCollection({ mallLinkId, lease, error }) {
      const run = await findCollectionRunOf(db, lease);
      if (run?.status === 'running') {
        await finishCollectionRun(db, run.id, { status: 'failed', outcome: 'failed', counts: {}, ordersFetched: 0, itemsFetched: 0, error });
      }
      await releaseCollectionLease(db, mallLinkId, lease);
    },

    /**
     * Closes the run's books and frees the mall in one statement: held orders paid before a
     * completed run's window are outside its range, the ledger row gets its outcome, the lease goes.
     */
    async finishCollection(input) {
      const finish = { status: input.status, outcome: input.outcome, counts: input.counts as Record<string, number>, ordersFetched: input.ordersFetched, itemsFetched: input.itemsFetched, error: input.error };
      const finished = finishCollectionRunQuery(db, input.collectionRunId, finish);
      const released = releaseCollectionLeaseQuery(db, input.mallLinkId, input.lease);
      const marked = input.status === 'completed' ? markUnlinkedOutsideRangeQuery(db, input.mallLinkId, input.window.from).returning('order_id') : sql`select null::text as order_id where false`;
      const { rows } = await sql<{ marked: number }>`with finished as (${finished}), released as (${released}), marked as (${marked}) select count(*)::int as marked from marked`.execute(db);
      return { unlinkedOutsideRange: rows[0]!.marked };
    },
  };

  /** The plan and the first pages in one activity, its steps sharing one scope: the link read once, the lease renewed only when due. */
  async function startCollection(input: PlanCollectionInput): Promise<CollectionStart> {
    const scope = freshScope();
    const plan = await planIn(input, scope);
    if (plan.kind !== 'ready') return { plan, collected: null };
    const run: RunRef = { mallLinkId: input.mallLinkId, collectionRunId: plan.collectionRunId, lease: input.lease };
    const steps: CollectionPageSteps = {
      loadProductLinks: (variantCodes) => activities.loadProductLinks({ mallLinkId: input.mallLinkId, variantCodes }),
      requestShipments: (orders) => requestShipmentsIn({ ...run, orders }, scope),
      recordOutcomes: (records, unlinked, changedOrderIds) => recordOutcomesOf({ ...run, records, unlinked, changedOrderIds }, scope),
    };
    const seen = new Set<string>();
    const collected: NonNullable<CollectionStart['collected']> = { shops: [], ordersFetched: 0, itemsFetched: 0, counts: {}, orderIds: [], next: null, unlinkedOutsideRange: 0 };
    for (const [shopIndex, shopNo] of plan.shops.entries()) {
      if (collected.ordersFetched >= ordersPerFetch) {
        collected.next = { shopIndex, cursor: null };
        break;
      }
      stopIfCancelled();
      const page = await fetchPage({ ...run, shopNo, window: plan.window, cursor: null }, scope);
      const fresh = page.orders.filter((o) => !seen.has(o.orderId));
      for (const o of fresh) seen.add(o.orderId);
      const items = fresh.reduce((n, o) => n + o.items.length, 0);
      collected.shops.push({ shopNo, pages: 1, ordersFetched: fresh.length, itemsFetched: items });
      collected.ordersFetched += fresh.length;
      collected.itemsFetched += items;
      if (fresh.length > 0) collected.counts = addCounts(collected.counts, await collectPage(fresh, new Set(page.requestedOrderIds), plan.rules, input.slotAt, steps));
      if (page.nextCursor !== null) {
        collected.next = { shopIndex, cursor: page.nextCursor };
        break;
      }
    }
    collected.orderIds = [...seen];
    if (collected.next === null) {
      assertAccounted(collected.counts, collected.itemsFetched);
      stopIfCancelled();
      const finished = await activities.finishCollection({
        ...run,
        window: plan.window,
        status: 'completed',
        outcome: 'collected',
        counts: collected.counts,
        ordersFetched: collected.ordersFetched,
        itemsFetched: collected.itemsFetched,
        error: null,
      });
      collected.unlinkedOutsideRange = finished.unlinkedOutsideRange;
    }
    return { plan, collected };
  }

  return { ...activities, startCollection };
}
