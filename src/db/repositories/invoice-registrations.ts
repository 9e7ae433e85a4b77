import { sql } from 'kysely';
import type { Db } from '../database.js';
import type { InvoiceRegistrationRow } from '../../../db/schema.js';
import type { FmsCarrier } from '../../domain/fms-progress.js';
import { chunk } from '../../domain/grouping.js';
import type { HeldReason } from '../../domain/invoice-sync.js';

/** Advisory-lock class of a mall's invoice registrations (object id hashtext(mall_link_id)); 'INV\x01'. */
const invoiceLockClass = 0x494e5601;

/**
 * Runs `work` on one connection holding the mall's invoice lock, so two runs of one mall (a manual
 * and a scheduled one) register one after another and the second finds the first one's rows
 * settled. A crashed holder's session ends and frees the lock.
 */
export async function withInvoiceRegistrationLock<T>(db: Db, mallLinkId: string, work: (conn: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${invoiceLockClass}, hashtext(${mallLinkId}))`.execute(conn);
    try {
      return await work(conn);
    } finally {
      await sql`select pg_advisory_unlock(${invoiceLockClass}, hashtext(${mallLinkId}))`.execute(conn);
    }
  });
}

export interface ShippedItemEntry {
  orderItemCode: string;
  orderId: string;
  shopNo: number;
  ordNo: string;
  invoiceNo: string;
  carrier: FmsCarrier | null;
  shippingCompanyCode: string | null;
  /** Why it cannot be sent yet (newRegistrationHold); null: pending. */
  hold: HeldReason | null;
}

/**
 * Records the shipped items FMS reported, pending or held as each entry says; held items are planned
 * again each run, so a mapping added since releases them. Items already sent, registered or refused
 * are never touched. A page of requests takes one statement per 1,000 items. An item listed twice
 * ends as one statement per entry would leave it: its order and request (ord_no) from the first
 * entry, which inserts the row, its tracking number, carrier and hold from the last, which updates it.
 */
export async function planInvoiceRegistrations(db: Db, mallLinkId: string, entries: readonly ShippedItemEntry[]): Promise<void> {
  const merged = new Map<string, ShippedItemEntry>();
  for (const entry of entries) {
    const first = merged.get(entry.orderItemCode);
    merged.set(entry.orderItemCode, first ? { ...entry, orderId: first.orderId, shopNo: first.shopNo, ordNo: first.ordNo } : entry);
  }
  for (const part of chunk([...merged.values()], registrationsPerStatement)) await insertPlannedRegistrations(db, mallLinkId, part);
}

/** Rows per planning insert: 11 parameters each, far below PostgreSQL's 65,535. */
const registrationsPerStatement = 1000;

async function insertPlannedRegistrations(db: Db, mallLinkId: string, entries: readonly ShippedItemEntry[]): Promise<void> {
  await db
    .insertInto('invoice_registrations')
    .values(
      entries.map((e) => ({
        mall_link_id: mallLinkId,
        order_item_code: e.orderItemCode,
        order_id: e.orderId,
        shop_no: e.shopNo,
        ord_no: e.ordNo,
        invoice_no: e.invoiceNo,
        fms_carrier_key: e.carrier?.key ?? null,
        fms_carrier_name: e.carrier?.name ?? null,
        shipping_company_code: e.shippingCompanyCode,
        status: e.hold === null ? ('pending' as const) : ('held' as const),
        reason: e.hold,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['mall_link_id', 'order_item_code'])
        .doUpdateSet((eb) => ({
          invoice_no: eb.ref('excluded.invoice_no'),
          fms_carrier_key: eb.ref('excluded.fms_carrier_key'),
          fms_carrier_name: eb.ref('excluded.fms_carrier_name'),
          shipping_company_code: eb.ref('excluded.shipping_company_code'),
          status: eb.ref('excluded.status'),
          reason: eb.ref('excluded.reason'),
          updated_at: sql<Date>`now()`,
        }))
        .where('invoice_registrations.status', 'in', ['pending', 'held']),
    )
    .execute();
}

/** Holds items FMS reports shipped that cannot be registered yet, with the reason. */
export async function holdInvoiceRegistrations(
  db: Db,
  mallLinkId: string,
  entries: readonly { orderItemCode: string; orderId: string; shopNo: number; ordNo: string }[],
  reason: HeldReason,
): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('invoice_registrations')
    .values(entries.map((e) => ({ mall_link_id: mallLinkId, order_item_code: e.orderItemCode, order_id: e.orderId, shop_no: e.shopNo, ord_no: e.ordNo, invoice_no: '', status: 'held' as const, reason })))
    .onConflict((oc) =>
      oc
        .columns(['mall_link_id', 'order_item_code'])
        .doUpdateSet({ status: 'held', reason, updated_at: sql<Date>`now()` })
        .where('invoice_registrations.status', 'in', ['pending', 'held']),
    )
    .execute();
}

/**
 * The next registrations to send for one shop of the mall: unanswered ones (`sending`) first, so a
 * lost answer is read back before anything new goes out, then pending ones; at most `limit`. One
 * statement reads one row past them, so `more` tells whether any registration of the mall waits
 * beyond this batch.
 */
export async function nextInvoiceRegistrations(db: Db, mallLinkId: string, limit: number): Promise<{ rows: InvoiceRegistrationRow[]; more: boolean }> {
  const found = await db
    .selectFrom('invoice_registrations')
    .selectAll()
    .where('mall_link_id', '=', mallLinkId)
    .where('status', 'in', ['sending', 'pending'])
    .orderBy('shop_no')
    .orderBy(sql`status = 'sending'`, 'desc')
    .orderBy('order_id')
    .orderBy('order_item_code')
    .limit(limit + 1)
    .execute();
  const rows = found.filter((row, i) => i < limit && row.shop_no === found[0]!.shop_no);
  return { rows, more: found.length > rows.length };
}

/** Committed before the call: from here on the outcome is unknown until read back from Cafe24. */
export async function markInvoicesSending(db: Db, mallLinkId: string, orderItemCodes: readonly string[]): Promise<void> {
  if (orderItemCodes.length === 0) return;
  await db
    .updateTable('invoice_registrations')
    .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), last_sent_at: sql<Date>`now()`, updated_at: sql<Date>`now()` }))
    .where('mall_link_id', '=', mallLinkId)
    .where('order_item_code', 'in', orderItemCodes)
    .execute();
}

/** Items Cafe24 holds now, each with the shipping code of its shipment: one statement for a whole call's answers. */
export async function markInvoicesSynced(db: Db, mallLinkId: string, synced: readonly { orderItemCode: string; shippingCode: string | null }[], runId: number): Promise<void> {
  if (synced.length === 0) return;
  await sql`
    update invoice_registrations as r set
      status = 'synced', reason = null, shipping_code = v.shipping_code, synced_at = now(), invoice_sync_run_id = ${runId}, updated_at = now()
    from unnest(${synced.map((s) => s.orderItemCode)}::text[], ${synced.map((s) => s.shippingCode)}::text[]) as v(order_item_code, shipping_code)
    where r.mall_link_id = ${mallLinkId} and r.order_item_code = v.order_item_code`.execute(db);
}

/** Refused by Cafe24 for one reason: never sent again. */
export async function markInvoicesRejected(db: Db, mallLinkId: string, orderItemCodes: readonly string[], reason: string, runId: number): Promise<void> {
  if (orderItemCodes.length === 0) return;
  await db
    .updateTable('invoice_registrations')
    .set({ status: 'rejected', reason, invoice_sync_run_id: runId, updated_at: sql<Date>`now()` })
    .where('mall_link_id', '=', mallLinkId)
    .where('order_item_code', 'in', orderItemCodes)
    .execute();
}

/** Not on Cafe24 after all (read back): send again. */
export async function markInvoicesPending(db: Db, mallLinkId: string, orderItemCodes: readonly string[]): Promise<void> {
  if (orderItemCodes.length === 0) return;
  await db
    .updateTable('invoice_registrations')
    .set({ status: 'pending', updated_at: sql<Date>`now()` })
    .where('mall_link_id', '=', mallLinkId)
    .where('order_item_code', 'in', orderItemCodes)
    .execute();
}

export async function findInvoiceRegistrationsByOrdNo(db: Db, ordNos: readonly string[]): Promise<InvoiceRegistrationRow[]> {
  if (ordNos.length === 0) return [];
  return db.selectFrom('invoice_registrations').selectAll().where('ord_no', 'in', ordNos).execute();
}

export async function findInvoiceRegistrationsOfOrder(db: Db, mallLinkId: string, orderId: string): Promise<InvoiceRegistrationRow[]> {
  return db.selectFrom('invoice_registrations').selectAll().where('mall_link_id', '=', mallLinkId).where('order_id', '=', orderId).orderBy('order_item_code').execute();
}

export async function countItemsSyncedBy(db: Db, invoiceSyncRunId: number): Promise<number> {
  const row = await db
    .selectFrom('invoice_registrations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('invoice_sync_run_id', '=', invoiceSyncRunId)
    .where('status', '=', 'synced')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findInvoiceRegistrationsOfOrders(db: Db, mallLinkId: string, orderIds: readonly string[]): Promise<InvoiceRegistrationRow[]> {
  if (orderIds.length === 0) return [];
  return db.selectFrom('invoice_registrations').selectAll().where('mall_link_id', '=', mallLinkId).where('order_id', 'in', orderIds).execute();
}
