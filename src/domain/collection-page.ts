import { countOutcomes, outcomesBeforeRequest, type ItemOutcomeRecord, type OutcomeCounts } from './collection-accounting.js';
import type { CollectionRules } from './collection-window.js';
import { changedOrderIds, eligibleOrders, selectItems } from './eligibility.js';
import { chunk } from './grouping.js';
import { resolveLinks, variantCodesToResolve, type ProductLinkComponent, type ReadyOrder, type UnlinkedOrder } from './link-resolution.js';
import type { OrderSummary } from './order-summary.js';

/**
 * Ready orders per shipment-request step: a whole fetched page (≤500), so a page costs one step;
 * the step sends them to FMS in create calls of FMS_CREATE_BATCH_SIZE.
 */
export const requestBatchSize = 500;

/** The steps that decide a fetched page's items, as the workflow (activities) or one activity (direct calls) takes them. */
export interface CollectionPageSteps {
  loadProductLinks(variantCodes: string[]): Promise<[string, ProductLinkComponent[]][]>;
  requestShipments(orders: ReadyOrder[], batch: { index: number; count: number }): Promise<ItemOutcomeRecord[]>;
  recordOutcomes(records: ItemOutcomeRecord[], unlinked: UnlinkedOrder[], changedOrderIds: string[]): Promise<void>;
}

/**
 * One fetched page through the collection: select eligible items (orders with a slip are known),
 * resolve product links, request shipment of the ready orders, record every other item's outcome;
 * the steps are called in this order and only when they have something to do. Answers the page's
 * items by outcome.
 */
export async function collectPage(orders: OrderSummary[], requestedOrderIds: ReadonlySet<string>, rules: CollectionRules, slotAt: string, steps: CollectionPageSteps): Promise<OutcomeCounts> {
  const selections = selectItems(orders, rules, slotAt);
  const eligible = eligibleOrders(selections);
  const known = eligible.filter((o) => requestedOrderIds.has(o.orderId));
  const toResolve = eligible.filter((o) => !requestedOrderIds.has(o.orderId));
  const links = toResolve.length === 0 ? [] : await steps.loadProductLinks(variantCodesToResolve(toResolve));
  const resolved = resolveLinks(toResolve, new Map(links));
  const ready = resolved.filter((r): r is ReadyOrder => r.kind === 'ready');

  const requested: ItemOutcomeRecord[] = [];
  const batches = chunk(ready, requestBatchSize);
  for (const [index, batch] of batches.entries()) requested.push(...(await steps.requestShipments(batch, { index, count: batches.length })));
  const recordsBefore = outcomesBeforeRequest(selections, resolved, known);
  const unlinked = resolved.filter((r): r is UnlinkedOrder => r.kind === 'unlinked');
  if (recordsBefore.length > 0 || unlinked.length > 0) await steps.recordOutcomes(recordsBefore, unlinked, changedOrderIds(selections));
  return countOutcomes([...recordsBefore, ...requested]);
}
