import type { FmsShipmentRequestRow, InvoiceRegistrationRow, UnlinkedOrderRow } from '../../../db/schema.js';
import { findCancellationOfOrder } from '../../db/repositories/cancellations.js';
import { findCollectedOrder } from '../../db/repositories/collected-orders.js';
import { findShipmentRequestOfOrder } from '../../db/repositories/fms-shipment-requests.js';
import { findInvoiceRegistrationsOfOrder } from '../../db/repositories/invoice-registrations.js';
import { listOrderTrail } from '../../db/repositories/order-trail.js';
import { findUnlinkedOrder, listUnlinkedOrders } from '../../db/repositories/unlinked-orders.js';
import type { UnlinkedReason } from '../../domain/link-resolution.js';
import type { StoredOrder } from '../../domain/order.js';
import { cancellationJson } from '../cancellations/cancellation-json.js';
import { loadAccessibleMallLink } from '../lib/mall-link-access.js';
import { notFound } from '../lib/problem.js';
import { createRouter } from '../lib/router.js';
import { isoTime, isoTimeOrNull } from '../lib/time.js';
import { getOrderTrail, listUnlinkedOrders as listRoute, unlinkedOrderPaging } from './orders.routes.js';


const statusesFor = {
  open: ['open'],
  outside_range: ['outside_range'],
  resolved: ['resolved'],
  not_eligible: ['not_eligible'],
  unresolved: ['open', 'outside_range'],
  all: ['open', 'outside_range', 'resolved', 'not_eligible'],
} as const;

function unlinkedView(row: UnlinkedOrderRow) {
  return {
    orderId: row.order_id,
    shopNo: row.shop_no,
    paidAt: isoTimeOrNull(row.paid_at),
    status: row.status,
    items: row.items.map((i) => ({ orderItemCode: i.orderItemCode, variantCode: i.variantCode, reason: i.reason as UnlinkedReason })),
    firstSeenAt: isoTime(row.first_seen_at),
    lastSeenAt: isoTime(row.last_seen_at),
    resolvedAt: isoTimeOrNull(row.resolved_at),
  };
}

const invoiceRegistrationView = (row: InvoiceRegistrationRow) => ({
  status: row.status,
  reason: row.reason,
  invoiceNo: row.invoice_no,
  shippingCompanyCode: row.shipping_company_code,
  shippingCode: row.shipping_code,
  syncedAt: isoTimeOrNull(row.synced_at),
});

const fmsProgressView = (request: FmsShipmentRequestRow) => ({
  fmsStatus: request.fms_status,
  fmsStatusRaw: request.fms_status_raw,
  fmsStatusSeenAt: isoTimeOrNull(request.fms_status_seen_at),
  invoices: request.invoices.map((i) => ({ invoiceNo: i.invoiceNo, carrierKey: i.carrierKey, carrierName: i.carrierName })),
  invoiceSettledAt: isoTimeOrNull(request.invoice_settled_at),
});

export const ordersRouter = createRouter()
  .openapi(listRoute, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const { status, cursor, limit } = c.req.valid('query');
    const page = await listUnlinkedOrders(c.get('deps').db, link.id, statusesFor[status], { after: cursor, limit });
    return c.json(unlinkedOrderPaging.body(page, unlinkedView), 200);
  })
  .openapi(getOrderTrail, async (c) => {
    const { id, orderId } = c.req.valid('param');
    const link = await loadAccessibleMallLink(c, id);
    const { db } = c.get('deps');
    const row = await findCollectedOrder(db, link.id, orderId);
    if (!row) throw notFound(`order ${orderId}`);
    const [trail, unlinked, request, registrations, cancellation] = await Promise.all([
      listOrderTrail(db, link.id, orderId),
      findUnlinkedOrder(db, link.id, orderId),
      findShipmentRequestOfOrder(db, link.id, orderId),
      findInvoiceRegistrationsOfOrder(db, link.id, orderId),
      findCancellationOfOrder(db, link.id, orderId),
    ]);
    const latest = new Map(trail.map((t) => [t.order_item_code, t.outcome]));
    const invoiceOf = new Map(registrations.map((r) => [r.order_item_code, invoiceRegistrationView(r)]));
    // Only order facts leave this endpoint: no buyer or receiver fields.
    const order = row.raw as StoredOrder;
    return c.json(
      {
        orderId: row.order_id,
        shopNo: row.shop_no,
        paidAt: isoTimeOrNull(row.paid_at),
        firstFetchedAt: isoTime(row.first_fetched_at),
        lastFetchedAt: isoTime(row.last_fetched_at),
        items: order.items.map((i) => ({
          orderItemCode: i.orderItemCode,
          variantCode: i.variantCode,
          productName: i.productName,
          optionValue: i.optionValue,
          quantity: i.quantity,
          cafe24Status: i.status,
          outcome: latest.get(i.orderItemCode) ?? null,
          invoice: invoiceOf.get(i.orderItemCode) ?? null,
        })),
        shipmentRequest:
          row.request_outcome === null
            ? null
            : {
                outcome: row.request_outcome,
                slipNo: row.slip_no,
                warnings: (row.request_warnings as string[] | null) ?? [],
                reason: row.request_reason,
                requestedAt: isoTimeOrNull(row.requested_at),
              },
        fmsProgress: request ? fmsProgressView(request) : null,
        cancellation: cancellation ? cancellationJson(cancellation) : null,
        unlinked: unlinked ? unlinkedView(unlinked) : null,
        trail: trail.map((t) => ({ at: isoTime(t.at), orderItemCode: t.order_item_code, outcome: t.outcome, workflowId: t.workflow_id, slotAt: isoTime(t.slot_at) })),
      },
      200,
    );
  });
