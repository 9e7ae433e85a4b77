import type { CollectionRunRow } from '../../../db/schema.js';
import type { Config } from '../../config/env.js';
import { temporalRunUrl } from '../lib/temporal-ui.js';
import { isoTime, isoTimeOrNull } from '../lib/time.js';

/** One collection run in API terms (`CollectionRun`): the run history and the link status show the same shape. */
export function collectionRunJson(config: Pick<Config, 'TEMPORAL_UI_URL' | 'TEMPORAL_NAMESPACE'>, run: CollectionRunRow) {
  return {
    id: run.id,
    workflowId: run.workflow_id,
    runId: run.run_id,
    trigger: run.trigger,
    slotAt: isoTime(run.slot_at),
    window: run.window_from && run.window_to ? { from: isoTime(run.window_from), to: isoTime(run.window_to) } : null,
    status: run.status,
    outcome: run.outcome,
    ordersFetched: run.orders_fetched,
    itemsFetched: run.items_fetched,
    counts: run.counts,
    error: run.error,
    startedAt: isoTime(run.started_at),
    finishedAt: isoTimeOrNull(run.finished_at),
    temporalUiUrl: temporalRunUrl(config, run.workflow_id, run.run_id),
  };
}
