import { reconcileAll, type ReconcileDeps, type ScheduleOutcome } from '../schedules/reconcile.js';

export type ScheduleActivityDeps = ReconcileDeps;

export interface ReconcileAllResult extends Record<ScheduleOutcome, number> {
  ran: boolean;
  links: number;
  failedLinks: number;
}

export function createScheduleActivities(deps: ScheduleActivityDeps) {
  return {
    /** Every link's schedules in line with PostgreSQL; counts only (no ids of failed links in history). */
    async reconcileAllSchedules(): Promise<ReconcileAllResult> {
      const summary = await reconcileAll(deps);
      return { ran: summary.ran, links: summary.links, failedLinks: summary.failedLinks.length, ...summary.outcomes };
    },
  };
}

export type ScheduleActivities = ReturnType<typeof createScheduleActivities>;
