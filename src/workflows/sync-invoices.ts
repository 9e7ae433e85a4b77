import { CancellationScope, continueAsNew, patched, proxyActivities, proxyLocalActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import { invoiceSyncRunSummary } from '../domain/invoice-sync.js';
import {
  invoiceErrorTypes,
  type InvoiceRunRef,
  type InvoiceSyncBooks,
  type InvoiceSyncStart,
  type InvoiceSyncActivities,
  type InvoiceSyncPlan,
  type InvoiceSyncProgress,
  type SyncInvoicesInput,
  type SyncInvoicesResult,
} from '../temporal/invoices.js';
import { databaseActivityOptions, localRemoteActivityOptions, remoteActivityOptions } from './activity-options.js';
import { failureMessage } from './failure-message.js';
import { continuedSlotInput, recordEarlyRunAttributes, recordRunAttributes, runSlot, runTrigger } from './slot.js';

const nonRetryableErrorTypes = Object.values(invoiceErrorTypes);

const database = proxyActivities<InvoiceSyncActivities>(databaseActivityOptions(nonRetryableErrorTypes));
// The FMS and Cafe24 activities heartbeat on a timer: a worker that dies is noticed within 15 s,
// and the next attempt reads back what the lost one sent.
const remote = proxyActivities<InvoiceSyncActivities>(remoteActivityOptions(nonRetryableErrorTypes));
/**
 * From the start-invoice-sync-locally patch on: the first steps in one local activity (a mall with
 * few open requests is done in one history event), the plan and books local activities too.
 */
const local = proxyLocalActivities<InvoiceSyncActivities>(localRemoteActivityOptions(nonRetryableErrorTypes));
export const startInvoiceSyncLocallyPatch = 'start-invoice-sync-locally';

/**
 * 송장등록 for one mall at one slot: read FMS progress for every request whose invoices are not
 * settled (pages of 500), check the open requests against Cafe24 for cancellations after the request
 * and act on them (pages of 100), plan a registration per shipped item, register them on Cafe24 (≤100 per
 * call) until none is left, then count every examined request by outcome. Tracking numbers and
 * orders stay in PostgreSQL; only counts and cursors pass through history.
 */
export async function syncInvoices(input: SyncInvoicesInput): Promise<SyncInvoicesResult> {
  const info = workflowInfo();
  const slotAt = runSlot(input).toISOString();
  const trigger = runTrigger(input);
  // Runs started before this patch recorded the plan and every page as activities of their own.
  const startLocally = !input.resume && patched(startInvoiceSyncLocallyPatch);
  const attributes = { trigger, slotAt, startLocally };
  recordEarlyRunAttributes(input, attributes);

  let plan: InvoiceSyncPlan;
  let result: SyncInvoicesResult;
  let phase: InvoiceSyncProgress['phase'] = 'read';
  let afterOrdNo: string | null = null;
  let books: InvoiceSyncBooks | null = null;
  if (input.resume) {
    ({ plan, result, phase, afterOrdNo } = input.resume);
  } else {
    const planInput = { mallLinkId: input.mallLinkId, slotAt, trigger, workflowId: info.workflowId, runId: info.firstExecutionRunId };
    let progress: InvoiceSyncStart['progress'] = null;
    if (startLocally) {
      try {
        ({ plan, progress } = await local.startInvoiceSync.executeWithOptions({ summary: 'plan, first pages' }, [planInput]));
      } catch (error) {
        // Planning again answers the ledger row the failed attempt opened, so its books close, even
        // when the failure is the run's cancellation.
        await CancellationScope.nonCancellable(async () => {
          const again = await local.planInvoiceSync(planInput);
          await local.finishInvoiceSync({ mallLinkId: input.mallLinkId, invoiceSyncRunId: again.invoiceSyncRunId, watchOnly: again.kind === 'ready' && again.watchOnly, status: 'failed', error: failureMessage(error), cancellations: {} });
        });
        throw error;
      }
    } else {
      plan = await database.planInvoiceSync.executeWithOptions({ summary: 'plan: link, settings' }, [planInput]);
    }
    result = {
      mallLinkId: input.mallLinkId,
      mallId: plan.mallId,
      slotAt,
      trigger,
      invoiceSyncRunId: plan.invoiceSyncRunId,
      status: 'skipped',
      outcome: plan.kind === 'skipped' ? plan.outcome : 'synced',
      requestsExamined: progress?.requestsExamined ?? 0,
      itemsShipped: progress?.itemsShipped ?? 0,
      itemsSynced: progress?.itemsSynced ?? 0,
      itemsRejected: progress?.itemsRejected ?? 0,
      cafe24Calls: progress?.cafe24Calls ?? 0,
      counts: {},
      cancellationsExamined: progress?.cancellationsExamined ?? 0,
      cancellations: progress?.cancellations ?? {},
    };
    if (progress) ({ phase, afterOrdNo, books } = progress);
  }
  recordRunAttributes(input, attributes, plan);
  if (plan.kind === 'skipped') {
    setCurrentDetails(`skipped: ${plan.outcome}`);
    return result;
  }

  const run: InvoiceRunRef = { mallLinkId: input.mallLinkId, invoiceSyncRunId: plan.invoiceSyncRunId, watchOnly: plan.watchOnly };
  const summary = invoiceSyncRunSummary(plan.mallId, slotAt);
  const suggestedToContinue = () => workflowInfo().continueAsNewSuggested;
  let next: InvoiceSyncProgress | null = null;
  try {
    while (phase === 'read' && books === null && next === null) {
      setCurrentDetails(`${summary} — reading FMS progress; ${result.requestsExamined} requests so far`);
      const page = await remote.readFmsProgress.executeWithOptions({ summary: `FMS progress after ${afterOrdNo ?? 'start'}` }, [{ ...run, afterOrdNo }]);
      result.requestsExamined += page.examined;
      result.itemsShipped += page.itemsShipped;
      afterOrdNo = page.nextAfterOrdNo;
      if (afterOrdNo === null) phase = 'cancellations';
      if (suggestedToContinue()) next = { plan, phase, afterOrdNo, result };
    }
    // After the progress read, so the sweep decides on FMS statuses read in this run.
    while (phase === 'cancellations' && next === null) {
      setCurrentDetails(`${summary} — checking open requests for cancellations; ${result.cancellationsExamined} so far`);
      const page = await remote.sweepCancellations.executeWithOptions({ summary: `cancellations after ${afterOrdNo ?? 'start'}` }, [{ ...run, afterOrdNo }]);
      result.cancellationsExamined += page.examined;
      for (const [kind, n] of Object.entries(page.counts)) result.cancellations[kind] = (result.cancellations[kind] ?? 0) + (n ?? 0);
      afterOrdNo = page.nextAfterOrdNo;
      if (afterOrdNo === null) phase = 'register';
      if (suggestedToContinue()) next = { plan, phase, afterOrdNo, result };

    }
    let batch = result.itemsSynced + result.itemsRejected;
    // A watch-only run (invoice registration off) registers nothing.
    while (phase === 'register' && !plan.watchOnly && books === null && next === null) {
      batch += 1;
      setCurrentDetails(`${summary} — registering on Cafe24; ${result.itemsSynced} items synced so far`);
      const registered = await remote.registerInvoices.executeWithOptions({ summary: `Cafe24 송장등록 call ${batch}` }, [run]);
      result.itemsSynced += registered.synced;
      result.itemsRejected += registered.rejected;
      result.cafe24Calls += registered.cafe24Calls;
      if (!registered.more) break;
      if (suggestedToContinue()) next = { plan, phase, afterOrdNo: null, result };
    }
  } catch (error) {
    // Close the books even when the run fails, then fail visibly.
    await CancellationScope.nonCancellable(() => (startLocally ? local : database).finishInvoiceSync({ ...run, status: 'failed', error: failureMessage(error), cancellations: result.cancellations }));
    throw error;
  }
  if (next !== null) return continueAsNew<typeof syncInvoices>({ ...continuedSlotInput(input, slotAt, trigger), resume: next });

  books ??= await (startLocally ? local : database).finishInvoiceSync.executeWithOptions({ summary: 'count requests, settle, close ledger' }, [
    { ...run, status: 'completed', error: null, cancellations: result.cancellations },
  ]);
  result.status = 'completed';
  // The books count what the ledger says this run examined (a run of the same mall started meanwhile
  // may have re-read some requests, and then counts them in its own books).
  result.requestsExamined = books.requestsExamined;
  result.counts = books.counts;
  setCurrentDetails(`${summary} — done: ${result.requestsExamined} requests, ${result.itemsSynced} items on Cafe24, ${result.cancellationsExamined} open requests checked for cancellations`);
  return result;
}
