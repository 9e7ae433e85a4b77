import { type Kysely } from 'kysely';

/**
 * Issue 16: the alert evaluation reads every link's served slots of the look-back (24 hours by
 * default) from both run ledgers in one statement each; by slot, not by link, the read stays one
 * index range however long the ledgers grow.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('collection_runs_slot_idx').on('collection_runs').column('slot_at').execute();
  await db.schema.createIndex('invoice_sync_runs_slot_idx').on('invoice_sync_runs').column('slot_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('invoice_sync_runs_slot_idx').execute();
  await db.schema.dropIndex('collection_runs_slot_idx').execute();
}
