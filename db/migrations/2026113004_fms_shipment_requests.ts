import { sql, type Kysely } from 'kysely';

/**
 * The shipment-request ledger: one row per FMS `ordNo`, written before FMS is called, so that
 * after a timeout or crash we know a create may have happened and look it up before creating.
 * No foreign key to mall_links: the record of what was sent to FMS must outlive a deleted link.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('fms_shipment_requests')
    .addColumn('ord_no', 'text', (c) => c.primaryKey())
    .addColumn('mall_link_id', 'uuid', (c) => c.notNull())
    .addColumn('shop_no', 'integer', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('cst_cd', 'text', (c) => c.notNull())
    .addColumn('ord_dt', 'text', (c) => c.notNull().check(sql`ord_dt ~ '^[0-9]{8}$'`))
    .addColumn('payload_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'sending', 'created', 'rejected')`))
    .addColumn('fms_slip_no', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_sent_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('fms_shipment_requests_created_has_slip', sql`(status = 'created') = (fms_slip_no is not null)`)
    .addUniqueConstraint('fms_shipment_requests_order_key', ['mall_link_id', 'shop_no', 'order_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('fms_shipment_requests').execute();
}
