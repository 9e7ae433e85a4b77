import type { CollectionBlocker } from '../domain/collection-run.js';
import type { InvoiceOutcomeCounts } from '../domain/invoice-sync.js';
import type { RunTrigger, SlotInput } from './slot.js';

/**
 * The contract of the invoice sync (송장등록): the workflow's input and result and the activities
 * it calls. Only ids, codes and counts cross it; tracking numbers and orders stay in PostgreSQL.
 */

/** Failure types of the invoice activities that no retry can fix. */
export const invoiceErrorTypes = { linkNotFound: 'MallLinkNotFound' } as const;

/** Why a run did nothing. */
export type InvoiceSyncSkip = 'link_not_found' | CollectionBlocker;

/** Identifies a run to its activities. */
export interface InvoiceRunRef {
  mallLinkId: string;
  invoiceSyncRunId: number;
  /**
   * Invoice registration is off for the link: the run still reads FMS progress and sweeps open
   * requests for cancellations, but plans and registers no tracking numbers.
   */
  watchOnly?: boolean;
}

export type InvoiceSyncPlan =
  | { kind: 'skipped'; outcome: InvoiceSyncSkip; invoiceSyncRunId: number; mallId: string | null; cstCd: string | null }
  | { kind: 'ready'; invoiceSyncRunId: number; mallId: string; cstCd: string; watchOnly: boolean };

export interface PlanInvoiceSyncInput {
  mallLinkId: string;
  slotAt: string;
  trigger: RunTrigger;
  workflowId: string;
  /** The first run id: stable across continue-as-new, so a continued run keeps its ledger row. */
  runId: string;
}

export interface FmsProgressPage {
  /** Unsettled requests read in this page. */
  examined: number;
  /** Items this page found shipped and newly planned or re-planned for registration. */
  itemsShipped: number;
  /** Continue after this ordNo; null when every unsettled request was read. */
  nextAfterOrdNo: string | null;
}

/** Requests a cancellation sweep page looked at, by what it found: none, wait, cancelled_in_fms, too_late, rejected_by_fms, held. */
export type CancellationCounts = Partial<Record<string, number>>;

export interface CancellationSweepPage {
  /** Open requests checked against Cafe24 in this page. */
  examined: number;
  counts: CancellationCounts;
  /** Continue after this ordNo; null when every open request was checked. */
  nextAfterOrdNo: string | null;
}

export interface RegistrationBatch {
  /** Items found on Cafe24 after this call (sent now, or found by reading back a lost answer). */
  synced: number;
  rejected: number;
  /** Cafe24 calls made: registrations and read-backs. */
  cafe24Calls: number;
  /** false when nothing waits beyond this call's batch. */
  more: boolean;
}

export interface FinishInvoiceSyncInput extends InvoiceRunRef {
  status: 'completed' | 'failed';
  error: string | null;
  /** What the run's cancellation sweep found, kept on the run's ledger row. */
  cancellations: CancellationCounts;
}

export interface InvoiceSyncBooks {
  requestsExamined: number;
  /** Examined requests by outcome; the values add up to requestsExamined. */
  counts: InvoiceOutcomeCounts;
  itemsSynced: number;
}

/**
 * What startInvoiceSync did: the plan, and for a ready plan how far it got. `books` are set when it
 * went through every phase and closed the run; else the workflow goes on from `phase`/`afterOrdNo`.
 */
export interface InvoiceSyncStart {
  plan: InvoiceSyncPlan;
  progress: {
    phase: InvoiceSyncProgress['phase'];
    afterOrdNo: string | null;
    requestsExamined: number;
    itemsShipped: number;
    itemsSynced: number;
    itemsRejected: number;
    cafe24Calls: number;
    cancellationsExamined: number;
    cancellations: CancellationCounts;
    books: InvoiceSyncBooks | null;
  } | null;
}

/** The activities syncInvoices calls, as the worker registers them. */
export interface InvoiceSyncActivities {
  /**
   * A run's first steps in one activity (the workflow runs it as a local activity, one history
   * event): the plan, then each phase while one page (a few registration calls) finishes it, then
   * the books when every phase is done. A mall with few open requests is done here.
   */
  startInvoiceSync(input: PlanInvoiceSyncInput): Promise<InvoiceSyncStart>;
  planInvoiceSync(input: PlanInvoiceSyncInput): Promise<InvoiceSyncPlan>;
  readFmsProgress(input: InvoiceRunRef & { afterOrdNo: string | null }): Promise<FmsProgressPage>;
  /** Checks the next page of open requests against Cafe24 and acts on cancellations (src/domain/cancellations.ts). */
  sweepCancellations(input: InvoiceRunRef & { afterOrdNo: string | null }): Promise<CancellationSweepPage>;
  registerInvoices(input: InvoiceRunRef): Promise<RegistrationBatch>;
  finishInvoiceSync(input: FinishInvoiceSyncInput): Promise<InvoiceSyncBooks>;
}

export interface SyncInvoicesInput extends SlotInput {
  mallLinkId: string;
  trigger?: RunTrigger;
  /** Set only when a run continues as new. */
  resume?: InvoiceSyncProgress;
}

/** The signature clients start `syncInvoices` with. */
export type SyncInvoicesWorkflow = (input: SyncInvoicesInput) => Promise<SyncInvoicesResult>;

/** What a continued run carries over: the plan, the phase and position, and the counts so far. */
export interface InvoiceSyncProgress {
  plan: Extract<InvoiceSyncPlan, { kind: 'ready' }>;
  phase: 'read' | 'cancellations' | 'register';
  afterOrdNo: string | null;
  result: SyncInvoicesResult;
}

export interface SyncInvoicesResult {
  mallLinkId: string;
  mallId: string | null;
  slotAt: string;
  trigger: RunTrigger;
  invoiceSyncRunId: number;
  status: 'completed' | 'skipped';
  outcome: 'synced' | InvoiceSyncSkip;
  requestsExamined: number;
  itemsShipped: number;
  itemsSynced: number;
  itemsRejected: number;
  cafe24Calls: number;
  /** Examined requests by outcome; the values add up to requestsExamined. */
  counts: InvoiceOutcomeCounts;
  /** Open requests the cancellation sweep checked against Cafe24, and what it found, by kind. */
  cancellationsExamined: number;
  cancellations: CancellationCounts;
}
