import { sql } from 'kysely';
import type { Db } from '../database.js';
import { pageOf, type Page, type PageRequest } from '../page.js';
import type { CancellationRow, FmsShipmentRequestRow } from '../../../db/schema.js';
import { finalCancellationOutcomes as finalOutcomes, type CancellationOutcome } from '../../domain/cancellations.js';
import type { FmsProgressStatus } from '../../domain/fms-progress.js';


/**
 * A link's requests the cancellation sweep checks, in ordNo order from `afterOrdNo`: FMS holds them
 * (created), we did not cancel them, their invoices are not settled (so shipped ones are still
 * checked until invoice sync settles them), and no final cancellation is recorded for them — or one
 * this very run recorded, so a retried page counts what the lost attempt already did.
 */
export async function findRequestsToSweep(db: Db, mallLinkId: string, options: { afterOrdNo: string | null; limit: number; invoiceSyncRunId: number }): Promise<FmsShipmentRequestRow[]> {
  let query = db
    .selectFrom('fms_shipment_requests as r')
    .leftJoin('cancellations as c', 'c.ord_no', 'r.ord_no')
    .selectAll('r')
    .where('r.mall_link_id', '=', mallLinkId)
    .where('r.status', '=', 'created')
    .where('r.invoice_settled_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('r.cancelled_at', 'is', null), eb.or([eb('c.outcome', 'is', null), eb('c.outcome', 'not in', finalOutcomes)])]),
        eb('c.invoice_sync_run_id', '=', options.invoiceSyncRunId),
      ]),
    );
  if (options.afterOrdNo !== null) query = query.where('r.ord_no', '>', options.afterOrdNo);
  return query.orderBy('r.ord_no').limit(options.limit).execute();
}

export async function findCancellation(db: Db, ordNo: string): Promise<CancellationRow | undefined> {
  return db.selectFrom('cancellations').selectAll().where('ord_no', '=', ordNo).executeTakeFirst();
}

export interface CancellationDecisionRecord {
  ordNo: string;
  mallLinkId: string;
  shopNo: number;
  orderId: string;
  outcome: CancellationOutcome;
  cancelledItems: readonly string[];
  fmsStatus: FmsProgressStatus | null;
  invoiceSyncRunId: number;
  fms?: { code: string; message: string } | undefined;
}

/**
 * Records what the sweep decided for a request: inserted on first detection (the intent, before
 * FMS is asked), updated on later sweeps. A final outcome is never overwritten.
 */
export async function recordCancellation(db: Db, record: CancellationDecisionRecord): Promise<CancellationRow> {
  const final = finalOutcomes.includes(record.outcome);
  const values = {
    outcome: record.outcome,
    cancelled_items: JSON.stringify(record.cancelledItems),
    fms_status: record.fmsStatus,
    invoice_sync_run_id: record.invoiceSyncRunId,
    ...(record.fms ? { fms_code: record.fms.code, fms_message: record.fms.message } : {}),
    resolved_at: final ? sql<Date>`now()` : null,
    updated_at: sql<Date>`now()`,
  };
  const written = await db
    .insertInto('cancellations')
    .values({ ord_no: record.ordNo, mall_link_id: record.mallLinkId, shop_no: record.shopNo, order_id: record.orderId, ...values })
    .onConflict((oc) => oc.column('ord_no').doUpdateSet(values).where('cancellations.outcome', 'not in', finalOutcomes))
    .returningAll()
    .executeTakeFirst();
  // Nothing written: the row is final already, and stays as it is.
  return written ?? (await findCancellation(db, record.ordNo))!;
}

/** Committed before the cancel is sent: from here on, a lost answer is read back from FMS. */
export async function markCancelSending(db: Db, ordNo: string): Promise<void> {
  await db
    .updateTable('cancellations')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_sent_at: sql<Date>`now()`, updated_at: sql<Date>`now()` }))
    .where('ord_no', '=', ordNo)
    .execute();
}

export interface CancellationFilter {
  outcome?: CancellationOutcome | undefined;
}

/** A link's cancellations in ordNo order; a page continues after the previous page's last ordNo. */
export async function listCancellations(db: Db, mallLinkId: string, filter: CancellationFilter, page: PageRequest<string>): Promise<Page<CancellationRow, string>> {
  let query = db.selectFrom('cancellations').selectAll().where('mall_link_id', '=', mallLinkId);
  if (filter.outcome !== undefined) query = query.where('outcome', '=', filter.outcome);
  if (page.after !== undefined) query = query.where('ord_no', '>', page.after);
  const found = await query.orderBy('ord_no').limit(page.limit + 1).execute();
  return pageOf(found, page.limit, (row) => row.ord_no);
}

export async function findCancellationOfOrder(db: Db, mallLinkId: string, orderId: string): Promise<CancellationRow | undefined> {
  return db.selectFrom('cancellations').selectAll().where('mall_link_id', '=', mallLinkId).where('order_id', '=', orderId).orderBy('detected_at', 'desc').executeTakeFirst();
}

export async function findCancellationsOfOrders(db: Db, mallLinkId: string, orderIds: readonly string[]): Promise<CancellationRow[]> {
  if (orderIds.length === 0) return [];
  return db.selectFrom('cancellations').selectAll().where('mall_link_id', '=', mallLinkId).where('order_id', 'in', orderIds).execute();
}
