import { ApplicationFailure, Context } from '@temporalio/activity';
import { heartbeating, keepHeartbeating } from '../heartbeat.js';
import type { Db } from '../../db/database.js';
import { acquireCollectionLease, releaseCollectionLease, renewCollectionLease } from '../../db/repositories/collection-leases.js';
import { finishCollectionRun, startCollectionRun } from '../../db/repositories/collection-runs.js';
import { findCollectedOrders, findOrderIdsWithSlip, recordShipmentOutcomes, upsertCollectedOrders } from '../../db/repositories/collected-orders.js';
import { findActiveShopNos } from '../../db/repositories/mall-link-shops.js';
import { collectionRulesOf, findMallLinkById } from '../../db/repositories/mall-links.js';
import { appendOutcomeChanges } from '../../db/repositories/order-trail.js';
import { findProductLinks } from '../../db/repositories/product-links.js';
import { markUnlinkedNotEligible, markUnlinkedOutsideRange, resolveUnlinkedOrders, upsertUnlinkedOrders } from '../../db/repositories/unlinked-orders.js';
import { orderItemOutcomes, type ItemOutcome } from '../../domain/collection-accounting.js';
import { collectionBlocker } from '../../domain/collection-run.js';
import { collectionWindow } from '../../domain/collection-window.js';
import { chunk } from '../../domain/grouping.js';
import type { StoredOrder } from '../../domain/order.js';
import { summarizeOrder, type OrderSummary } from '../../domain/order-summary.js';
import { collectionErrorTypes, type CollectionActivities, type CollectionPlan, type LeaseHolder, type RunRef, type SkipOutcome } from '../../temporal/collection.js';
import type { MallLinkRow } from '../../../db/schema.js';
import type { OrderSource, OrderSourceMall, ShipmentLink, ShipmentRequester } from './ports.js';

/** Most orders one fetch activity returns to the workflow (keeps each history payload small). */
export const maxOrdersPerFetch = 500;

export interface CollectionActivityDeps {
  db: Db;
  orderSource: OrderSource;
  shipmentRequester: ShipmentRequester;
  /** Orders asked of the source per call; a fetch activity makes up to 500 / this many calls. */
  sourcePageSize?: number;
  /** How long a run's hold on a mall lasts without renewal (every activity renews it). */
  leaseTtlMs?: number;
  /** Orders per call of the shipment requester (one FMS create call each); 100 by default. */
  fmsBatchSize?: number;
}

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

export function createCollectionActivities({ db, orderSource, shipmentRequester, sourcePageSize = 100, leaseTtlMs = 10 * 60_000, fmsBatchSize = 100 }: CollectionActivityDeps): CollectionActivities {
  if (sourcePageSize < 1 || sourcePageSize > maxOrdersPerFetch) throw new RangeError(`sourcePageSize must be within 1..${maxOrdersPerFetch}`);

  async function loadLink(mallLinkId: string): Promise<MallLinkRow> {
    const link = await findMallLinkById(db, mallLinkId);
    if (!link) throw ApplicationFailure.nonRetryable(`mall link ${mallLinkId} no longer exists`, collectionErrorTypes.linkNotFound);
    return link;
  }

  /** The lock is the real guard against two runs on one mall: lose it and the run stops. */
  async function holdLease({ mallLinkId, lease }: RunRef): Promise<void> {
    if (!(await renewCollectionLease(db, mallLinkId, lease, leaseTtlMs))) {
      throw ApplicationFailure.nonRetryable(`run ${lease.workflowId} no longer holds mall link ${mallLinkId}`, collectionErrorTypes.leaseLost);
    }
  }

  const activities: CollectionActivities = {
    async planCollection(input) {
      const link = await findMallLinkById(db, input.mallLinkId);
      const start = { mallLinkId: input.mallLinkId, workflowId: input.lease.workflowId, runId: input.lease.runId, trigger: input.trigger, slotAt: input.slotAt };
      const skip = async (outcome: SkipOutcome, heldBy: LeaseHolder | null = null): Promise<CollectionPlan> => {
        const run = await startCollectionRun(db, { ...start, window: null, status: 'skipped', outcome });
        return { kind: 'skipped', outcome, collectionRunId: run.id, mallId: link?.mall_id ?? null, cstCd: link?.cst_cd ?? null, heldBy };
      };
      if (!link) return skip('link_not_found');
      const reason = collectionBlocker(link, input.slotAt);
      if (reason) return skip(reason);
      const lease = await acquireCollectionLease(db, link.id, input.lease, leaseTtlMs);
      if (!lease.acquired) return skip('another_run_in_progress', lease.heldBy);

      const rules = collectionRulesOf(link);
      const window = collectionWindow(rules, input.slotAt);
      const run = await startCollectionRun(db, { ...start, window, status: 'running', outcome: 'running' });
      return { kind: 'ready', collectionRunId: run.id, mallId: link.mall_id, cstCd: link.cst_cd, rules, window, shops: await findActiveShopNos(db, link.id) };
    },

    /**
     * Pages through the source until up to 500 orders are stored, heartbeating the cursor after
     * each stored page; a retry resumes from the last heartbeat instead of starting over.
     */
    async fetchOrderPage(input) {
      const resumed = Context.current().info.heartbeatDetails as FetchProgress | undefined;
      const heartbeats = keepHeartbeating();
      try {
        await holdLease(input);
        const link = await loadLink(input.mallLinkId);
        const orders = new Map<string, OrderSummary>();
        if (resumed) {
          for (const row of await findCollectedOrders(db, link.id, resumed.orderIds)) orders.set(row.order_id, summarizeOrder(row.raw as StoredOrder));
        }
        let cursor = resumed ? resumed.cursor : input.cursor;
        let done = resumed !== undefined && resumed.cursor === null;
        while (!done && orders.size + sourcePageSize <= maxOrdersPerFetch) {
          const page = await orderSource.fetchPaidOrders({ mall: sourceMallOf(link), shopNo: input.shopNo, from: input.window.from, to: input.window.to, cursor, limit: sourcePageSize });
          await upsertCollectedOrders(db, link.id, page.orders);
          for (const order of page.orders) orders.set(order.orderId, summarizeOrder(order));
          cursor = page.nextCursor;
          done = cursor === null;
          heartbeats.beat({ cursor, orderIds: [...orders.keys()] } satisfies FetchProgress);
          await holdLease(input);
        }
        const requestedOrderIds = await findOrderIdsWithSlip(db, link.id, [...orders.keys()]);
        return { orders: [...orders.values()], requestedOrderIds, nextCursor: done ? null : cursor };
      } finally {
        heartbeats.stop();
      }
    },

    async loadProductLinks(input) {
      const links = await findProductLinks(db, input.mallLinkId, input.variantCodes);
      return links.map((l) => [l.variantCode, l.components]);
    },

    /**
     * Requests shipment through the exactly-once requester, `fmsBatchSize` orders per FMS call;
     * orders with a recorded slip are not sent again. Records each answer, the item trail, and
     * resolves held orders that went out. An order left without an answer (its create may still be
     * in flight) fails the activity after the others are recorded, so a retry asks only for it.
     */
    async requestShipments(input) {
      const context = Context.current();
      await holdLease(input);
      const link = await loadLink(input.mallLinkId);
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
      for (const batch of chunk(toRequest, fmsBatchSize)) {
        const answers = await shipmentRequester.requestShipments(
          batch.map((order) => ({ link: shipmentLink, shopNo: order.shopNo, order: stored.get(order.orderId)!.raw as StoredOrder, lines: order.lines, items: order.items })),
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
        context.heartbeat(outcomes.size);
      }
      if (unanswered) throw unanswered;
      const records = input.orders.flatMap((order) => orderItemOutcomes(order, outcomes.get(order.orderId)!));
      const shipped = input.orders.filter((order) => outcomes.get(order.orderId) !== 'rejected').map((order) => order.orderId);
      await appendOutcomeChanges(db, link.id, input.collectionRunId, records);
      await resolveUnlinkedOrders(db, link.id, shipped, input.collectionRunId);
      return records;
    },

    async recordOutcomes(input) {
      await holdLease(input);
      await db.transaction().execute(async (trx) => {
        await appendOutcomeChanges(trx, input.mallLinkId, input.collectionRunId, input.records);
        await upsertUnlinkedOrders(trx, input.mallLinkId, input.unlinked);
        await markUnlinkedNotEligible(trx, input.mallLinkId, input.changedOrderIds);
      });
    },

    async finishCollection(input) {
      const unlinkedOutsideRange = await db.transaction().execute(async (trx) => {
        const marked = input.status === 'completed' ? await markUnlinkedOutsideRange(trx, input.mallLinkId, input.window.from) : 0;
        await finishCollectionRun(trx, input.collectionRunId, {
          status: input.status,
          outcome: input.outcome,
          counts: input.counts as Record<string, number>,
          ordersFetched: input.ordersFetched,
          itemsFetched: input.itemsFetched,
          error: input.error,
        });
        return marked;
      });
      await releaseCollectionLease(db, input.mallLinkId, input.lease);
      return { unlinkedOutsideRange };
    },
  };
  return { ...activities, requestShipments: heartbeating(activities.requestShipments) };
}
