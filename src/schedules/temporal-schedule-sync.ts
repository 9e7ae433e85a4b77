import type { Client } from '@temporalio/client';
import type { Config } from '../config/env.js';
import type { Db } from '../db/database.js';
import { listMallLinkIds, setScheduleState } from '../db/repositories/mall-links.js';
import type { Logger } from '../logger.js';
import { syncLinkSchedules, type ReconcileDeps } from './reconcile.js';
import type { ScheduleSync } from './schedule-sync.js';
import type { ScheduleSettings } from './spec.js';

export function scheduleSettings(config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'SCHEDULE_CATCHUP_WINDOW_MINUTES'>): ScheduleSettings {
  return { taskQueue: config.TEMPORAL_TASK_QUEUE, catchupWindowMs: config.SCHEDULE_CATCHUP_WINDOW_MINUTES * 60_000 };
}

/**
 * The API's hook after a committed config change: sync that link now (see syncLinkSchedules), within a deadline.
 * When Temporal does not answer in time the link is marked pending and the daily (or the
 * worker-start) reconcile repairs it; the API never fails a committed change for it.
 */
export function createTemporalScheduleSync(deps: ReconcileDeps & { timeoutMs: number }): ScheduleSync {
  return {
    async syncLink(mallLinkId) {
      try {
        await deps.temporal.withDeadline(Date.now() + deps.timeoutMs, () => syncLinkSchedules(deps, mallLinkId));
        return 'synced';
      } catch (error) {
        deps.log.warn({ err: error, mallLinkId }, 'schedule sync failed; link marked pending');
        await setScheduleState(deps.db, mallLinkId, 'pending');
        return 'pending';
      }
    },
  };
}

export function createScheduleSyncFromConfig(config: Config, deps: { db: Db; temporal: Client; log: Logger }): ScheduleSync {
  return createTemporalScheduleSync({ ...deps, settings: scheduleSettings(config), timeoutMs: config.SCHEDULE_SYNC_TIMEOUT_MS });
}

/**
 * After a change that touches every link (timetable, calendar): sync each; counts by result.
 * Once one link comes back pending (Temporal unreachable) the rest are marked pending without
 * waiting out a deadline each; the next reconcile repairs them all. At API start-up nothing
 * changed, so `stopAtFirstPending` stops there instead: links whose record is current stay synced
 * (the worker-start and daily reconciles repair the rest), and `stopped` ends the walk at shutdown.
 */
export async function syncEveryLink(
  db: Db,
  schedules: ScheduleSync,
  options: { stopAtFirstPending?: boolean; stopped?: () => boolean } = {},
): Promise<{ synced: number; pending: number }> {
  const counts = { synced: 0, pending: 0 };
  for (const mallLinkId of await listMallLinkIds(db)) {
    if (options.stopped?.() || (options.stopAtFirstPending && counts.pending > 0)) break;
    const state = counts.pending > 0 ? 'pending' : await schedules.syncLink(mallLinkId);
    if (counts.pending > 0) await setScheduleState(db, mallLinkId, 'pending');
    counts[state] += 1;
  }
  return counts;
}
