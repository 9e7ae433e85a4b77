import type { ItemOutcomeRecord, OutcomeCounts } from '../domain/collection-accounting.js';
import type { CollectionBlocker } from '../domain/collection-run.js';
import type { CollectionRules, CollectionWindow } from '../domain/collection-window.js';
import type { ProductLinkComponent, ReadyOrder, UnlinkedOrder } from '../domain/link-resolution.js';
import type { OrderSummary } from '../domain/order-summary.js';
import type { RunTrigger, SlotInput } from './slot.js';

/**
 * What crosses the boundary of the `collectOrders` workflow and its activities: the workflow's
 * input and result, and every activity's input and output. All of it lands in workflow history,
 * so it holds ids, codes, counts and compact order summaries, never raw orders.
 */

/** Failure types of the collection activities that no retry can fix (the workflow lists them as non-retryable). */
export const collectionErrorTypes = { leaseLost: 'CollectionLeaseLost', linkNotFound: 'MallLinkNotFound' } as const;

/** Who holds a mall: a collectOrders workflow id and its first run id (stable across continue-as-new). */
export interface LeaseHolder {
  workflowId: string;
  runId: string;
}

export interface CollectOrdersInput extends SlotInput {
  mallLinkId: string;
  trigger?: RunTrigger;
  /** Set only when a run continues as new: where the previous execution stopped. */
  resume?: CollectionProgress;
}

/** The signature clients start `collectOrders` with. */
export type CollectOrdersWorkflow = (input: CollectOrdersInput) => Promise<CollectOrdersResult>;

/** What a continued run carries over: the plan, the position, and the books so far. */
export interface CollectionProgress {
  plan: ReadyPlan;
  shopIndex: number;
  cursor: string | null;
  result: CollectOrdersResult;
}

export interface ShopCollection {
  shopNo: number;
  pages: number;
  ordersFetched: number;
  itemsFetched: number;
}

export interface CollectOrdersResult {
  mallLinkId: string;
  mallId: string | null;
  slotAt: string;
  trigger: RunTrigger;
  collectionRunId: number;
  status: 'completed' | 'skipped';
  /** `collected`, or why the run did nothing. */
  outcome: 'collected' | SkipOutcome;
  /** For another_run_in_progress: the run that holds the mall. */
  heldBy: string | null;
  window: CollectionWindow | null;
  ordersFetched: number;
  itemsFetched: number;
  /** Every fetched item, by outcome; the values add up to itemsFetched. */
  counts: OutcomeCounts;
  shops: ShopCollection[];
  /** Held orders this run found outside the collection range (no later slot will collect them). */
  unlinkedOutsideRange: number;
}

/** Identifies a run to its activities: the mall, its ledger row and the lease it holds. */
export interface RunRef {
  mallLinkId: string;
  collectionRunId: number;
  lease: LeaseHolder;
}

export type SkipOutcome = 'link_not_found' | CollectionBlocker | 'another_run_in_progress';

export type CollectionPlan =
  | { kind: 'skipped'; outcome: SkipOutcome; collectionRunId: number; mallId: string | null; cstCd: string | null; heldBy: LeaseHolder | null }
  | { kind: 'ready'; collectionRunId: number; mallId: string; cstCd: string; rules: CollectionRules; window: CollectionWindow; shops: number[] };

export type ReadyPlan = Extract<CollectionPlan, { kind: 'ready' }>;

export interface PlanCollectionInput {
  mallLinkId: string;
  slotAt: string;
  trigger: RunTrigger;
  lease: LeaseHolder;
}

export interface FetchOrderPageInput extends RunRef {
  shopNo: number;
  window: CollectionWindow;
  cursor: string | null;
}

export interface FetchedPage {
  orders: OrderSummary[];
  /** Orders of this page that already have an FMS slip: they are not requested or resolved again. */
  requestedOrderIds: string[];
  nextCursor: string | null;
}

export interface LoadProductLinksInput {
  mallLinkId: string;
  variantCodes: string[];
}

export interface RequestShipmentsInput extends RunRef {
  orders: ReadyOrder[];
}

export interface RecordOutcomesInput extends RunRef {
  records: ItemOutcomeRecord[];
  unlinked: UnlinkedOrder[];
  changedOrderIds: string[];
}

export interface FinishCollectionInput extends RunRef {
  window: CollectionWindow;
  status: 'completed' | 'failed';
  outcome: string;
  counts: OutcomeCounts;
  ordersFetched: number;
  itemsFetched: number;
  error: string | null;
}

/**
 * What startCollection did: the plan, and for a ready plan the pages it collected. `next` is where
 * the workflow goes on (page by page, one activity each); null when those pages were the whole run
 * and its books are closed.
 */
export interface CollectionStart {
  plan: CollectionPlan;
  collected: {
    shops: ShopCollection[];
    ordersFetched: number;
    itemsFetched: number;
    counts: OutcomeCounts;
    /** The orders taken, so a later page of the same run counts each order once. */
    orderIds: string[];
    next: { shopIndex: number; cursor: string | null } | null;
    unlinkedOutsideRange: number;
  } | null;
}

/** The activities of a collection run (names are what the worker registers and history records). */
export interface CollectionActivities {
  /** Loads the link, decides whether this run may collect, takes the mall's lease and opens the ledger row. */
  planCollection(input: PlanCollectionInput): Promise<CollectionPlan>;
  /**
   * A run's first steps in one activity (the workflow runs it as a local activity, one history
   * event): the plan, then pages while each is the last of its shop and fewer than 500 orders are
   * taken, then, when that was every page, the books closed. Most malls are done here.
   */
  startCollection(input: PlanCollectionInput): Promise<CollectionStart>;
  /** Up to 500 orders of one shop from the cursor on, stored in PostgreSQL; summaries come back. */
  fetchOrderPage(input: FetchOrderPageInput): Promise<FetchedPage>;
  /** The product links of these variants, as [variantCode, components] pairs. */
  loadProductLinks(input: LoadProductLinksInput): Promise<[string, ProductLinkComponent[]][]>;
  /** Requests shipment of up to 500 ready orders (FMS create calls of FMS_CREATE_BATCH_SIZE); one outcome record per item of those orders. */
  requestShipments(input: RequestShipmentsInput): Promise<ItemOutcomeRecord[]>;
  /** Trail rows for items decided before any request, the unlinked-order upsert, and held orders that changed. */
  recordOutcomes(input: RecordOutcomesInput): Promise<void>;
  /** Closes a run that failed in startCollection as failed (its ledger row found by the lease holder) and frees the mall if it still holds it. */
  failCollection(input: { mallLinkId: string; lease: LeaseHolder; error: string }): Promise<void>;
  /** Closes the ledger row, marks held orders the window has left behind, and frees the mall. */
  finishCollection(input: FinishCollectionInput): Promise<{ unlinkedOutsideRange: number }>;
}
