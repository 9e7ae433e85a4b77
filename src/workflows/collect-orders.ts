import { CancellationScope, continueAsNew, patched, proxyActivities, proxyLocalActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import { addCounts, assertAccounted } from '../domain/collection-accounting.js';
import { collectPage, type CollectionPageSteps } from '../domain/collection-page.js';
import { collectionRunSummary } from '../domain/collection-run.js';
import {
  collectionErrorTypes,
  type CollectionActivities,
  type CollectionPlan,
  type CollectionStart,
  type FetchedPage,
  type CollectionProgress,
  type CollectOrdersInput,
  type CollectOrdersResult,
  type LeaseHolder,
} from '../temporal/collection.js';
import { databaseActivityOptions, localRemoteActivityOptions, remoteActivityOptions } from './activity-options.js';
import { failureMessage } from './failure-message.js';
import { continuedSlotInput, recordEarlyRunAttributes, recordRunAttributes, runSlot, runTrigger } from './slot.js';

const nonRetryableErrorTypes = Object.values(collectionErrorTypes);

/**
 * Pages of 500 orders put their lines in history (request inputs, outcomes): one execution of a
 * 20,000-order run reached 4.4 MB before the server suggested continuing as new, too big for one
 * 4 MB gRPC answer (the Temporal UI, `fetchHistory`). Continuing past 2 MB keeps each readable.
 */
const maxHistoryBytes = 2 * 1024 * 1024;
const historyFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historySize > maxHistoryBytes;

/**
 * The database-only steps run as local activities: in the worker that runs the workflow task, one
 * marker in the history each instead of a task round trip through the server (three events plus
 * a workflow task). At a slot of many small malls those round trips were most of the time.
 */
const database = proxyLocalActivities<CollectionActivities>(databaseActivityOptions(nonRetryableErrorTypes));
const remote = proxyActivities<CollectionActivities>(remoteActivityOptions(nonRetryableErrorTypes));
/** startCollection calls Cafe24 and FMS too, but is short: a small mall's whole run in one history event. */
const start = proxyLocalActivities<CollectionActivities>(localRemoteActivityOptions(nonRetryableErrorTypes));

/** The patch that starts a run with startCollection (one local activity) instead of a plan and a page of activities. */
export const startCollectionLocallyPatch = 'start-collection-locally';

/**
 * 주문수집 for one mall at one slot: plan, then per active shop fetch pages of ≤500 orders, select
 * eligible items (pure), resolve product links, request shipments in batches of ≤500 and record
 * every item's outcome; finally close the ledger row. The plan and the first pages run in one local
 * activity (startCollection), which also closes the books when they were all; further pages go one
 * activity at a time, the next fetched while the current one's shipments are requested. Only compact order summaries pass through
 * the workflow; raw orders (personal data) stay in PostgreSQL. When the server suggests it (history
 * length or size), the run continues as new between pages, carrying its position and counts.
 */
export async function collectOrders(input: CollectOrdersInput): Promise<CollectOrdersResult> {
  const info = workflowInfo();
  const slotAt = runSlot(input).toISOString();
  const trigger = runTrigger(input);
  // The first run id stays the same across continue-as-new, so the whole chain holds one lease.
  const lease: LeaseHolder = { workflowId: info.workflowId, runId: info.firstExecutionRunId };
  // Runs started before this patch recorded the plan and each page's steps one by one, a page's fetch after the last page's requests.
  const patchedRun = patched(startCollectionLocallyPatch);
  const startLocally = patchedRun && !input.resume;
  const attributes = { trigger, slotAt, startLocally };
  recordEarlyRunAttributes(input, attributes);

  let plan: CollectionPlan;
  let result: CollectOrdersResult;
  let started: CollectionStart['collected'] = null;
  if (input.resume) {
    ({ plan, result } = input.resume);
  } else {
    const planInput = { mallLinkId: input.mallLinkId, slotAt, trigger, lease };
    if (startLocally) {
      try {
        ({ plan, collected: started } = await start.startCollection.executeWithOptions({ summary: 'plan, first pages' }, [planInput]));
      } catch (error) {
        // Its plan never reached the workflow: the ledger row is found by the lease holder.
        await CancellationScope.nonCancellable(() => database.failCollection({ mallLinkId: input.mallLinkId, lease, error: failureMessage(error) }));
        throw error;
      }
    } else {
      plan = await database.planCollection.executeWithOptions({ summary: 'plan: link, settings, lease' }, [planInput]);
    }
    result = {
      mallLinkId: input.mallLinkId,
      mallId: plan.mallId,
      slotAt,
      trigger,
      collectionRunId: plan.collectionRunId,
      status: 'skipped',
      outcome: plan.kind === 'skipped' ? plan.outcome : 'collected',
      heldBy: plan.kind === 'skipped' ? (plan.heldBy?.workflowId ?? null) : null,
      window: plan.kind === 'ready' ? plan.window : null,
      ordersFetched: started?.ordersFetched ?? 0,
      itemsFetched: started?.itemsFetched ?? 0,
      counts: started?.counts ?? {},
      shops: started?.shops ?? [],
      unlinkedOutsideRange: started?.unlinkedOutsideRange ?? 0,
    };
  }
  recordRunAttributes(input, attributes, plan);
  if (plan.kind === 'skipped') {
    setCurrentDetails(`skipped: ${plan.outcome}`);
    return result;
  }

  const { rules, window } = plan;
  const run = { mallLinkId: input.mallLinkId, collectionRunId: plan.collectionRunId, lease };
  const summary = collectionRunSummary(plan.mallId, slotAt);
  // Within one execution an order met again on a later page (the source shifted) is counted once.
  const seen = new Set<string>();

  const steps = (label: string): CollectionPageSteps => ({
    loadProductLinks: (variantCodes) => database.loadProductLinks.executeWithOptions({ summary: `${label}: product links` }, [{ mallLinkId: input.mallLinkId, variantCodes }]),
    requestShipments: (orders, batch) => remote.requestShipments.executeWithOptions({ summary: `${label}: FMS 출고요청 batch ${batch.index + 1}/${batch.count} (${orders.length})` }, [{ ...run, orders }]),
    recordOutcomes: (records, unlinked, changedOrderIds) =>
      database.recordOutcomes.executeWithOptions({ summary: `${label}: record ${records.length} items, ${unlinked.length} unlinked orders` }, [{ ...run, records, unlinked, changedOrderIds }]),
  });

  if (started) {
    for (const orderId of started.orderIds) seen.add(orderId);
    if (started.next === null) {
      result.status = 'completed';
      setCurrentDetails(`${summary} — done: ${result.ordersFetched} orders, ${result.itemsFetched} items`);
      return result;
    }
  }

  const fetchPage = (label: string, shopNo: number, cursor: string | null) =>
    remote.fetchOrderPage.executeWithOptions({ summary: `${label}: fetch paid orders` }, [{ ...run, shopNo, window, cursor }]);

  let next: CollectionProgress | null = null;
  try {
    let shopIndex = input.resume?.shopIndex ?? started?.next?.shopIndex ?? 0;
    let cursor = input.resume?.cursor ?? started?.next?.cursor ?? null;
    for (; shopIndex < plan.shops.length && next === null; shopIndex += 1, cursor = null) {
      const shopNo = plan.shops[shopIndex]!;
      let shop = result.shops.find((s) => s.shopNo === shopNo);
      if (!shop) {
        shop = { shopNo, pages: 0, ordersFetched: 0, itemsFetched: 0 };
        result.shops.push(shop);
      }
      let prefetched: Promise<FetchedPage> | null = null;
      do {
        const label = `shop ${shopNo} page ${shop.pages + 1}`;
        setCurrentDetails(`${summary} — ${label}; ${result.ordersFetched} orders so far`);
        const page = await (prefetched ?? fetchPage(label, shopNo, cursor));
        prefetched = null;
        const fresh = page.orders.filter((o) => !seen.has(o.orderId));
        for (const o of fresh) seen.add(o.orderId);
        const items = fresh.reduce((n, o) => n + o.items.length, 0);
        shop.pages += 1;
        shop.ordersFetched += fresh.length;
        shop.itemsFetched += items;
        result.ordersFetched += fresh.length;
        result.itemsFetched += items;
        cursor = page.nextCursor;
        // The next page is fetched while this one's shipments are requested (the two wait on different systems).
        if (patchedRun && cursor !== null && !historyFull()) {
          prefetched = fetchPage(`shop ${shopNo} page ${shop.pages + 1}`, shopNo, cursor);
          // Awaited on the next turn; marked handled now so a failure while this page is requested is not an unhandled rejection.
          prefetched.catch(() => undefined);
        }
        if (fresh.length > 0) result.counts = addCounts(result.counts, await collectPage(fresh, new Set(page.requestedOrderIds), rules, slotAt, steps(label)));
        if (cursor !== null && prefetched === null && historyFull()) next = { plan, shopIndex, cursor, result };
      } while (cursor !== null && next === null);
      if (next === null && shopIndex + 1 < plan.shops.length && historyFull()) next = { plan, shopIndex: shopIndex + 1, cursor: null, result };
    }
    if (next === null) assertAccounted(result.counts, result.itemsFetched);
  } catch (error) {
    // Close the books and free the mall even when the run fails, then fail visibly.
    await CancellationScope.nonCancellable(() =>
      database.finishCollection({ ...run, window, status: 'failed', outcome: 'failed', counts: result.counts, ordersFetched: result.ordersFetched, itemsFetched: result.itemsFetched, error: failureMessage(error) }),
    );
    throw error;
  }
  if (next !== null) return continueAsNew<typeof collectOrders>({ ...continuedSlotInput(input, slotAt, trigger), resume: next });

  const finished = await database.finishCollection.executeWithOptions({ summary: 'ledger, unlinked range, release' }, [
    { ...run, window, status: 'completed', outcome: 'collected', counts: result.counts, ordersFetched: result.ordersFetched, itemsFetched: result.itemsFetched, error: null },
  ]);
  result.status = 'completed';
  result.unlinkedOutsideRange = finished.unlinkedOutsideRange;
  setCurrentDetails(`${summary} — done: ${result.ordersFetched} orders, ${result.itemsFetched} items`);
  return result;
}
