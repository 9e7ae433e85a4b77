import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> on purpose: they stay frozen in time while the schema types move on.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'customer')`))
    .addColumn('cst_cd', 'text')
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addCheckConstraint('api_keys_customer_has_cst_cd', sql`(role = 'admin') = (cst_cd is null)`)
    .execute();

  await db.schema
    .createTable('mall_links')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('mall_id', 'text', (c) => c.notNull())
    .addColumn('cst_cd', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('link_start_date', 'date', (c) => c.notNull())
    .addColumn('collection_method', 'text', (c) => c.notNull())
    .addColumn('collect_order_status', 'text', (c) => c.notNull())
    .addColumn('minutes_after_payment', 'integer', (c) => c.notNull())
    .addColumn('collection_range_days', 'integer', (c) => c.notNull())
    .addColumn('invoice_sync_enabled', 'boolean', (c) => c.notNull())
    .addColumn('invoice_display', 'text', (c) => c.notNull())
    .addColumn('sender_name', 'text')
    .addColumn('sender_phone', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('schedule_state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('cafe24_auth_status', 'text', (c) =>
      c.notNull().defaultTo('not_installed').check(sql`cafe24_auth_status in ('not_installed', 'authorized', 'reauth_required')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('mall_links_platform_mall_id_key', ['platform', 'mall_id'])
    .execute();
  await db.schema.createIndex('mall_links_cst_cd_idx').on('mall_links').column('cst_cd').execute();

  await db.schema
    .createTable('mall_link_shops')
    .addColumn('mall_link_id', 'uuid', (c) => c.notNull().references('mall_links.id').onDelete('cascade'))
    .addColumn('shop_no', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decided_at', 'timestamptz')
    .addPrimaryKeyConstraint('mall_link_shops_pkey', ['mall_link_id', 'shop_no'])
    .execute();

  // No foreign key: the trail of a deleted link must outlive it.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('mall_link_id', 'uuid', (c) => c.notNull())
    .addColumn('actor_key_id', 'uuid')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('audit_log_mall_link_idx').on('audit_log').columns(['mall_link_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
  await db.schema.dropTable('mall_link_shops').execute();
  await db.schema.dropTable('mall_links').execute();
  await db.schema.dropTable('api_keys').execute();
}
