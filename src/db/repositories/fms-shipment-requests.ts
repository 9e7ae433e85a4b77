import { sql } from 'kysely';
import type { Db } from '../database.js';
import type { FmsInvoice, FmsShipmentRequestRow } from '../../../db/schema.js';
import type { FmsProgressStatus } from '../../domain/fms-progress.js';
import type { ResolvedItem } from '../../domain/link-resolution.js';

/** Advisory-lock class of shipment keys (the object id is hashtext(ord_no)); 'FMS\x01'. */
const shipmentLockClass = 0x464d5301;

export interface ShipmentIntent {
  ordNo: string;
  mallLinkId: string;
  shopNo: number;
  orderId: string;
  cstCd: string;
  ordDt: string;
  payloadHash: string;
  items: ResolvedItem[];
}

/**
 * Runs `work` on one connection holding a session-level advisory lock on each ordNo, so calls for
 * the same order run one after another while their writes still commit one by one. The locks are
 * taken in one statement in lock-key order, so two batches sharing orders cannot deadlock. A
 * crashed holder's session ends and frees them.
 */
export async function withShipmentRequestLocks<T>(db: Db, ordNos: readonly string[], work: (conn: Db) => Promise<T>): Promise<T> {
  const keys = sql`(select distinct hashtext(o) as k from unnest(${[...ordNos]}::text[]) as o order by k)`;
  return db.connection().execute(async (conn) => {
    await sql`select count(pg_advisory_lock(${shipmentLockClass}, k)) from ${keys} as keys`.execute(conn);
    try {
      return await work(conn);
    } finally {
      await sql`select count(pg_advisory_unlock(${shipmentLockClass}, k)) from ${keys} as keys`.execute(conn);
    }
  });
}

/** withShipmentRequestLocks for one order. */
export async function withShipmentRequestLock<T>(db: Db, ordNo: string, work: (conn: Db) => Promise<T>): Promise<T> {
  return withShipmentRequestLocks(db, [ordNo], work);
}

export type ShipmentLedgerEntry = FmsShipmentRequestRow & {
  /** Milliseconds since the last create was sent, by the database clock; null before the first. */
  sent_ms_ago: number | null;
};

/**
 * The ledger rows of the ordNos, each inserted as pending when there is none yet; in no particular
 * order. One statement: the rows it inserts, and those that were there before it. Every inserter
 * of an ordNo's row holds its lock (withShipmentRequestLocks), so none can slip in between; should
 * one ever, its row is read on its own rather than left out.
 */
export async function recordShipmentIntents(db: Db, intents: readonly ShipmentIntent[]): Promise<ShipmentLedgerEntry[]> {
  if (intents.length === 0) return [];
  const ordNos = intents.map((i) => i.ordNo);
  const sentMsAgo = sql<number | null>`(extract(epoch from now() - last_sent_at) * 1000)::float8`.as('sent_ms_ago');
  const existing = db.selectFrom('fms_shipment_requests').selectAll().select(sentMsAgo).where('ord_no', 'in', ordNos);
  const rows = await db
    .with('inserted', (q) =>
      q
        .insertInto('fms_shipment_requests')
        .values(
          intents.map((intent) => ({
            ord_no: intent.ordNo,
            mall_link_id: intent.mallLinkId,
            shop_no: intent.shopNo,
            order_id: intent.orderId,
            cst_cd: intent.cstCd,
            ord_dt: intent.ordDt,
            payload_hash: intent.payloadHash,
            items: JSON.stringify(intent.items),
            status: 'pending' as const,
          })),
        )
        .onConflict((oc) => oc.column('ord_no').doNothing())
        .returningAll(),
    )
    .selectFrom('inserted')
    .selectAll()
    .select(sentMsAgo)
    .unionAll(existing)
    .execute();
  return rows.length === ordNos.length ? rows : existing.execute();
}

/** The ledger row of the ordNo, inserted as pending when there is none yet. */
export async function recordShipmentIntent(db: Db, intent: ShipmentIntent): Promise<ShipmentLedgerEntry> {
  const [row] = await recordShipmentIntents(db, [intent]);
  return row!;
}

export async function findShipmentRequest(db: Db, ordNo: string): Promise<FmsShipmentRequestRow | undefined> {
  return db.selectFrom('fms_shipment_requests').selectAll().where('ord_no', '=', ordNo).executeTakeFirst();
}

export interface ShipmentSend {
  ordNo: string;
  ordDt: string;
  payloadHash: string;
  items: ResolvedItem[];
}

/** Committed before the create is sent: from here on, the outcome is unknown until looked up. One statement for the batch. */
export async function markShipmentsSending(db: Db, sends: readonly ShipmentSend[]): Promise<void> {
  if (sends.length === 0) return;
  const column = <K extends keyof ShipmentSend>(key: K) => sends.map((s) => (key === 'items' ? JSON.stringify(s.items) : s[key]));
  await sql`
    update fms_shipment_requests r
    set status = 'sending', ord_dt = v.ord_dt, payload_hash = v.payload_hash, items = v.items::jsonb,
        attempts = r.attempts + 1, last_sent_at = now(), updated_at = now()
    from unnest(${column('ordNo')}::text[], ${column('ordDt')}::text[], ${column('payloadHash')}::text[], ${column('items')}::text[])
      as v(ord_no, ord_dt, payload_hash, items)
    where r.ord_no = v.ord_no`.execute(db);
}

/** FMS holds these requests under these slips. One statement for the batch. */
export async function markShipmentsCreated(db: Db, created: readonly { ordNo: string; slipNo: string }[]): Promise<void> {
  if (created.length === 0) return;
  await sql`
    update fms_shipment_requests r
    set status = 'created', fms_slip_no = v.slip_no, last_error = null, updated_at = now()
    from unnest(${created.map((c) => c.ordNo)}::text[], ${created.map((c) => c.slipNo)}::text[]) as v(ord_no, slip_no)
    where r.ord_no = v.ord_no`.execute(db);
}

export async function markShipmentCreated(db: Db, ordNo: string, slipNo: string): Promise<void> {
  await markShipmentsCreated(db, [{ ordNo, slipNo }]);
}

/** FMS refused these requests (and does not hold them). One statement for the batch. */
export async function markShipmentsRejected(db: Db, rejected: readonly { ordNo: string; error: string }[]): Promise<void> {
  if (rejected.length === 0) return;
  await sql`
    update fms_shipment_requests r
    set status = 'rejected', last_error = v.error, updated_at = now()
    from unnest(${rejected.map((c) => c.ordNo)}::text[], ${rejected.map((c) => c.error)}::text[]) as v(ord_no, error)
    where r.ord_no = v.ord_no`.execute(db);
}

/** A link's requests FMS holds whose invoices are not settled, in ordNo order from `afterOrdNo`. */
export async function findUnsettledShipmentRequests(db: Db, mallLinkId: string, options: { afterOrdNo: string | null; limit: number }): Promise<FmsShipmentRequestRow[]> {
  let query = db.selectFrom('fms_shipment_requests').selectAll().where('mall_link_id', '=', mallLinkId).where('status', '=', 'created').where('invoice_settled_at', 'is', null);
  if (options.afterOrdNo !== null) query = query.where('ord_no', '>', options.afterOrdNo);
  return query.orderBy('ord_no').limit(options.limit).execute();
}

export interface FmsProgressRecord {
  status: FmsProgressStatus;
  rawStatus: string | null;
  invoices: FmsInvoice[];
}

/** What an invoice run saw of one request: FMS's progress when FMS listed it, else only that the run looked. */
export interface FmsProgressSeen {
  ordNo: string;
  progress: FmsProgressRecord | null;
}

/** Records what an invoice run saw of a page of requests, in one statement (one round trip per page, not per request). */
export async function recordFmsProgress(db: Db, invoiceRunId: number, seen: readonly FmsProgressSeen[]): Promise<void> {
  if (seen.length === 0) return;
  const ordNos = seen.map((s) => s.ordNo);
  const listed = seen.map((s) => s.progress !== null);
  const statuses = seen.map((s) => s.progress?.status ?? null);
  const rawStatuses = seen.map((s) => s.progress?.rawStatus ?? null);
  const invoices = seen.map((s) => (s.progress === null ? null : JSON.stringify(s.progress.invoices)));
  await sql`
    update fms_shipment_requests as r set
      invoice_run_id = ${invoiceRunId},
      invoice_listed = v.listed,
      fms_status = case when v.listed then v.status else r.fms_status end,
      fms_status_raw = case when v.listed then v.raw_status else r.fms_status_raw end,
      fms_status_seen_at = case when v.listed then now() else r.fms_status_seen_at end,
      invoices = case when v.listed then v.invoices else r.invoices end,
      updated_at = now()
    from unnest(${ordNos}::text[], ${listed}::boolean[], ${statuses}::text[], ${rawStatuses}::text[], ${invoices}::jsonb[]) as v(ord_no, listed, status, raw_status, invoices)
    where r.ord_no = v.ord_no`.execute(db);
}

export async function markInvoicesSettled(db: Db, ordNos: readonly string[]): Promise<void> {
  if (ordNos.length === 0) return;
  await db.updateTable('fms_shipment_requests').set({ invoice_settled_at: sql<Date>`now()`, updated_at: sql<Date>`now()` }).where('ord_no', 'in', ordNos).execute();
}

/** The requests an invoice run examined, ordNo order, a page at a time. */
export async function findRequestsExaminedBy(db: Db, invoiceRunId: number, options: { afterOrdNo: string | null; limit: number }): Promise<FmsShipmentRequestRow[]> {
  let query = db.selectFrom('fms_shipment_requests').selectAll().where('invoice_run_id', '=', invoiceRunId);
  if (options.afterOrdNo !== null) query = query.where('ord_no', '>', options.afterOrdNo);
  return query.orderBy('ord_no').limit(options.limit).execute();
}

export async function findShipmentRequestOfOrder(db: Db, mallLinkId: string, orderId: string): Promise<FmsShipmentRequestRow | undefined> {
  return db.selectFrom('fms_shipment_requests').selectAll().where('mall_link_id', '=', mallLinkId).where('order_id', '=', orderId).orderBy('created_at', 'desc').executeTakeFirst();
}

/** We cancelled the request in FMS: it is never requested again, and FMS shows it cancelled. */
export async function markShipmentCancelled(db: Db, ordNo: string): Promise<void> {
  await db
    .updateTable('fms_shipment_requests')
    .set({ cancelled_at: sql<Date>`coalesce(cancelled_at, now())`, fms_status: 'CANCEL', fms_status_seen_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('ord_no', '=', ordNo)
    .execute();
}

export async function findShipmentRequestsOfOrders(db: Db, mallLinkId: string, orderIds: readonly string[]): Promise<FmsShipmentRequestRow[]> {
  if (orderIds.length === 0) return [];
  return db.selectFrom('fms_shipment_requests').selectAll().where('mall_link_id', '=', mallLinkId).where('order_id', 'in', orderIds).execute();
}
