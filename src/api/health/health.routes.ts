import { createRoute, z } from '@hono/zod-openapi';

const CheckSchema = z.object({ ok: z.boolean(), error: z.string().optional() });

export const ReadinessSchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.object({ postgres: CheckSchema, temporal: CheckSchema }),
  })
  .openapi('Readiness');

export const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['Operations'],
  summary: 'Liveness: the process is up',
  responses: {
    200: { description: 'The process answers', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } },
  },
});

export const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['Operations'],
  summary: 'Readiness: PostgreSQL and Temporal are reachable',
  responses: {
    200: { description: 'Both dependencies answer', content: { 'application/json': { schema: ReadinessSchema } } },
    503: { description: 'At least one dependency does not answer; `checks` says which', content: { 'application/json': { schema: ReadinessSchema } } },
  },
});
