import { sql, type Kysely } from 'kysely';

/**
 * Product linking at seller scale (issue 13): the Cafe24 catalogue imported per link (one row per
 * variant, 품목), the import runs that fill it, and a cache of each FMS customer's goods master.
 * Product links (product_links) stay as they are; these tables are what links are checked against.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cafe24_catalogue_imports')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('mall_link_id', 'uuid', (c) => c.notNull().references('mall_links.id').onDelete('cascade'))
    // The product statuses imported (selling, displayed); empty: every product.
    .addColumn('statuses', sql`text[]`, (c) => c.notNull().check(sql`statuses <@ array['selling', 'displayed']::text[]`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('running').check(sql`status in ('running', 'completed', 'failed')`))
    .addColumn('workflow_id', 'text')
    .addColumn('run_id', 'text')
    // The paging checkpoint: the next page starts after this product_no; paging_done once the last page is in.
    .addColumn('since_product_no', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('paging_done', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('products_seen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('variants_seen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('variants_new', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('variants_gone', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('cafe24_catalogue_imports_link_idx').on('cafe24_catalogue_imports').columns(['mall_link_id', 'started_at']).execute();

  await db.schema
    .createTable('cafe24_catalogue_variants')
    .addColumn('mall_link_id', 'uuid', (c) => c.notNull().references('mall_links.id').onDelete('cascade'))
    .addColumn('product_no', 'integer', (c) => c.notNull())
    // 품목코드; '' when Cafe24 gave none (such a row is unlinkable, reason missing_variant_code).
    .addColumn('variant_code', 'text', (c) => c.notNull())
    .addColumn('product_code', 'text', (c) => c.notNull())
    .addColumn('product_name', 'text', (c) => c.notNull())
    .addColumn('custom_product_code', 'text')
    .addColumn('custom_variant_code', 'text')
    .addColumn('has_option', 'boolean', (c) => c.notNull())
    // 옵션 구성: C 조합 일체선택형, S 조합 분리선택형, F 독립 선택형, E 상품 연동형; null without options.
    .addColumn('option_type', 'text')
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('option_text', 'text')
    .addColumn('set_product', 'boolean', (c) => c.notNull().defaultTo(false))
    // Product and variant both selling / displayed.
    .addColumn('selling', 'boolean', (c) => c.notNull())
    .addColumn('display', 'boolean', (c) => c.notNull())
    .addColumn('linkable', 'boolean', (c) => c.notNull())
    .addColumn('unlinkable_reason', 'text', (c) => c.check(sql`unlinkable_reason in ('unlinkable_option_type', 'missing_variant_code')`))
    .addColumn('last_import_id', 'uuid')
    // Absent from the last import whose statuses covered it: deleted on Cafe24 or out of that status.
    .addColumn('gone_at', 'timestamptz')
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('cafe24_catalogue_variants_pkey', ['mall_link_id', 'product_no', 'variant_code'])
    .addCheckConstraint('cafe24_catalogue_variants_linkable_check', sql`linkable = (unlinkable_reason is null)`)
    .execute();
  await db.schema
    .createIndex('cafe24_catalogue_variants_code_idx')
    .unique()
    .on('cafe24_catalogue_variants')
    .columns(['mall_link_id', 'variant_code'])
    .where(sql.ref('variant_code'), '<>', '')
    .execute();
  await db.schema.createIndex('cafe24_catalogue_variants_import_idx').on('cafe24_catalogue_variants').columns(['mall_link_id', 'last_import_id']).execute();

  // FMS goods master per customer (cstCd), replaced whole by each refresh.
  await db.schema
    .createTable('fms_goods')
    .addColumn('cst_cd', 'text', (c) => c.notNull())
    .addColumn('cst_god_cd', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('god_cd', 'text')
    .addColumn('barcode', 'text')
    .addColumn('goods_type', 'text')
    .addColumn('in_use', 'boolean', (c) => c.notNull())
    .addColumn('refreshed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('fms_goods_pkey', ['cst_cd', 'cst_god_cd'])
    .execute();
  // One row per customer whose goods were read: an empty master is told apart from a never-read one.
  await db.schema
    .createTable('fms_goods_refreshes')
    .addColumn('cst_cd', 'text', (c) => c.primaryKey())
    .addColumn('goods_count', 'integer', (c) => c.notNull())
    .addColumn('refreshed_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('fms_goods_refreshes').execute();
  await db.schema.dropTable('fms_goods').execute();
  await db.schema.dropTable('cafe24_catalogue_variants').execute();
  await db.schema.dropTable('cafe24_catalogue_imports').execute();
}
