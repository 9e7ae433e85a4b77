import { createRoute, z } from '@hono/zod-openapi';
import { CancellationSchema } from '../cancellations/cancellation-json.js';
import { fmsStatuses } from '../../domain/fms-progress.js';
import { requireApiKey } from '../lib/auth.js';
import { listPaging, listSchema } from '../lib/list.js';
import { linkTo } from '../lib/links.js';
import { problemResponseSpec } from '../lib/problem.js';
import { MallLinkParamsSchema, mallLinkNotFoundResponse, orNull, unauthorizedResponse } from '../lib/route-specs.js';

const UnlinkedItemSchema = z.object({
  orderItemCode: z.string().openapi({ example: '20261201-0000012-01' }),
  variantCode: z.string().nullable().openapi({ example: 'P000000R000C' }),
  reason: z.enum(['no_link', 'unlinkable_option_type', 'missing_variant_code', 'other_item_unlinked']).openapi({ example: 'no_link' }),
});

export const UnlinkedOrderSchema = z
  .object({
    orderId: z.string().openapi({ example: '20261201-0000012' }),
    shopNo: z.number().int(),
    paidAt: z.string().nullable(),
    status: z.enum(['open', 'outside_range', 'resolved', 'not_eligible']).openapi({
      description:
        'open: a later slot collects it once linked; outside_range: paid before the daily collection range, no slot will collect it; resolved: requested in FMS; not_eligible: cancelled, claimed or moved to another status since',
    }),
    items: z.array(UnlinkedItemSchema),
    firstSeenAt: z.string(),
    lastSeenAt: z.string(),
    resolvedAt: z.string().nullable(),
  })
  .openapi('UnlinkedOrder');

/** Held orders newest payment first (unknown payment times first), then by order id. */
export const unlinkedOrderPaging = listPaging(z.strictObject({ paidAtMicros: z.string().regex(/^-?\d{1,17}$/).nullable(), orderId: z.string().min(1).max(40) }));

export const UnlinkedQuerySchema = z.object({
  status: z.enum(['open', 'outside_range', 'resolved', 'not_eligible', 'unresolved', 'all']).default('unresolved').openapi({ description: 'unresolved = open and outside_range', example: 'unresolved' }),
  ...unlinkedOrderPaging.query,
});

const OrderParamsSchema = MallLinkParamsSchema.extend({
  orderId: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'a Cafe24 order id').openapi({ param: { name: 'orderId', in: 'path' }, example: '20261201-0000012' }),
});

const InvoiceRegistrationSchema = z
  .object({
    status: z.enum(['pending', 'sending', 'synced', 'held', 'rejected']).openapi({
      description:
        'pending: to send to Cafe24; sending: sent, confirmed by reading the order back; synced: on Cafe24; held: waits for a fix (`reason`); rejected: Cafe24 refused it (`reason`), never sent again',
    }),
    reason: z.string().nullable().openapi({ description: 'Held: unknown_carrier, missing_invoice_no or items_unknown; rejected: what Cafe24 said', example: null }),
    invoiceNo: z.string().openapi({ example: '612345678901' }),
    shippingCompanyCode: z.string().nullable().openapi({ description: "Cafe24's shipping_company_code; null while the carrier is unmapped", example: '0006' }),
    shippingCode: z.string().nullable().openapi({ description: "Cafe24's shipping code of the registered shipment", example: 'D-20261201-0000012-00' }),
    syncedAt: z.string().nullable(),
  })
  .openapi('InvoiceRegistration', { description: "This item's tracking number on its way to Cafe24 (송장등록)" });

const FmsProgressSchema = z
  .object({
    fmsStatus: z.enum([...fmsStatuses, 'UNKNOWN']).nullable().openapi({ description: 'The FMS status last seen by an invoice run; null before the first', example: 'DONE' }),
    fmsStatusRaw: z.string().nullable().openapi({ description: 'The status as FMS sent it (a code such as `3`, or a word)', example: '3' }),
    fmsStatusSeenAt: z.string().nullable(),
    invoices: z.array(
      z.object({
        invoiceNo: z.string().openapi({ example: '612345678901' }),
        carrierKey: z.string().nullable().openapi({ description: 'The carrier as normalised (CJ, HANJIN, … or the code FMS sent); the key of /v1/carrier-mappings', example: 'CJ' }),
        carrierName: z.string().nullable().openapi({ example: 'CJ대한통운' }),
      }),
    ),
    invoiceSettledAt: z.string().nullable().openapi({ description: 'When nothing was left to register: every item on Cafe24 or refused, or FMS cancelled the request' }),
  })
  .openapi('FmsProgress', { description: "The FMS request's progress as the invoice runs read it" });

export const OrderTrailSchema = z
  .object({
    orderId: z.string(),
    shopNo: z.number().int(),
    paidAt: z.string().nullable(),
    firstFetchedAt: z.string(),
    lastFetchedAt: z.string(),
    items: z.array(
      z.object({
        orderItemCode: z.string(),
        variantCode: z.string().nullable(),
        productName: z.string(),
        optionValue: z.string().nullable(),
        quantity: z.number().int(),
        cafe24Status: z.string(),
        outcome: z.string().nullable().openapi({ description: 'Latest outcome, e.g. requested or not_eligible:too_recent', example: 'requested' }),
        invoice: orNull(InvoiceRegistrationSchema),
      }),
    ),
    shipmentRequest: z
      .object({
        outcome: z.enum(['created', 'already_requested', 'rejected']),
        slipNo: z.string().nullable(),
        warnings: z.array(z.string()),
        reason: z.string().nullable(),
        requestedAt: z.string().nullable(),
      })
      .nullable(),
    fmsProgress: orNull(FmsProgressSchema).openapi({ description: 'null when no FMS request was made for the order' }),
    cancellation: orNull(CancellationSchema).openapi({ description: 'The order was cancelled or claimed on Cafe24 after its FMS request: the decision, FMS answer and final state; null otherwise' }),
    unlinked: orNull(UnlinkedOrderSchema),
    trail: z.array(
      z.object({
        at: z.string(),
        orderItemCode: z.string(),
        outcome: z.string(),
        workflowId: z.string(),
        slotAt: z.string(),
      }),
    ),
  })
  .openapi('OrderTrail');

const tags = ['Order collection (주문수집)'];

export const listUnlinkedOrders = createRoute({
  method: 'get',
  path: '/v1/mall-links/{id}/unlinked-orders',
  tags,
  summary: 'Orders held because an item is not linked (미연동 주문), with a reason per item',
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: { params: MallLinkParamsSchema, query: UnlinkedQuerySchema },
  responses: {
    200: {
      description: 'Held orders, newest payment first',
      content: { 'application/json': { schema: listSchema('UnlinkedOrderList', UnlinkedOrderSchema) } },
      links: {
        GetOrderTrail: linkTo('get', '/v1/mall-links/{id}/orders/{orderId}', { id: '$request.path.id', orderId: '$response.body#/items/0/orderId' }, 'The trail of the first order'),
        PutProductLink: linkTo('put', '/v1/mall-links/{id}/product-links/{variantCode}', { id: '$request.path.id', variantCode: '$response.body#/items/0/items/0/variantCode' }, 'Link the variant that holds the first order'),
      },
    },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    422: problemResponseSpec('Invalid query'),
  },
});

export const getOrderTrail = createRoute({
  method: 'get',
  path: '/v1/mall-links/{id}/orders/{orderId}',
  tags,
  summary: "One order's trail: when fetched, each item's outcomes, the FMS request and slip number, its FMS progress and each item's tracking number on Cafe24",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: { params: OrderParamsSchema },
  responses: {
    200: { description: 'The trail', content: { 'application/json': { schema: OrderTrailSchema } } },
    401: unauthorizedResponse,
    404: problemResponseSpec('No such mall link, or the order was never collected'),
    422: problemResponseSpec('Invalid order id'),
  },
});
