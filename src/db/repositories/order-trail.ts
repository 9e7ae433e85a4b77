import { sql } from 'kysely';
import type { Db } from '../database.js';
import { requestedItemOutcomes, type ItemOutcomeRecord } from '../../domain/collection-accounting.js';

/**
 * Appends a trail row for each item whose outcome differs from its latest one, so a trail shows
 * changes (not_eligible:too_recent → requested → already_requested), not every slot that saw it.
 */
export async function appendOutcomeChanges(db: Db, mallLinkId: string, collectionRunId: number, records: readonly ItemOutcomeRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  const payload = JSON.stringify(records.map((r) => ({ order_id: r.orderId, order_item_code: r.orderItemCode, outcome: r.outcome })));
  const result = await sql`
    insert into order_trail (mall_link_id, order_id, order_item_code, collection_run_id, outcome)
    select ${mallLinkId}::uuid, v.order_id, v.order_item_code, ${collectionRunId}, v.outcome
    from jsonb_to_recordset(${payload}::jsonb) as v(order_id text, order_item_code text, outcome text)
    where v.outcome is distinct from (
      select t.outcome from order_trail t
      where t.mall_link_id = ${mallLinkId}::uuid and t.order_item_code = v.order_item_code
      order by t.id desc limit 1
    )
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export async function listOrderTrail(db: Db, mallLinkId: string, orderId: string) {
  return db
    .selectFrom('order_trail')
    .innerJoin('collection_runs', 'collection_runs.id', 'order_trail.collection_run_id')
    .select(['order_trail.order_item_code', 'order_trail.outcome', 'order_trail.at', 'collection_runs.workflow_id', 'collection_runs.slot_at'])
    .where('order_trail.mall_link_id', '=', mallLinkId)
    .where('order_trail.order_id', '=', orderId)
    .orderBy('order_trail.id')
    .execute();
}

/** Items of an order whose latest outcome is a shipment request (for requests that predate their item breakdown). */
export async function findRequestedItemCodes(db: Db, mallLinkId: string, orderId: string): Promise<string[]> {
  const rows = await sql<{ order_item_code: string }>`
    select order_item_code from (
      select distinct on (order_item_code) order_item_code, outcome from order_trail
      where mall_link_id = ${mallLinkId}::uuid and order_id = ${orderId}
      order by order_item_code, id desc
    ) latest
    where outcome = any(${[...requestedItemOutcomes]}::text[])
  `.execute(db);
  return rows.rows.map((r) => r.order_item_code);
}

/** The latest outcome of every item of these orders: order item code → outcome. */
export async function findLatestItemOutcomes(db: Db, mallLinkId: string, orderIds: readonly string[]): Promise<Map<string, string>> {
  if (orderIds.length === 0) return new Map();
  const rows = await sql<{ order_item_code: string; outcome: string }>`
    select distinct on (order_item_code) order_item_code, outcome from order_trail
    where mall_link_id = ${mallLinkId}::uuid and order_id = any(${[...orderIds]}::text[])
    order by order_item_code, id desc
  `.execute(db);
  return new Map(rows.rows.map((r) => [r.order_item_code, r.outcome]));
}
