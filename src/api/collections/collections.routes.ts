import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../lib/auth.js';
import { listPaging, listSchema } from '../lib/list.js';
import { linkTo } from '../lib/links.js';
import { problemResponseSpec } from '../lib/problem.js';
import { MallLinkParamsSchema, mallLinkNotFoundResponse, unauthorizedResponse } from '../lib/route-specs.js';

export const CollectionStartedSchema = z
  .object({
    workflowId: z.string().openapi({ example: 'collect-orders:3f2b8c1e-7a4d-4e8f-9b1a-2c3d4e5f6a7b:manual' }),
    runId: z.string().openapi({ example: '0198d7c1-5b7e-7f61-9a43-2f0d3c1e4b5a' }),
    slotAt: z.string().openapi({ example: '2026-12-01T05:41:07.000Z' }),
    temporalUiUrl: z.string().openapi({ example: 'http://localhost:8233/namespaces/default/workflows/collect-orders%3A3f2b…%3Amanual/0198…/history' }),
  })
  .openapi('CollectionStarted');

const OutcomeCountsSchema = z.record(z.string(), z.number().int()).openapi({
  description: 'Fetched items by outcome: requested, already_requested, rejected, unlinked:<reason>, not_eligible:<reason>. They add up to itemsFetched.',
  example: { requested: 12, already_requested: 40, 'unlinked:no_link': 2, 'not_eligible:too_recent': 3 },
});

export const CollectionRunSchema = z
  .object({
    id: z.number().int(),
    workflowId: z.string(),
    runId: z.string(),
    trigger: z.enum(['schedule', 'manual']),
    slotAt: z.string(),
    window: z.object({ from: z.string(), to: z.string() }).nullable(),
    status: z.enum(['running', 'completed', 'skipped', 'failed']),
    outcome: z.string().openapi({ description: 'collected, running, failed, or why the run was skipped (link_disabled, before_start_date, not_authorized, another_run_in_progress, link_not_found)', example: 'collected' }),
    ordersFetched: z.number().int(),
    itemsFetched: z.number().int(),
    counts: OutcomeCountsSchema,
    error: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    temporalUiUrl: z.string(),
  })
  .openapi('CollectionRun');

/** Runs newest first, by run id. */
export const collectionRunPaging = listPaging(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER));

const tags = ['Order collection (주문수집)'];

export const startCollection = createRoute({
  method: 'post',
  path: '/v1/mall-links/{id}/collections',
  tags,
  summary: 'Collect orders now (수동수집)',
  description:
    'Starts a collection run for the link now, in auto and in manual mode. One run per mall at a time: while a run (scheduled or manual) holds the mall, the answer is 409 with that run.',
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: { params: MallLinkParamsSchema },
  responses: {
    202: {
      description: 'The run was started',
      content: { 'application/json': { schema: CollectionStartedSchema } },
      links: { ListCollections: linkTo('get', '/v1/mall-links/{id}/collections', { id: '$request.path.id' }, 'The link’s collection runs, this one among them') },
    },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    409: problemResponseSpec('A run for this mall is in progress (`workflowId`, `temporalUiUrl`), or the link cannot be collected (`reason`)'),
  },
});

export const listCollections = createRoute({
  method: 'get',
  path: '/v1/mall-links/{id}/collections',
  tags,
  summary: 'Collection run history, newest first, with counts per outcome',
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: { params: MallLinkParamsSchema, query: z.object(collectionRunPaging.query) },
  responses: {
    200: {
      description: 'Runs, newest first; `nextCursor` pages further back',
      content: { 'application/json': { schema: listSchema('CollectionRunList', CollectionRunSchema) } },
    },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    422: problemResponseSpec('Invalid query'),
  },
});
