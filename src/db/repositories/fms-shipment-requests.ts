import { sql } from 'kysely';
import type { Db } from '../database.js';
import type { FmsShipmentRequestRow } from '../../../db/schema.js';

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
}

/**
 * Runs `work` on one connection holding a session-level advisory lock on the ordNo, so calls for
 * the same order run one after another while their writes still commit one by one. A crashed
 * holder's session ends and frees the lock.
 */
export async function withShipmentRequestLock<T>(db: Db, ordNo: string, work: (conn: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${shipmentLockClass}, hashtext(${ordNo}))`.execute(conn);
    try {
      return await work(conn);
    } finally {
      await sql`select pg_advisory_unlock(${shipmentLockClass}, hashtext(${ordNo}))`.execute(conn);
    }
  });
}

export type ShipmentLedgerEntry = FmsShipmentRequestRow & {
  /** Milliseconds since the last create was sent, by the database clock; null before the first. */
  sent_ms_ago: number | null;
};

/** The ledger row of the ordNo, inserted as pending when there is none yet. */
export async function recordShipmentIntent(db: Db, intent: ShipmentIntent): Promise<ShipmentLedgerEntry> {
  await db
    .insertInto('fms_shipment_requests')
    .values({
      ord_no: intent.ordNo,
      mall_link_id: intent.mallLinkId,
      shop_no: intent.shopNo,
      order_id: intent.orderId,
      cst_cd: intent.cstCd,
      ord_dt: intent.ordDt,
      payload_hash: intent.payloadHash,
      status: 'pending',
    })
    .onConflict((oc) => oc.column('ord_no').doNothing())
    .execute();
  return db
    .selectFrom('fms_shipment_requests')
    .selectAll()
    .select(sql<number | null>`(extract(epoch from now() - last_sent_at) * 1000)::float8`.as('sent_ms_ago'))
    .where('ord_no', '=', intent.ordNo)
    .executeTakeFirstOrThrow();
}

export async function findShipmentRequest(db: Db, ordNo: string): Promise<FmsShipmentRequestRow | undefined> {
  return db.selectFrom('fms_shipment_requests').selectAll().where('ord_no', '=', ordNo).executeTakeFirst();
}

/** Committed before the create is sent: from here on, the outcome is unknown until looked up. */
export async function markShipmentSending(db: Db, ordNo: string, payload: { ordDt: string; payloadHash: string }): Promise<void> {
  await db
    .updateTable('fms_shipment_requests')
    .set((eb) => ({ status: 'sending', ord_dt: payload.ordDt, payload_hash: payload.payloadHash, attempts: eb('attempts', '+', 1), last_sent_at: sql`now()`, updated_at: sql`now()` }))
    .where('ord_no', '=', ordNo)
    .execute();
}

export async function markShipmentCreated(db: Db, ordNo: string, slipNo: string): Promise<void> {
  await db
    .updateTable('fms_shipment_requests')
    .set({ status: 'created', fms_slip_no: slipNo, last_error: null, updated_at: sql`now()` })
    .where('ord_no', '=', ordNo)
    .execute();
}

export async function markShipmentRejected(db: Db, ordNo: string, error: string): Promise<void> {
  await db
    .updateTable('fms_shipment_requests')
    .set({ status: 'rejected', last_error: error, updated_at: sql`now()` })
    .where('ord_no', '=', ordNo)
    .execute();
}
