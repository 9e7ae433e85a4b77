import { proxyActivities } from '@temporalio/workflow';
import type { ReconcileAllResult, ScheduleActivities } from '../temporal/schedules.js';

const { reconcileAllSchedules } = proxyActivities<ScheduleActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 5, initialInterval: '30 seconds' },
});

/** Started daily by the `reconcile-schedules` schedule: re-applies every link and moves the holiday horizon. */
export async function reconcileSchedules(): Promise<ReconcileAllResult> {
  return reconcileAllSchedules();
}
