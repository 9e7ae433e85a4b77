import { sql } from 'kysely';
import type { Db } from '../database.js';
import { pageOf, type Page, type PageRequest } from '../page.js';
import type { CollectionRunRow, CollectionRunStatus } from '../../../db/schema.js';

export interface CollectionRunStart {
  mallLinkId: string;
  workflowId: string;
  runId: string;
  trigger: 'schedule' | 'manual';
  slotAt: string;
  window: { from: string; to: string } | null;
  status: Extract<CollectionRunStatus, 'running' | 'skipped'>;
  outcome: string;
}

/** The ledger row of a run, created once per (workflow id, first run id): retries get the same row. */
export async function startCollectionRun(db: Db, run: CollectionRunStart): Promise<CollectionRunRow> {
  return db
    .insertInto('collection_runs')
    .values({
      mall_link_id: run.mallLinkId,
      workflow_id: run.workflowId,
      run_id: run.runId,
      trigger: run.trigger,
      slot_at: run.slotAt,
      window_from: run.window?.from ?? null,
      window_to: run.window?.to ?? null,
      status: run.status,
      outcome: run.outcome,
      finished_at: run.status === 'skipped' ? new Date() : null,
    })
    .onConflict((oc) => oc.columns(['workflow_id', 'run_id']).doUpdateSet({ workflow_id: (eb) => eb.ref('excluded.workflow_id') }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The ledger row a run opened: one per (workflow id, first run id). */
export async function findCollectionRunOf(db: Db, run: { workflowId: string; runId: string }): Promise<CollectionRunRow | undefined> {
  return db.selectFrom('collection_runs').selectAll().where('workflow_id', '=', run.workflowId).where('run_id', '=', run.runId).executeTakeFirst();
}

export interface CollectionRunFinish {
  status: Extract<CollectionRunStatus, 'completed' | 'failed'>;
  outcome: string;
  ordersFetched: number;
  itemsFetched: number;
  counts: Record<string, number>;
  error: string | null;
}

export async function finishCollectionRun(db: Db, id: number, finish: CollectionRunFinish): Promise<void> {
  await finishCollectionRunQuery(db, id, finish).execute();
}

/** The update of finishCollectionRun, unexecuted, so a run's closing statement can carry it. */
export function finishCollectionRunQuery(db: Db, id: number, finish: CollectionRunFinish) {
  return db
    .updateTable('collection_runs')
    .set({
      status: finish.status,
      outcome: finish.outcome,
      orders_fetched: finish.ordersFetched,
      items_fetched: finish.itemsFetched,
      counts: JSON.stringify(finish.counts),
      error: finish.error,
      finished_at: sql<Date>`now()`,
    })
    .where('id', '=', id);
}

/** Newest first; the position is the run id, so the next page holds older runs. */
export async function listCollectionRuns(db: Db, mallLinkId: string, page: PageRequest<number>): Promise<Page<CollectionRunRow, number>> {
  let query = db.selectFrom('collection_runs').selectAll().where('mall_link_id', '=', mallLinkId);
  if (page.after !== undefined) query = query.where('id', '<', page.after);
  const found = await query.orderBy('id', 'desc').limit(page.limit + 1).execute();
  return pageOf(found, page.limit, (row) => row.id);
}

/** The slot of the link's latest completed collection run, or null when none completed. */
export async function findLatestCollectedSlot(db: Db, mallLinkId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('collection_runs')
    .select((eb) => eb.fn.max('slot_at').as('slot_at'))
    .where('mall_link_id', '=', mallLinkId)
    .where('status', '=', 'completed')
    .executeTakeFirst();
  return row?.slot_at ?? null;
}
