import { createRoute, z } from '@hono/zod-openapi';
import { kstTimeZone } from '../../domain/kst.js';
import { scheduleJobNames } from '../../temporal/names.js';
import { requireApiKey } from '../lib/auth.js';
import { problemResponseSpec } from '../lib/problem.js';
import { MallLinkParamsSchema, mallLinkNotFoundResponse, unauthorizedResponse } from '../lib/route-specs.js';

const kstTimes = (example: string[]) => z.array(z.string()).openapi({ example, description: 'ISO 8601 instants in KST (+09:00)' });

const JobScheduleSchema = z
  .object({
    job: z.enum(scheduleJobNames as [string, ...string[]]).openapi({ example: 'collect-orders' }),
    scheduleId: z.string().openapi({ example: 'collect-orders:3f1c2b9e-8d4a-4c55-9b1e-6a2f0c7d8e91' }),
    found: z.boolean().openapi({ description: 'False when Temporal has no such schedule yet (pending reconcile)' }),
    paused: z.boolean().nullable(),
    note: z.string().nullable().openapi({ example: 'active: managed by cafe24-fms-link from PostgreSQL' }),
    nextRunTimes: kstTimes(['2026-12-01T08:10:00+09:00', '2026-12-01T08:30:00+09:00']).openapi({
      description: 'As Temporal reports them (describe().info.nextActionTimes)',
    }),
    computedRunTimes: kstTimes(['2026-12-01T08:10:00+09:00', '2026-12-01T08:30:00+09:00']).openapi({
      description: 'As the timetable and business calendar compute them',
    }),
    agrees: z.boolean().openapi({ description: 'False when the two lists differ: the schedule needs a reconcile' }),
    recentActions: z.array(z.object({ scheduledAt: z.string(), takenAt: z.string(), workflowId: z.string() })),
  })
  .openapi('JobSchedule');

export const getLinkSchedule = createRoute({
  method: 'get',
  path: '/v1/mall-links/{id}/schedule',
  tags: ['Mall links'],
  summary: "The link's next runs as Temporal reports them, beside the computed timetable",
  middleware: requireApiKey,
  security: [{ apiKey: [] }],
  request: {
    params: MallLinkParamsSchema,
    query: z.object({ count: z.coerce.number().int().min(1).max(100).default(10).openapi({ example: 10 }) }),
  },
  responses: {
    200: {
      description: 'One entry per schedule the link should have',
      content: {
        'application/json': {
          schema: z
            .object({
              mallLinkId: z.string(),
              timezone: z.literal(kstTimeZone),
              timetableVersion: z.number().int(),
              jobs: z.array(JobScheduleSchema),
            })
            .openapi('LinkSchedule'),
        },
      },
    },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    422: problemResponseSpec('count is not 1-100'),
    503: problemResponseSpec('Temporal does not answer'),
  },
});
