import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { MallLinkRow } from '../../db/schema.js';
import { backfillRange, backfillRangeProblems, type BackfillRequestRange } from '../domain/backfill.js';
import { toKstIso } from '../domain/kst.js';
import type { Logger } from '../logger.js';
import { scheduleMatchingTimes } from '../schedules/preview.js';
import { scheduleIdFor, type ScheduleJob } from '../temporal/names.js';
import { ConflictError, InvalidInputError } from './errors.js';

/**
 * Runs the slots of a past time range through the link's Temporal schedules (schedule backfill),
 * e.g. after the worker was down: each run gets its slot as `TemporalScheduledStartTime`, so it
 * computes the window and cut-off that slot had and collects exactly what the slot would have.
 * Runs are buffered one after another (BUFFER_ALL): every slot runs, none is skipped as
 * overlapping, and they never contend for the mall's collection lease. A slot that already ran
 * runs again harmlessly: requests are exactly-once per order.
 */

export interface BackfillRequest extends BackfillRequestRange {
  jobs: readonly ScheduleJob[];
}

export interface ScheduleBackfill {
  job: ScheduleJob;
  scheduleId: string;
  /** The slots the schedule has in the range, each started as one run, ISO 8601 in KST. */
  slots: string[];
}

/** Backfills the request's range, [from, from + durationMinutes]; answers that range and what each schedule started. */
export async function backfillLinkSchedules(
  deps: { temporal: Client; log: Logger },
  link: MallLinkRow,
  request: BackfillRequest,
  now = new Date(),
): Promise<{ from: Date; to: Date; schedules: ScheduleBackfill[] }> {
  const problems = backfillRangeProblems(request, now);
  if (problems.length > 0) throw new InvalidInputError(problems);
  const range = backfillRange(request);
  const started: ScheduleBackfill[] = [];
  for (const job of request.jobs) {
    const scheduleId = scheduleIdFor(job, link.id);
    const handle = deps.temporal.schedule.getHandle(scheduleId);
    try {
      await handle.describe();
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
      throw new ConflictError('schedule-missing', 'Schedule Missing', `schedule ${scheduleId} is not on the Temporal server yet; reconcile the link's schedules first`);
    }
    // Both ends are inclusive, as the server's backfill treats them.
    const slots = await scheduleMatchingTimes(deps.temporal, scheduleId, new Date(range.from.getTime() - 1), new Date(range.to.getTime() + 1));
    await handle.backfill({ start: range.from, end: range.to, overlap: ScheduleOverlapPolicy.BUFFER_ALL });
    deps.log.info({ mallLinkId: link.id, scheduleId, from: range.from.toISOString(), to: range.to.toISOString(), slots: slots.length }, 'schedule backfill started');
    started.push({ job, scheduleId, slots: slots.map(toKstIso) });
  }
  return { ...range, schedules: started };
}
