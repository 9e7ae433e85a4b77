import { sql } from 'kysely';
import type { Db } from '../database.js';
import { epochMicros, fromEpochMicros, pageOf, type Page, type PageRequest } from '../page.js';
import type { UnlinkedOrderRow } from '../../../db/schema.js';
import type { UnlinkedOrder } from '../../domain/link-resolution.js';

/** Holds (or refreshes) unlinked orders; a held order seen again is open again with its current reasons. */
export async function upsertUnlinkedOrders(db: Db, mallLinkId: string, orders: readonly UnlinkedOrder[]): Promise<void> {
  if (orders.length === 0) return;
  await db
    .insertInto('unlinked_orders')
    .values(
      orders.map((o) => ({
        mall_link_id: mallLinkId,
        order_id: o.orderId,
        shop_no: o.shopNo,
        paid_at: o.paidAt,
        items: JSON.stringify(o.items),
        status: 'open' as const,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['mall_link_id', 'order_id']).doUpdateSet((eb) => ({
        items: eb.ref('excluded.items'),
        status: 'open',
        last_seen_at: sql<Date>`now()`,
        resolved_at: null,
        resolved_run_id: null,
      })),
    )
    .execute();
}

/** Marks held orders resolved once they have been requested in FMS. */
export async function resolveUnlinkedOrders(db: Db, mallLinkId: string, orderIds: readonly string[], collectionRunId: number): Promise<number> {
  if (orderIds.length === 0) return 0;
  const result = await db
    .updateTable('unlinked_orders')
    .set({ status: 'resolved', resolved_at: sql<Date>`now()`, resolved_run_id: collectionRunId })
    .where('mall_link_id', '=', mallLinkId)
    .where('order_id', 'in', orderIds)
    .where('status', '!=', 'resolved')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Held orders that are no longer eligible (cancelled, claimed, status changed) leave the open list. */
export async function markUnlinkedNotEligible(db: Db, mallLinkId: string, orderIds: readonly string[]): Promise<number> {
  if (orderIds.length === 0) return 0;
  const result = await db
    .updateTable('unlinked_orders')
    .set({ status: 'not_eligible', last_seen_at: sql<Date>`now()` })
    .where('mall_link_id', '=', mallLinkId)
    .where('order_id', 'in', orderIds)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Open held orders paid before the window's start will not be collected by any later slot: the
 * update, unexecuted, so a run's closing statement can carry it (collection activities).
 */
export function markUnlinkedOutsideRangeQuery(db: Db, mallLinkId: string, windowFrom: string) {
  return db.updateTable('unlinked_orders').set({ status: 'outside_range' }).where('mall_link_id', '=', mallLinkId).where('status', '=', 'open').where('paid_at', '<', new Date(windowFrom));
}

/** Position of a held order in the list: payment time in whole microseconds (null: unknown, listed first) and order id. */
export interface UnlinkedOrderPosition {
  paidAtMicros: string | null;
  orderId: string;
}

/** Newest payment first (unknown payment times before all others), then by order id. */
export async function listUnlinkedOrders(
  db: Db,
  mallLinkId: string,
  statuses: readonly UnlinkedOrderRow['status'][],
  page: PageRequest<UnlinkedOrderPosition>,
): Promise<Page<UnlinkedOrderRow, UnlinkedOrderPosition>> {
  let query = db
    .selectFrom('unlinked_orders')
    .selectAll()
    .select(epochMicros('paid_at').as('paid_at_micros'))
    .where('mall_link_id', '=', mallLinkId)
    .where('status', 'in', statuses);
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      after.paidAtMicros === null
        ? eb.or([eb('paid_at', 'is not', null), eb.and([eb('paid_at', 'is', null), eb('order_id', '>', after.orderId)])])
        : eb.or([eb('paid_at', '<', fromEpochMicros(after.paidAtMicros)), eb.and([eb('paid_at', '=', fromEpochMicros(after.paidAtMicros)), eb('order_id', '>', after.orderId)])]),
    );
  }
  // PostgreSQL sorts nulls first in descending order, which the position condition above follows.
  const found = await query.orderBy('paid_at', 'desc').orderBy('order_id').limit(page.limit + 1).execute();
  const { rows, next } = pageOf(found, page.limit, (row) => ({ paidAtMicros: row.paid_at_micros, orderId: row.order_id }));
  return { rows: rows.map(({ paid_at_micros: _, ...row }) => row), next };
}

export async function findUnlinkedOrder(db: Db, mallLinkId: string, orderId: string): Promise<UnlinkedOrderRow | undefined> {
  return db.selectFrom('unlinked_orders').selectAll().where('mall_link_id', '=', mallLinkId).where('order_id', '=', orderId).executeTakeFirst();
}

export async function findUnlinkedOrdersOf(db: Db, mallLinkId: string, orderIds: readonly string[]): Promise<UnlinkedOrderRow[]> {
  if (orderIds.length === 0) return [];
  return db.selectFrom('unlinked_orders').selectAll().where('mall_link_id', '=', mallLinkId).where('order_id', 'in', orderIds).execute();
}

/** The open held orders of a mall with their stored Cafe24 order (null if it is not stored). */
export async function findOpenUnlinkedOrders(db: Db, mallLinkId: string): Promise<{ held: UnlinkedOrderRow; raw: unknown }[]> {
  const rows = await db
    .selectFrom('unlinked_orders as u')
    .leftJoin('collected_orders as c', (join) => join.onRef('c.mall_link_id', '=', 'u.mall_link_id').onRef('c.order_id', '=', 'u.order_id'))
    .selectAll('u')
    .select('c.raw')
    .where('u.mall_link_id', '=', mallLinkId)
    .where('u.status', '=', 'open')
    .orderBy('u.order_id')
    .execute();
  return rows.map(({ raw, ...held }) => ({ held, raw }));
}
