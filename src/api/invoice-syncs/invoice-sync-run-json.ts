import type { InvoiceSyncRunRow } from '../../../db/schema.js';
import type { Config } from '../../config/env.js';
import { temporalRunUrl } from '../lib/temporal-ui.js';
import { isoTime, isoTimeOrNull } from '../lib/time.js';

/** One invoice sync run in API terms (`InvoiceSyncRun`): the run history and the link status show the same shape. */
export function invoiceSyncRunJson(config: Pick<Config, 'TEMPORAL_UI_URL' | 'TEMPORAL_NAMESPACE'>, run: InvoiceSyncRunRow) {
  return {
    id: run.id,
    workflowId: run.workflow_id,
    runId: run.run_id,
    trigger: run.trigger,
    slotAt: isoTime(run.slot_at),
    status: run.status,
    outcome: run.outcome,
    requestsExamined: run.requests_examined,
    counts: run.counts,
    itemsSynced: run.items_synced,
    cancellations: run.cancellation_counts,
    error: run.error,
    startedAt: isoTime(run.started_at),
    finishedAt: isoTimeOrNull(run.finished_at),
    temporalUiUrl: temporalRunUrl(config, run.workflow_id, run.run_id),
  };
}
