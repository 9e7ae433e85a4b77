import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { kstTimeZone } from '../domain/kst.js';
import { tokenRefreshScheduleId, workflowTypes } from '../temporal/names.js';

/**
 * The daily token refresh schedule, created (or brought up to date) by every worker at start:
 * idempotent, so any number of workers may run it.
 */
export async function ensureTokenRefreshSchedule(client: Client, taskQueue: string): Promise<'created' | 'updated'> {
  // 04:20 KST: outside the collection timetable's busy hours.
  const spec: ScheduleSpec = { calendars: [{ hour: 4, minute: 20 }], timezone: kstTimeZone };
  const action: ScheduleOptionsAction = { type: 'startWorkflow', workflowType: workflowTypes.refreshExpiringTokens, taskQueue, workflowId: tokenRefreshScheduleId, args: [] };
  try {
    await client.schedule.create({
      scheduleId: tokenRefreshScheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      state: { note: 'Refreshes Cafe24 refresh tokens that expire within 7 days.' },
    });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(tokenRefreshScheduleId).update((previous) => ({ ...previous, spec, action }));
    return 'updated';
  }
}
