import { createRoute, z } from '@hono/zod-openapi';
import { cancellationOutcomes } from '../../domain/cancellations.js';
import { fmsOrdNoMaxLength, fmsOrdNoPattern } from '../../domain/shipment-key.js';
import { requireApiKey } from '../lib/auth.js';
import { listPaging, listSchema } from '../lib/list.js';
import { problemResponseSpec } from '../lib/problem.js';
import { MallLinkParamsSchema, mallLinkNotFoundResponse, unauthorizedResponse } from '../lib/route-specs.js';
import { CancellationSchema } from './cancellation-json.js';

/** Cancellations in ordNo order. */
export const cancellationPaging = listPaging(z.string().max(fmsOrdNoMaxLength).regex(fmsOrdNoPattern));

const CancellationQuerySchema = z.object({
  outcome: z.enum(cancellationOutcomes).optional().openapi({ description: 'Only cancellations with this outcome' }),
  ...cancellationPaging.query,
});

export const listCancellations = createRoute({
  method: 'get',
  path: '/v1/mall-links/{id}/cancellations',
  tags: ['Invoice sync (송장등록)'],
  summary: 'Orders cancelled or claimed on Cafe24 after their FMS request, with what became of the request',
  description:
    'Every invoice sync run checks the link’s open FMS requests against Cafe24: a whole order cancelled before FMS picks it is cancelled in FMS (once); a partial cancel is held for a person; one FMS is already picking or has shipped is too_late (cancelled_after_shipment_started) with what to do.',
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: { params: MallLinkParamsSchema, query: CancellationQuerySchema },
  responses: {
    200: { description: 'Cancellations in ordNo order', content: { 'application/json': { schema: listSchema('CancellationList', CancellationSchema) } } },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    422: problemResponseSpec('Invalid query'),
  },
});
