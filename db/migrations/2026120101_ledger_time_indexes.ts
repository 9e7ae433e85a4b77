import { type Kysely } from 'kysely';

/**
 * Issue 16: the alert evaluation reads, every 5 minutes, every link's served slots of the missed-slot
 * look-back and the runs finished within the failed-run look-back, from both run ledgers in one
 * statement each. By time, not by link, each read stays one index range however long the ledgers grow.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['collection_runs', 'invoice_sync_runs']) {
    await db.schema.createIndex(`${table}_slot_idx`).on(table).column('slot_at').execute();
    await db.schema.createIndex(`${table}_finished_idx`).on(table).column('finished_at').execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['collection_runs', 'invoice_sync_runs']) {
    await db.schema.dropIndex(`${table}_finished_idx`).execute();
    await db.schema.dropIndex(`${table}_slot_idx`).execute();
  }
}
