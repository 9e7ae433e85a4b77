import { sql } from 'kysely';
import type { Db } from '../database.js';
import type { CollectedOrderRow } from '../../../db/schema.js';
import type { StoredOrder } from '../../domain/order.js';
import { shipmentWarnings, type ShipmentOutcome } from '../../domain/shipment-outcome.js';

/** Stores fetched orders (insert or refresh, personal data included again after a purge); the first fetch time is kept. */
export async function upsertCollectedOrders(db: Db, mallLinkId: string, orders: readonly StoredOrder[]): Promise<void> {
  if (orders.length === 0) return;
  await db
    .insertInto('collected_orders')
    .values(orders.map((o) => ({ mall_link_id: mallLinkId, order_id: o.orderId, shop_no: o.shopNo, paid_at: o.paidAt, raw: JSON.stringify(o) })))
    .onConflict((oc) =>
      oc.columns(['mall_link_id', 'order_id']).doUpdateSet((eb) => ({
        shop_no: eb.ref('excluded.shop_no'),
        paid_at: eb.ref('excluded.paid_at'),
        raw: eb.ref('excluded.raw'),
        raw_purged_at: null,
        last_fetched_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

export async function findCollectedOrders(db: Db, mallLinkId: string, orderIds: readonly string[]): Promise<CollectedOrderRow[]> {
  if (orderIds.length === 0) return [];
  return db.selectFrom('collected_orders').selectAll().where('mall_link_id', '=', mallLinkId).where('order_id', 'in', orderIds).execute();
}

export async function findCollectedOrder(db: Db, mallLinkId: string, orderId: string): Promise<CollectedOrderRow | undefined> {
  return db.selectFrom('collected_orders').selectAll().where('mall_link_id', '=', mallLinkId).where('order_id', '=', orderId).executeTakeFirst();
}

/**
 * What FMS answered for an order. `request_outcome` says whether this call created the request
 * (`created`) or FMS already held it (`already_requested`). A slip once recorded is never
 * replaced by a rejection.
 */
export async function recordShipmentOutcomes(
  db: Db,
  mallLinkId: string,
  collectionRunId: number,
  answers: readonly { orderId: string; outcome: ShipmentOutcome }[],
): Promise<void> {
  if (answers.length === 0) return;
  const requested = (o: ShipmentOutcome): o is Extract<ShipmentOutcome, { kind: 'requested' }> => o.kind === 'requested';
  const column = (value: (o: ShipmentOutcome) => string | null) => answers.map((a) => value(a.outcome));
  // One statement for the batch; a rejection only lands on orders without a slip.
  await sql`
    update collected_orders c
    set request_outcome = v.request_outcome, slip_no = v.slip_no, request_warnings = v.warnings::jsonb, request_reason = v.reason,
        requested_at = now(), requested_run_id = ${collectionRunId}
    from unnest(
      ${answers.map((a) => a.orderId)}::text[],
      ${column((o) => (requested(o) ? (o.source === 'created' ? 'created' : 'already_requested') : 'rejected'))}::text[],
      ${column((o) => (requested(o) ? o.slipNo : null))}::text[],
      ${column((o) => (requested(o) ? JSON.stringify(shipmentWarnings(o)) : null))}::text[],
      ${column((o) => (requested(o) ? null : o.reason))}::text[]
    ) as v(order_id, request_outcome, slip_no, warnings, reason)
    where c.mall_link_id = ${mallLinkId} and c.order_id = v.order_id and (v.slip_no is not null or c.slip_no is null)`.execute(db);
}

/**
 * Which of these orders already have an FMS slip recorded by another run than `exceptRunId`: a slip
 * this run recorded (an earlier attempt of the same step) still counts as requested by this run.
 */
export async function findOrderIdsWithSlip(db: Db, mallLinkId: string, orderIds: readonly string[], exceptRunId: number | null = null): Promise<string[]> {
  if (orderIds.length === 0) return [];
  let query = db.selectFrom('collected_orders').select('order_id').where('mall_link_id', '=', mallLinkId).where('order_id', 'in', orderIds).where('slip_no', 'is not', null);
  if (exceptRunId !== null) query = query.where((eb) => eb.or([eb('requested_run_id', 'is', null), eb('requested_run_id', '!=', exceptRunId)]));
  const rows = await query.execute();
  return rows.map((r) => r.order_id);
}

/** Whether any order of this link has been collected: deleting it would orphan its order ledger. */
export async function hasCollectedOrders(db: Db, linkId: string): Promise<boolean> {
  const row = await db.selectFrom('collected_orders').select('order_id').where('mall_link_id', '=', linkId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** What runs recorded of these orders, without the raw order: fetched at all, and FMS's answer. */
export async function findCollectionRecords(db: Db, mallLinkId: string, orderIds: readonly string[]) {
  if (orderIds.length === 0) return [];
  return db
    .selectFrom('collected_orders')
    .select(['order_id', 'request_outcome', 'slip_no', 'request_reason'])
    .where('mall_link_id', '=', mallLinkId)
    .where('order_id', 'in', orderIds)
    .execute();
}

/** Buyers' and receivers' personal data: the parts of a stored order the retention purge removes. */
const personalDataKeys = { receiver: null, buyer: null } as const;

/**
 * Strips the personal data from up to `limit` raw orders last fetched before `before`, and stamps
 * them; ids, items, payment time and the FMS answer stay. Returns how many it purged.
 */
export async function purgeRawOrders(db: Db, before: Date, limit: number): Promise<number> {
  const result = await sql`
    update collected_orders c set raw = c.raw || ${JSON.stringify(personalDataKeys)}::jsonb, raw_purged_at = now()
    from (
      select mall_link_id, order_id from collected_orders
      where raw_purged_at is null and last_fetched_at < ${before}
      order by last_fetched_at limit ${limit}
      for update skip locked
    ) due
    where c.mall_link_id = due.mall_link_id and c.order_id = due.order_id
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
