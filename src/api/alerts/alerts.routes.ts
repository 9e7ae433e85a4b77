import { createRoute, z } from '@hono/zod-openapi';
import { alertKinds } from '../../domain/alerts.js';
import { requireApiKey } from '../lib/auth.js';
import { listPaging, listSchema } from '../lib/list.js';
import { linkTo } from '../lib/links.js';
import { problemResponseSpec } from '../lib/problem.js';
import { unauthorizedResponse } from '../lib/route-specs.js';

/** Alerts newest first, by id. */
export const alertPaging = listPaging(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER));

export const AlertSchema = z
  .object({
    id: z.number().int().openapi({ example: 42 }),
    kind: z.enum(alertKinds).openapi({
      description:
        'missed_slot: a slot passed with no run (active auto link) · schedule_out_of_line: the Temporal schedule differs from the database · reauth_required: Cafe24 rejected the refresh token (schedules paused) · token_expiring: the refresh token lapses within 3 days · unlinked_orders_aged: orders held unlinked longer than ALERT_UNLINKED_ORDER_AGE_HOURS · failing_runs: the latest run of a workflow type failed · invoices_held: invoices waiting for a fix · cancelled_after_shipment_started: orders cancelled on Cafe24 after FMS started picking or shipped · holiday_data_missing: no public holiday data for next year',
      example: 'missed_slot',
    }),
    status: z.enum(['open', 'closed']).openapi({ description: 'open while the condition holds; closes by itself when it clears', example: 'open' }),
    mallLinkId: z.uuid().nullable().openapi({ description: 'The link; null for system-wide alerts (holiday data)', example: '0b6c1a2e-4f3d-4c8e-9a57-2f1e8d3c4b5a' }),
    subject: z.string().openapi({ description: 'What within the link (a schedule job, a workflow type, a year); empty when nothing finer', example: 'collect-orders' }),
    since: z.string().openapi({ description: 'Since when the problem holds', example: '2026-12-01T00:10:00.000Z' }),
    message: z.string().openapi({ example: 'fasstoshop: 2 collect-orders slot(s) passed with no run, first 2026-12-01 09:10 KST' }),
    action: z.string().openapi({ description: 'What to do about it', example: 'Check that a worker is running, then backfill the missed slots …' }),
    details: z.record(z.string(), z.unknown()).openapi({ description: 'Facts behind the alert (e.g. the missed slots)', example: { slots: ['2026-12-01T00:10:00.000Z'] } }),
    openedAt: z.string().openapi({ example: '2026-12-01T00:25:00.000Z' }),
    closedAt: z.string().nullable().openapi({ example: null }),
  })
  .openapi('Alert');

const AlertQuerySchema = z.object({
  status: z.enum(['open', 'closed']).optional().openapi({ description: 'Only open or only closed alerts' }),
  kind: z.enum(alertKinds).optional().openapi({ description: 'Only alerts of this kind' }),
  mallLinkId: z.uuid().optional().openapi({ description: 'Only alerts of this link' }),
  ...alertPaging.query,
});

export const listAlertsRoute = createRoute({
  method: 'get',
  path: '/v1/alerts',
  tags: ['Alerts'],
  summary: 'Problems to fix before a seller calls: since when, which link, what to do',
  description:
    'Evaluated every 5 minutes (schedule `evaluate-alerts`); an alert opens once and closes by itself when its condition clears. An admin key sees every alert; a customer key only those of its own links.',
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: { query: AlertQuerySchema },
  responses: {
    200: {
      description: 'Alerts, newest first',
      content: { 'application/json': { schema: listSchema('AlertList', AlertSchema) } },
      // No alert is closed through the API (alerts close when their condition clears), so these lead to what to look at.
      links: {
        GetMallLinkStatus: linkTo('get', '/v1/mall-links/{id}/status', { id: '$response.body#/items/0/mallLinkId' }, 'The status of the first alert’s mall link'),
        ListCollections: linkTo('get', '/v1/mall-links/{id}/collections', { id: '$response.body#/items/0/mallLinkId' }, 'The collection runs of the first alert’s mall link'),
      },
    },
    401: unauthorizedResponse,
    422: problemResponseSpec('Invalid query'),
  },
});
