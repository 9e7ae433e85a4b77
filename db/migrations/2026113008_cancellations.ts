import { sql, type Kysely } from 'kysely';

/**
 * Cancellations after the request (issue 12): one row per shipment request found cancelled or
 * claimed on Cafe24 after we requested it, written before FMS is asked to cancel (the intent), so a
 * lost answer is read back instead of cancelling twice. The ledger row of a request we cancelled
 * carries `cancelled_at`; invoice sync runs count what their cancellation sweep decided.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // No foreign key to mall_links: like the shipment-request ledger, it outlives a deleted link.
  await db.schema
    .createTable('cancellations')
    .addColumn('ord_no', 'text', (c) => c.primaryKey())
    .addColumn('mall_link_id', 'uuid', (c) => c.notNull())
    .addColumn('shop_no', 'integer', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('pending', 'cancelled_in_fms', 'too_late', 'rejected_by_fms', 'held')`))
    // The Cafe24 items found cancelled, and the FMS status the decision was made on.
    .addColumn('cancelled_items', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('fms_status', 'text')
    .addColumn('fms_code', 'text')
    .addColumn('fms_message', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_sent_at', 'timestamptz')
    .addColumn('invoice_sync_run_id', 'bigint')
    .addColumn('detected_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('cancellations_link_idx').on('cancellations').columns(['mall_link_id', 'ord_no']).execute();
  await db.schema.createIndex('cancellations_order_idx').on('cancellations').columns(['mall_link_id', 'order_id']).execute();

  await db.schema.alterTable('fms_shipment_requests').addColumn('cancelled_at', 'timestamptz').execute();
  await db.schema
    .alterTable('invoice_sync_runs')
    // Requests the run's cancellation sweep looked at, by decision.
    .addColumn('cancellation_counts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('invoice_sync_runs').dropColumn('cancellation_counts').execute();
  await db.schema.alterTable('fms_shipment_requests').dropColumn('cancelled_at').execute();
  await db.schema.dropTable('cancellations').execute();
}
