import type { MallLinkRow } from '../../db/schema.js';
import type { Cafe24AdminClient } from '../clients/cafe24/admin-client.js';
import type { Db } from '../db/database.js';
import { findCancellationsOfOrders } from '../db/repositories/cancellations.js';
import { findCollectionRecords } from '../db/repositories/collected-orders.js';
import { findLatestCollectedSlot } from '../db/repositories/collection-runs.js';
import { findShipmentRequestsOfOrders } from '../db/repositories/fms-shipment-requests.js';
import { findInvoiceRegistrationsOfOrders } from '../db/repositories/invoice-registrations.js';
import { findActiveShopNos } from '../db/repositories/mall-link-shops.js';
import { collectionRulesOf } from '../db/repositories/mall-links.js';
import { findLatestItemOutcomes } from '../db/repositories/order-trail.js';
import { findUnlinkedOrdersOf } from '../db/repositories/unlinked-orders.js';
import { lastSlotAtOrBefore } from '../domain/business-calendar.js';
import { linkStartInstant } from '../domain/collection-window.js';
import { kstDate } from '../domain/kst.js';
import type { UnlinkedReason } from '../domain/link-resolution.js';
import { summarizeOrder, type OrderSummary } from '../domain/order-summary.js';
import { reconcileOrders, type OrderLedgerFacts, type ReconciliationCounts, type ReconciliationEntry } from '../domain/reconciliation.js';
import { groupBy } from '../domain/grouping.js';
import { loadCalendarInputs } from '../schedules/inputs.js';
import { ConflictError, InvalidInputError } from './errors.js';

/**
 * The reconciliation report of one KST day for one link: every paid order Cafe24 lists now (read
 * fresh, from every active shop), set against the ledgers our runs keep. Personal data read from
 * Cafe24 is reduced to order summaries at once and never leaves this function.
 */

export interface ReconciliationReport {
  mallLinkId: string;
  date: string;
  /** The latest slot that should have run by the time of the report (see src/domain/reconciliation.ts). */
  asOf: string;
  generatedAt: string;
  counts: ReconciliationCounts;
  orders: ReconciliationEntry[];
}

/** Which slot's work must be done by now: the timetable's last passed slot (auto), the last run (manual). */
async function dueSlot(db: Db, link: MallLinkRow, now: Date): Promise<Date> {
  const start = linkStartInstant(link.link_start_date);
  let slot: Date | null;
  if (link.collection_method === 'auto') {
    const { timetable, calendar } = await loadCalendarInputs(db);
    slot = lastSlotAtOrBefore(now, timetable, calendar);
  } else {
    slot = await findLatestCollectedSlot(db, link.id);
  }
  // Before the link starts nothing is due.
  return slot === null || slot < start ? start : slot;
}

async function paidOrdersOf(admin: Pick<Cafe24AdminClient, 'listPaidOrders'>, link: MallLinkRow, shopNos: readonly number[], date: string): Promise<OrderSummary[]> {
  const orders: OrderSummary[] = [];
  for (const shopNo of shopNos) {
    const stored = await admin.listPaidOrders({ mallLinkId: link.id, mallId: link.mall_id }, { shopNo, window: { from: date, to: date } });
    for (const order of stored) {
      if (order.paid && order.paidAt !== null && kstDate(new Date(order.paidAt)) === date) orders.push(summarizeOrder(order));
    }
  }
  return orders;
}

async function ledgerFacts(db: Db, mallLinkId: string, orderIds: readonly string[]): Promise<(order: OrderSummary) => OrderLedgerFacts> {
  const [records, requests, unlinked, cancellations, registrations, outcomes] = await Promise.all([
    findCollectionRecords(db, mallLinkId, orderIds),
    findShipmentRequestsOfOrders(db, mallLinkId, orderIds),
    findUnlinkedOrdersOf(db, mallLinkId, orderIds),
    findCancellationsOfOrders(db, mallLinkId, orderIds),
    findInvoiceRegistrationsOfOrders(db, mallLinkId, orderIds),
    findLatestItemOutcomes(db, mallLinkId, orderIds),
  ]);
  const recordOf = new Map(records.map((r) => [r.order_id, r]));
  const key = (shopNo: number, orderId: string) => `${shopNo}/${orderId}`;
  const requestOf = new Map(requests.map((r) => [key(r.shop_no, r.order_id), r]));
  const unlinkedOf = new Map(unlinked.map((u) => [u.order_id, u]));
  const cancellationOf = new Map(cancellations.map((c) => [key(c.shop_no, c.order_id), c]));
  const registrationsOf = groupBy(registrations, (r) => r.order_id);
  return (order) => {
    const record = recordOf.get(order.orderId);
    const request = requestOf.get(key(order.shopNo, order.orderId));
    const held = unlinkedOf.get(order.orderId);
    const cancellation = cancellationOf.get(key(order.shopNo, order.orderId));
    return {
      seenByRun: record !== undefined,
      request: request
        ? { status: request.status, slipNo: request.fms_slip_no, fmsStatus: request.fms_status, fmsStatusSeenAt: request.fms_status_seen_at?.toISOString() ?? null, invoiceCount: request.invoices.length, lastError: request.last_error }
        : null,
      rejectionReason: record?.request_outcome === 'rejected' ? (record.request_reason ?? 'rejected') : null,
      unlinked:
        held && (held.status === 'open' || held.status === 'outside_range')
          ? { status: held.status, items: held.items.map((i) => ({ orderItemCode: i.orderItemCode, reason: i.reason as UnlinkedReason })) }
          : null,
      cancellation: cancellation ? { outcome: cancellation.outcome } : null,
      registrations: new Map((registrationsOf.get(order.orderId) ?? []).map((r) => [r.order_item_code, r.status])),
      latestOutcomes: new Map(order.items.flatMap((i) => (outcomes.has(i.orderItemCode) ? [[i.orderItemCode, outcomes.get(i.orderItemCode)!] as const] : []))),
    };
  };
}

export async function reconciliationReport(
  deps: { db: Db; cafe24: { admin: Pick<Cafe24AdminClient, 'listPaidOrders'> } },
  link: MallLinkRow,
  date: string,
  now = new Date(),
): Promise<ReconciliationReport> {
  if (date > kstDate(now)) throw new InvalidInputError([{ path: 'query.date', message: 'must not be after today (KST)' }]);
  if (link.cafe24_auth_status !== 'authorized') {
    throw new ConflictError('cafe24-not-authorized', 'Cafe24 Not Authorized', `Cafe24 cannot be read for this link (${link.cafe24_auth_status}); the seller must install the app again`);
  }
  const orders = await paidOrdersOf(deps.cafe24.admin, link, await findActiveShopNos(deps.db, link.id), date);
  const asOf = await dueSlot(deps.db, link, now);
  const factsOf = await ledgerFacts(deps.db, link.id, orders.map((o) => o.orderId));
  const { counts, orders: entries } = reconcileOrders(orders, factsOf, { rules: collectionRulesOf(link), asOf: asOf.toISOString() });
  return { mallLinkId: link.id, date, asOf: asOf.toISOString(), generatedAt: now.toISOString(), counts, orders: entries };
}
