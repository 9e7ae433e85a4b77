import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../lib/auth.js';
import { listPaging, listSchema } from '../lib/list.js';
import { linkTo } from '../lib/links.js';
import { problemResponseSpec } from '../lib/problem.js';
import { MallLinkParamsSchema, mallLinkNotFoundResponse, unauthorizedResponse } from '../lib/route-specs.js';

export const InvoiceSyncStartedSchema = z
  .object({
    workflowId: z.string().openapi({ example: 'sync-invoices:3f2b8c1e-7a4d-4e8f-9b1a-2c3d4e5f6a7b:manual' }),
    runId: z.string().openapi({ example: '0198d7c1-5b7e-7f61-9a43-2f0d3c1e4b5a' }),
    slotAt: z.string().openapi({ example: '2026-12-01T05:41:07.000Z' }),
    temporalUiUrl: z.string().openapi({ example: 'http://localhost:8233/namespaces/default/workflows/sync-invoices%3A3f2b…%3Amanual/0198…/history' }),
  })
  .openapi('InvoiceSyncStarted');

const InvoiceOutcomeCountsSchema = z.record(z.string(), z.number().int()).openapi({
  description:
    'Examined shipment requests by outcome: synced, partially_synced, not_shipped, shipped_not_registered (invoice registration off), not_listed, cancelled_in_fms, rejected, held:<reason> (unknown_carrier, missing_invoice_no, items_unknown), pending. They add up to requestsExamined.',
  example: { synced: 12, partially_synced: 1, not_shipped: 30, 'held:unknown_carrier': 2 },
});

export const InvoiceSyncRunSchema = z
  .object({
    id: z.number().int(),
    workflowId: z.string(),
    runId: z.string(),
    trigger: z.enum(['schedule', 'manual']),
    slotAt: z.string(),
    status: z.enum(['running', 'completed', 'skipped', 'failed']),
    outcome: z.string().openapi({
      description: 'synced, running, failed, or why the run was skipped (link_disabled, before_start_date, not_authorized, link_not_found)',
      example: 'synced',
    }),
    requestsExamined: z.number().int().openapi({ description: 'Shipment requests not settled yet whose FMS progress the run read' }),
    counts: InvoiceOutcomeCountsSchema,
    itemsSynced: z.number().int().openapi({ description: 'Order items whose tracking number this run put on Cafe24' }),
    cancellations: z.record(z.string(), z.number().int()).openapi({
      description:
        'Open requests the run checked against Cafe24 for cancellations, by what it found: none, wait (a claim awaits the seller), cancelled_in_fms, too_late, rejected_by_fms, held, pending',
      example: { none: 40, cancelled_in_fms: 1 },
    }),
    error: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    temporalUiUrl: z.string(),
  })
  .openapi('InvoiceSyncRun');

/** Runs newest first, by run id. */
export const invoiceSyncRunPaging = listPaging(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER));

const tags = ['Invoice sync (송장등록)'];

export const startInvoiceSync = createRoute({
  method: 'post',
  path: '/v1/mall-links/{id}/invoice-syncs',
  tags,
  summary: 'Sync invoices now (송장등록)',
  description:
    "Starts an invoice sync run for the link now: it reads FMS progress of the link's shipment requests not settled yet and registers the tracking numbers of shipped ones on Cafe24. One run per mall at a time: while a run (scheduled or manual) is in progress, the answer is 409 with that run.",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: { params: MallLinkParamsSchema },
  responses: {
    202: {
      description: 'The run was started',
      content: { 'application/json': { schema: InvoiceSyncStartedSchema } },
      links: { ListInvoiceSyncs: linkTo('get', '/v1/mall-links/{id}/invoice-syncs', { id: '$request.path.id' }, 'The link’s invoice sync runs, this one among them') },
    },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    409: problemResponseSpec(
      'An invoice run for this mall is in progress (`/problems/invoice-sync-in-progress` with `workflowId`, `temporalUiUrl`), or the link cannot sync invoices (`/problems/invoice-sync-not-possible` with `reason`: link_disabled, before_start_date, not_authorized, invoice_sync_disabled)',
    ),
  },
});

export const listInvoiceSyncs = createRoute({
  method: 'get',
  path: '/v1/mall-links/{id}/invoice-syncs',
  tags,
  summary: 'Invoice sync run history, newest first, with counts per outcome',
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: { params: MallLinkParamsSchema, query: z.object(invoiceSyncRunPaging.query) },
  responses: {
    200: {
      description: 'Runs, newest first; `nextCursor` pages further back',
      content: { 'application/json': { schema: listSchema('InvoiceSyncRunList', InvoiceSyncRunSchema) } },
    },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    422: problemResponseSpec('Invalid query'),
  },
});
