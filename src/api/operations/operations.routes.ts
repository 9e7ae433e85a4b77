import { createRoute, z } from '@hono/zod-openapi';
import { reconciliationCategories, reconciliationCsvHeader } from '../../domain/reconciliation.js';
import { maxBackfillDays, maxBackfillMinutes } from '../../domain/backfill.js';
import { scheduleJobNames } from '../../temporal/names.js';
import { requireApiKey } from '../lib/auth.js';
import { problemResponseSpec } from '../lib/problem.js';
import { adminOnlyResponse, MallLinkParamsSchema, mallLinkNotFoundResponse, unauthorizedResponse } from '../lib/route-specs.js';

const tags = ['Operations (backfill, reconciliation)'];

const kstInstant = z.iso
  .datetime({ offset: true })
  .openapi({ description: 'ISO 8601 instant with an offset; KST (+09:00) in the examples' });

// A start and a length, not two instants: "runs forwards, at most 7 days" is then a bound on one
// field, which the document states, rather than a comparison of two fields, which it cannot.
export const BackfillRequestSchema = z
  .strictObject({
    from: kstInstant.openapi({ description: 'The first instant of the range (included); not in the future', example: '2026-12-01T09:00:00+09:00' }),
    durationMinutes: z
      .number()
      .int()
      .min(0)
      .max(maxBackfillMinutes)
      .openapi({
        description: `Length of the range in minutes: it covers [from, from + durationMinutes], both ends included (0: the slot at from alone), and must end by now. At most ${maxBackfillMinutes} (${maxBackfillDays} days).`,
        example: 100,
      }),
    jobs: z
      .array(z.enum(scheduleJobNames as ['collect-orders', 'sync-invoices']))
      .min(1)
      .default(['collect-orders'])
      .openapi({ description: 'Which of the link’s schedules to backfill; the collection schedule when absent', example: ['collect-orders'] }),
  })
  .openapi('BackfillRequest');

export const BackfillStartedSchema = z
  .object({
    mallLinkId: z.string(),
    from: z.string().openapi({ description: 'The range backfilled, ISO 8601 in KST: from', example: '2026-12-01T09:00:00+09:00' }),
    to: z.string().openapi({ description: '… to from + durationMinutes, both included', example: '2026-12-01T10:40:00+09:00' }),
    overlap: z.literal('BUFFER_ALL').openapi({ description: 'The slots run one after another, each with its own slot time' }),
    schedules: z.array(
      z.object({
        job: z.enum(scheduleJobNames as ['collect-orders', 'sync-invoices']),
        scheduleId: z.string().openapi({ example: 'collect-orders:3f1c2b9e-8d4a-4c55-9b1e-6a2f0c7d8e91' }),
        slots: z.array(z.string()).openapi({ description: 'Slot times started, ISO 8601 in KST', example: ['2026-12-01T09:10:00+09:00', '2026-12-01T09:30:00+09:00', '2026-12-01T10:10:00+09:00', '2026-12-01T10:30:00+09:00'] }),
      }),
    ),
  })
  .openapi('BackfillStarted');

export const startBackfill = createRoute({
  method: 'post',
  path: '/v1/mall-links/{id}/backfill',
  tags,
  summary: 'Run missed slots of a past time range (admin)',
  description: `Runs every slot the link's schedules have in [from, from + durationMinutes] through Temporal's schedule backfill, one after another: each run serves its own slot (window and cut-off as that slot had them), and an order already requested is never requested again. At most ${maxBackfillDays} days, entirely in the past: a range that starts or ends after now is a 422 (the same request is accepted once that time has passed).`,
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: { params: MallLinkParamsSchema, body: { required: true, content: { 'application/json': { schema: BackfillRequestSchema } } } },
  responses: {
    202: { description: 'The slots were handed to Temporal', content: { 'application/json': { schema: BackfillStartedSchema } } },
    401: unauthorizedResponse,
    403: adminOnlyResponse,
    404: mallLinkNotFoundResponse,
    409: problemResponseSpec('The schedule is not on the Temporal server yet (`/problems/schedule-missing`)'),
    422: problemResponseSpec('Invalid body, or a range that starts or ends in the future; `errors` names the field (`/problems/validation-error`)'),
    503: problemResponseSpec('Temporal does not answer (`/problems/temporal-unavailable`)'),
  },
});

const ReconciliationItemSchema = z.object({
  orderItemCode: z.string(),
  variantCode: z.string().nullable(),
  cafe24Status: z.string().openapi({ example: 'N10' }),
  reason: z.string().nullable().openapi({ description: 'Unlinked or not-eligible reason of the item', example: null }),
  lastOutcome: z.string().nullable().openapi({ description: 'Latest outcome our runs recorded (order trail)', example: 'requested' }),
  invoiceStatus: z.enum(['pending', 'sending', 'synced', 'held', 'rejected']).nullable(),
});

const ReconciliationEntrySchema = z.object({
  orderId: z.string().openapi({ example: '20261201-0000012' }),
  shopNo: z.number().int(),
  paidAt: z.string().nullable(),
  category: z.enum(reconciliationCategories),
  reason: z.string().nullable().openapi({
    description: 'cancelled: the cancellation outcome; rejected: why FMS refused; unlinked / not_eligible: the reasons; missing: never_fetched or not_requested',
  }),
  slipNo: z.string().nullable(),
  fmsStatus: z.string().nullable().openapi({ description: 'FMS progress as the last invoice run read it (ORDER, WORKING, DONE, PARTDONE, CANCEL, SHORTAGE, UNKNOWN)' }),
  fmsStatusSeenAt: z.string().nullable().openapi({ description: 'When the last invoice run read it from FMS' }),
  items: z.array(ReconciliationItemSchema),
});

export const ReconciliationReportSchema = z
  .object({
    mallLinkId: z.string(),
    date: z.string().openapi({ example: '2026-12-01' }),
    asOf: z.string().openapi({ description: 'The latest slot that should have run: orders it should have collected and no run did are missing' }),
    generatedAt: z.string(),
    counts: z.record(z.enum(reconciliationCategories), z.number().int()).openapi({
      example: { requested: 41, shipped_not_synced: 0, cancelled: 1, rejected: 0, unlinked: 2, not_eligible: 3, missing: 0 },
    }),
    orders: z.array(ReconciliationEntrySchema).openapi({ description: 'Every paid order of the day on Cafe24, in Cafe24’s order (one report, not a paged list)' }),
  })
  .openapi('ReconciliationReport');

export const getReconciliation = createRoute({
  method: 'get',
  path: '/v1/mall-links/{id}/reconciliation',
  tags,
  summary: 'Every paid Cafe24 order of a KST day against our ledgers (JSON or CSV)',
  description:
    'Reads the day’s paid orders fresh from Cafe24 (every active shop) and puts each in one category: requested (with slip), shipped_not_synced, cancelled (outcome), rejected (by FMS), unlinked (reason), not_eligible (reason), missing (due at a passed slot, collected by no run — zero in a healthy system). Ids, codes and statuses only. `Accept: text/csv` answers one CSV line per order item.',
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: {
    params: MallLinkParamsSchema,
    query: z.object({
      date: z.iso
        .date({ error: 'must be a date YYYY-MM-DD' })
        .openapi({ param: { name: 'date', in: 'query' }, example: '2026-12-01', description: 'A KST calendar date, not after today' }),
    }),
  },
  responses: {
    200: {
      description: 'The report',
      content: {
        'application/json': { schema: ReconciliationReportSchema },
        'text/csv': { schema: z.string().openapi({ example: `${reconciliationCsvHeader.join(',')}\r\n20261201-0000012,1,2026-12-01T01:00:00.000Z,requested,,S0000001,ORDER,2026-12-01T03:10:02.000Z,20261201-0000012-01,P000000A000A,N10,,requested,\r\n` }) },
      },
    },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    409: problemResponseSpec('Cafe24 cannot be read for this link: the app must be installed again (`/problems/cafe24-not-authorized`)'),
    422: problemResponseSpec('date is not a date, or after today'),
    502: problemResponseSpec('Cafe24 did not answer (`/problems/cafe24-unavailable`)'),
  },
});
