import { sql } from 'kysely';
import type { Db } from '../database.js';
import { pageOf, type Page, type PageRequest } from '../page.js';
import type { CollectionRunStatus, InvoiceSyncRunRow } from '../../../db/schema.js';

export interface InvoiceSyncRunStart {
  mallLinkId: string;
  workflowId: string;
  runId: string;
  trigger: 'schedule' | 'manual';
  slotAt: string;
  status: Extract<CollectionRunStatus, 'running' | 'skipped'>;
  outcome: string;
}

/** The ledger row of a run, created once per (workflow id, first run id): retries get the same row. */
export async function startInvoiceSyncRun(db: Db, run: InvoiceSyncRunStart): Promise<InvoiceSyncRunRow> {
  return db
    .insertInto('invoice_sync_runs')
    .values({
      mall_link_id: run.mallLinkId,
      workflow_id: run.workflowId,
      run_id: run.runId,
      trigger: run.trigger,
      slot_at: run.slotAt,
      status: run.status,
      outcome: run.outcome,
      finished_at: run.status === 'skipped' ? new Date() : null,
    })
    .onConflict((oc) => oc.columns(['workflow_id', 'run_id']).doUpdateSet({ workflow_id: (eb) => eb.ref('excluded.workflow_id') }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface InvoiceSyncRunFinish {
  status: Extract<CollectionRunStatus, 'completed' | 'failed'>;
  outcome: string;
  requestsExamined: number;
  counts: Record<string, number>;
  itemsSynced: number;
  error: string | null;
  cancellationCounts: Record<string, number>;
}

export async function finishInvoiceSyncRun(db: Db, id: number, finish: InvoiceSyncRunFinish): Promise<void> {
  await db
    .updateTable('invoice_sync_runs')
    .set({
      status: finish.status,
      outcome: finish.outcome,
      requests_examined: finish.requestsExamined,
      counts: JSON.stringify(finish.counts),
      items_synced: finish.itemsSynced,
      error: finish.error,
      cancellation_counts: JSON.stringify(finish.cancellationCounts),
      finished_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Newest first, by run id: a page continues after (below) the previous page's last id. */
export async function listInvoiceSyncRuns(db: Db, mallLinkId: string, page: PageRequest<number>): Promise<Page<InvoiceSyncRunRow, number>> {
  let query = db.selectFrom('invoice_sync_runs').selectAll().where('mall_link_id', '=', mallLinkId);
  if (page.after !== undefined) query = query.where('id', '<', page.after);
  const found = await query.orderBy('id', 'desc').limit(page.limit + 1).execute();
  return pageOf(found, page.limit, (row) => row.id);
}
