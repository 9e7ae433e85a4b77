import { sql, type Kysely } from 'kysely';

/**
 * Retention of raw Cafe24 orders (issue 14): the daily purge strips the buyer's and the receiver's
 * personal data from `collected_orders.raw` once an order has not been fetched for RETENTION_DAYS,
 * and stamps the row. The row itself stays: its ids, payment time and FMS slip keep the ledgers,
 * trails and the exactly-once check whole. A later fetch of the order stores it afresh.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('collected_orders').addColumn('raw_purged_at', 'timestamptz').execute();
  await sql`create index collected_orders_retention_idx on collected_orders (last_fetched_at) where raw_purged_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists collected_orders_retention_idx`.execute(db);
  await db.schema.alterTable('collected_orders').dropColumn('raw_purged_at').execute();
}
