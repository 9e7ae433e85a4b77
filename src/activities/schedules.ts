import { reconcileAll, type ReconcileDeps } from '../schedules/reconcile.js';
import type { ScheduleActivities } from '../temporal/schedules.js';

export type ScheduleActivityDeps = ReconcileDeps;

export function createScheduleActivities(deps: ScheduleActivityDeps): ScheduleActivities {
  return {
    async reconcileAllSchedules() {
      const summary = await reconcileAll(deps);
      return { ran: summary.ran, links: summary.links, failedLinks: summary.failedLinks.length, ...summary.outcomes };
    },
  };
}
