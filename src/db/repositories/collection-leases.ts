import { sql } from 'kysely';
import type { LeaseHolder } from '../../temporal/collection.js';
import type { Db } from '../database.js';

export type LeaseAcquisition = { acquired: true } | { acquired: false; heldBy: LeaseHolder };

/**
 * Takes the mall for this run unless another run holds an unexpired lease. Re-acquiring one's own
 * lease succeeds, so a retried activity is harmless.
 */
export async function acquireCollectionLease(db: Db, mallLinkId: string, holder: LeaseHolder, ttlMs: number): Promise<LeaseAcquisition> {
  const taken = await sql<{ mall_link_id: string }>`
    insert into collection_leases (mall_link_id, workflow_id, run_id, expires_at)
    values (${mallLinkId}::uuid, ${holder.workflowId}, ${holder.runId}, now() + ${ttlMs} * interval '1 millisecond')
    on conflict (mall_link_id) do update
      set workflow_id = excluded.workflow_id, run_id = excluded.run_id, acquired_at = now(), expires_at = excluded.expires_at
      where collection_leases.expires_at < now()
         or (collection_leases.workflow_id = excluded.workflow_id and collection_leases.run_id = excluded.run_id)
    returning mall_link_id
  `.execute(db);
  if (taken.rows.length > 0) return { acquired: true };
  const current = await findActiveCollectionLease(db, mallLinkId);
  // It expired between the two statements: try once more.
  return current ? { acquired: false, heldBy: current } : acquireCollectionLease(db, mallLinkId, holder, ttlMs);
}

/** Extends this run's lease; false when it no longer holds it (expired and taken by another run). */
export async function renewCollectionLease(db: Db, mallLinkId: string, holder: LeaseHolder, ttlMs: number): Promise<boolean> {
  const result = await db
    .updateTable('collection_leases')
    .set({ expires_at: sql<Date>`now() + ${ttlMs} * interval '1 millisecond'` })
    .where('mall_link_id', '=', mallLinkId)
    .where('workflow_id', '=', holder.workflowId)
    .where('run_id', '=', holder.runId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function releaseCollectionLease(db: Db, mallLinkId: string, holder: LeaseHolder): Promise<void> {
  await releaseCollectionLeaseQuery(db, mallLinkId, holder).execute();
}

/** The delete of releaseCollectionLease, unexecuted, so a run's closing statement can carry it. */
export function releaseCollectionLeaseQuery(db: Db, mallLinkId: string, holder: LeaseHolder) {
  return db.deleteFrom('collection_leases').where('mall_link_id', '=', mallLinkId).where('workflow_id', '=', holder.workflowId).where('run_id', '=', holder.runId);
}

export async function findActiveCollectionLease(db: Db, mallLinkId: string): Promise<LeaseHolder | undefined> {
  const row = await db
    .selectFrom('collection_leases')
    .select(['workflow_id', 'run_id'])
    .where('mall_link_id', '=', mallLinkId)
    .where('expires_at', '>=', sql<Date>`now()`)
    .executeTakeFirst();
  return row ? { workflowId: row.workflow_id, runId: row.run_id } : undefined;
}
