import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import { previewLinkSchedules } from '../../schedules/preview.js';
import { loadAccessibleMallLink } from '../lib/mall-link-access.js';
import { ProblemError } from '../lib/problem.js';
import { createRouter } from '../lib/router.js';
import { getLinkSchedule } from './schedules.routes.js';

/** How long the preview waits for Temporal before answering 503. */
const temporalDeadlineMs = 5_000;

export const schedulesRouter = createRouter().openapi(getLinkSchedule, async (c) => {
  const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
  const { db, temporal } = c.get('deps');
  try {
    const preview = await temporal.withDeadline(Date.now() + temporalDeadlineMs, () => previewLinkSchedules({ db, temporal }, link, c.req.valid('query').count));
    return c.json(preview, 200);
  } catch (error) {
    if (!(error instanceof ServiceError || isGrpcServiceError(error))) throw error;
    c.get('log').warn({ err: error, mallLinkId: link.id }, 'schedule preview: Temporal unavailable');
    throw new ProblemError(503, 'temporal-unavailable', 'Service Unavailable', 'Temporal did not answer; try again shortly');
  }
});
