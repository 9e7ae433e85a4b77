import { sql, type Kysely } from 'kysely';

/**
 * Invoice sync (송장등록): FMS progress on each shipment request, the carrier mapping FMS → Cafe24,
 * one registration row per Cafe24 order item (the exactly-once ledger of tracking numbers), and the
 * run ledger of syncInvoices.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('fms_shipment_requests')
    // The Cafe24 items this request ships and the goods each one is: a partial shipment (PARTDONE)
    // registers only the items whose goods FMS shipped. Null on requests made before this column.
    .addColumn('items', 'jsonb')
    .addColumn('fms_status', 'text', (c) => c.check(sql`fms_status in ('ORDER', 'WORKING', 'DONE', 'PARTDONE', 'CANCEL', 'SHORTAGE', 'UNKNOWN')`))
    .addColumn('fms_status_raw', 'text')
    .addColumn('fms_status_seen_at', 'timestamptz')
    // [{ invoiceNo, carrierKey, carrierName }] in the order FMS listed them.
    .addColumn('invoices', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // Nothing left to do for invoices: every item registered or rejected, or FMS cancelled the request.
    .addColumn('invoice_settled_at', 'timestamptz')
    // The last invoice run that examined the request, and whether FMS listed it then: the run's
    // books are counted from these rows, so no list of requests passes through workflow history.
    .addColumn('invoice_run_id', 'bigint')
    .addColumn('invoice_listed', 'boolean')
    .execute();
  await db.schema.createIndex('fms_shipment_requests_invoice_run_idx').on('fms_shipment_requests').column('invoice_run_id').execute();
  await sql`create index fms_shipment_requests_unsettled_idx on fms_shipment_requests (mall_link_id, ord_dt) where status = 'created' and invoice_settled_at is null`.execute(db);

  // Keyed on the carrier key FMS rows normalise to (src/domain/fms-progress.ts normalizeFmsCarrier):
  // a recognised carrier's own key (CJ, HANJIN, …), else the code FMS sent, else its name.
  await db.schema
    .createTable('carrier_mappings')
    .addColumn('fms_carrier_key', 'text', (c) => c.primaryKey())
    .addColumn('carrier_name', 'text', (c) => c.notNull())
    .addColumn('cafe24_shipping_company_code', 'text', (c) => c.notNull().check(sql`cafe24_shipping_company_code ~ '^[0-9]{4}$'`))
    .addColumn('confirmed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('note', 'text')
    .addColumn('updated_by_key_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // CJ대한통운 → 0006 and 우체국택배 → 0012 are confirmed by the public Cafe24 reference; the other
  // codes circulate with conflicting values: to be confirmed against a mall's GET /carriers.
  const toConfirm = 'to be confirmed against a mall’s GET /carriers';
  await db
    .insertInto('carrier_mappings')
    .values([
      { fms_carrier_key: 'CJ', carrier_name: 'CJ대한통운', cafe24_shipping_company_code: '0006', confirmed: true, note: null },
      { fms_carrier_key: 'EPOST', carrier_name: '우체국택배', cafe24_shipping_company_code: '0012', confirmed: true, note: null },
      { fms_carrier_key: 'HANJIN', carrier_name: '한진택배', cafe24_shipping_company_code: '0018', confirmed: false, note: toConfirm },
      { fms_carrier_key: 'LOTTE', carrier_name: '롯데택배', cafe24_shipping_company_code: '0079', confirmed: false, note: toConfirm },
      { fms_carrier_key: 'LOGEN', carrier_name: '로젠택배', cafe24_shipping_company_code: '0004', confirmed: false, note: toConfirm },
      { fms_carrier_key: 'KDEXP', carrier_name: '경동택배', cafe24_shipping_company_code: '0039', confirmed: false, note: toConfirm },
    ])
    .execute();

  // One row per Cafe24 order item with a tracking number to register. No foreign key to mall_links:
  // what was registered on Cafe24 must outlive a deleted link, like the shipment-request ledger.
  await db.schema
    .createTable('invoice_registrations')
    .addColumn('mall_link_id', 'uuid', (c) => c.notNull())
    .addColumn('order_item_code', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('shop_no', 'integer', (c) => c.notNull())
    .addColumn('ord_no', 'text', (c) => c.notNull())
    .addColumn('invoice_no', 'text', (c) => c.notNull())
    .addColumn('fms_carrier_key', 'text')
    .addColumn('fms_carrier_name', 'text')
    .addColumn('shipping_company_code', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'sending', 'synced', 'held', 'rejected')`))
    .addColumn('reason', 'text')
    .addColumn('shipping_code', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_sent_at', 'timestamptz')
    .addColumn('synced_at', 'timestamptz')
    .addColumn('invoice_sync_run_id', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('invoice_registrations_pkey', ['mall_link_id', 'order_item_code'])
    .execute();
  await db.schema.createIndex('invoice_registrations_status_idx').on('invoice_registrations').columns(['mall_link_id', 'status', 'order_id']).execute();
  await db.schema.createIndex('invoice_registrations_ord_no_idx').on('invoice_registrations').column('ord_no').execute();

  // No foreign key to mall_links: the ledger of a deleted link must outlive it.
  await db.schema
    .createTable('invoice_sync_runs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('mall_link_id', 'uuid', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('schedule', 'manual')`))
    .addColumn('slot_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'completed', 'skipped', 'failed')`))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('requests_examined', 'integer', (c) => c.notNull().defaultTo(0))
    // Requests by outcome; the values add up to requests_examined.
    .addColumn('counts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('items_synced', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addUniqueConstraint('invoice_sync_runs_workflow_run_key', ['workflow_id', 'run_id'])
    .execute();
  await db.schema.createIndex('invoice_sync_runs_link_idx').on('invoice_sync_runs').columns(['mall_link_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('invoice_sync_runs').execute();
  await db.schema.dropTable('invoice_registrations').execute();
  await db.schema.dropTable('carrier_mappings').execute();
  await sql`drop index if exists fms_shipment_requests_unsettled_idx`.execute(db);
  await db.schema
    .alterTable('fms_shipment_requests')
    .dropColumn('items')
    .dropColumn('fms_status')
    .dropColumn('fms_status_raw')
    .dropColumn('fms_status_seen_at')
    .dropColumn('invoices')
    .dropColumn('invoice_settled_at')
    .dropColumn('invoice_run_id')
    .dropColumn('invoice_listed')
    .execute();
}
