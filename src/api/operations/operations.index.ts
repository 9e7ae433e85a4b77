import { isGrpcServiceError, ServiceError as TemporalServiceError } from '@temporalio/client';
import { Cafe24Error } from '../../clients/cafe24/errors.js';
import { reconciliationCsv } from '../../domain/reconciliation.js';
import { readKstWallClock, toKstIso } from '../../domain/kst.js';
import { backfillLinkSchedules } from '../../services/backfill.js';
import { reconciliationReport } from '../../services/reconciliation.js';
import { assertAdmin } from '../lib/auth.js';
import { loadAccessibleMallLink } from '../lib/mall-link-access.js';
import { ProblemError } from '../lib/problem.js';
import { createRouter } from '../lib/router.js';
import { getReconciliation, startBackfill } from './operations.routes.js';

/** CSV when the caller asks for it (and not for JSON first). */
function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.indexOf('application/json');
  return csv !== -1 && (json === -1 || csv < json);
}

export const operationsRouter = createRouter()
  .openapi(startBackfill, async (c) => {
    assertAdmin(c.get('principal'));
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const { from, durationMinutes, jobs } = c.req.valid('json');
    const { temporal, config } = c.get('deps');
    const request = { from: readKstWallClock(from), durationMinutes, jobs: [...new Set(jobs)] };
    let started;
    try {
      // Like a schedule sync, a backfill waits SCHEDULE_SYNC_TIMEOUT_MS for Temporal, then answers 503.
      started = await temporal.withDeadline(Date.now() + config.SCHEDULE_SYNC_TIMEOUT_MS, () => backfillLinkSchedules({ temporal, log: c.get('log') }, link, request));
    } catch (error) {
      if (!(error instanceof TemporalServiceError || isGrpcServiceError(error))) throw error;
      c.get('log').warn({ err: error, mallLinkId: link.id }, 'backfill: Temporal unavailable');
      throw new ProblemError(503, 'temporal-unavailable', 'Service Unavailable', 'Temporal did not answer; try again shortly');
    }
    return c.json({ mallLinkId: link.id, from: toKstIso(started.from), to: toKstIso(started.to), overlap: 'BUFFER_ALL' as const, schedules: started.schedules }, 202);
  })
  .openapi(getReconciliation, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const { date } = c.req.valid('query');
    const { db, cafe24 } = c.get('deps');
    let report;
    try {
      report = await reconciliationReport({ db, cafe24 }, link, date);
    } catch (error) {
      if (!(error instanceof Cafe24Error)) throw error;
      c.get('log').warn({ err: error, mallLinkId: link.id }, 'reconciliation: Cafe24 did not answer');
      throw new ProblemError(502, 'cafe24-unavailable', 'Cafe24 Unavailable', `Cafe24 could not be read (${error.name}); try again later`);
    }
    if (wantsCsv(c.req.header('accept'))) {
      return c.body(reconciliationCsv(report.orders), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="reconciliation-${link.mall_id}-${date}.csv"`,
      });
    }
    return c.json(report, 200);
  });
