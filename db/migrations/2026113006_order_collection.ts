import { sql, type Kysely } from 'kysely';

// Order collection: product links, raw orders, the run ledger, per-item trail, unlinked orders,
// and the per-mall lease that keeps two runs off the same mall.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('product_links')
    .addColumn('mall_link_id', 'uuid', (c) => c.notNull().references('mall_links.id').onDelete('cascade'))
    .addColumn('variant_code', 'text', (c) => c.notNull())
    .addColumn('cst_god_cd', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('product_links_pkey', ['mall_link_id', 'variant_code', 'cst_god_cd'])
    .execute();

  // The only table with buyers' personal data (raw); the workflow carries compact summaries.
  await db.schema
    .createTable('collected_orders')
    .addColumn('mall_link_id', 'uuid', (c) => c.notNull().references('mall_links.id').onDelete('cascade'))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('shop_no', 'integer', (c) => c.notNull())
    .addColumn('paid_at', 'timestamptz')
    .addColumn('raw', 'jsonb', (c) => c.notNull())
    .addColumn('first_fetched_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_fetched_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('request_outcome', 'text')
    .addColumn('slip_no', 'text')
    .addColumn('request_warnings', 'jsonb')
    .addColumn('request_reason', 'text')
    .addColumn('requested_at', 'timestamptz')
    .addColumn('requested_run_id', 'bigint')
    .addPrimaryKeyConstraint('collected_orders_pkey', ['mall_link_id', 'order_id'])
    .execute();

  // No foreign key to mall_links: the ledger of a deleted link must outlive it.
  await db.schema
    .createTable('collection_runs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('mall_link_id', 'uuid', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('schedule', 'manual')`))
    .addColumn('slot_at', 'timestamptz', (c) => c.notNull())
    .addColumn('window_from', 'timestamptz')
    .addColumn('window_to', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'completed', 'skipped', 'failed')`))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('orders_fetched', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('items_fetched', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('counts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('error', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addUniqueConstraint('collection_runs_workflow_run_key', ['workflow_id', 'run_id'])
    .execute();
  await db.schema.createIndex('collection_runs_link_idx').on('collection_runs').columns(['mall_link_id', 'id']).execute();

  // Append-only: a row when an item's outcome differs from its previous one.
  await db.schema
    .createTable('order_trail')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('mall_link_id', 'uuid', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('order_item_code', 'text', (c) => c.notNull())
    .addColumn('collection_run_id', 'bigint', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('order_trail_item_idx').on('order_trail').columns(['mall_link_id', 'order_item_code', 'id']).execute();
  await db.schema.createIndex('order_trail_order_idx').on('order_trail').columns(['mall_link_id', 'order_id', 'id']).execute();

  await db.schema
    .createTable('unlinked_orders')
    .addColumn('mall_link_id', 'uuid', (c) => c.notNull().references('mall_links.id').onDelete('cascade'))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('shop_no', 'integer', (c) => c.notNull())
    .addColumn('paid_at', 'timestamptz')
    .addColumn('items', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'outside_range', 'resolved', 'not_eligible')`))
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_run_id', 'bigint')
    .addPrimaryKeyConstraint('unlinked_orders_pkey', ['mall_link_id', 'order_id'])
    .execute();
  await db.schema.createIndex('unlinked_orders_status_idx').on('unlinked_orders').columns(['mall_link_id', 'status', 'paid_at']).execute();

  await db.schema
    .createTable('collection_leases')
    .addColumn('mall_link_id', 'uuid', (c) => c.primaryKey().references('mall_links.id').onDelete('cascade'))
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('collection_leases').execute();
  await db.schema.dropTable('unlinked_orders').execute();
  await db.schema.dropTable('order_trail').execute();
  await db.schema.dropTable('collection_runs').execute();
  await db.schema.dropTable('collected_orders').execute();
  await db.schema.dropTable('product_links').execute();
}
