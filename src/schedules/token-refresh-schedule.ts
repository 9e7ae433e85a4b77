import type { Client } from '@temporalio/client';
import { kstTimeZone } from '../domain/kst.js';
import { tokenRefreshScheduleId, workflowTypes } from '../temporal/names.js';
import { ensureSystemSchedule } from './system-schedule.js';

/**
 * The daily token refresh schedule, created (or brought up to date) by every worker at start:
 * idempotent, so any number of workers may run it.
 */
export async function ensureTokenRefreshSchedule(client: Client, taskQueue: string): Promise<'created' | 'updated'> {
  // 04:20 KST: outside the collection timetable's busy hours.
  return ensureSystemSchedule(client, {
    scheduleId: tokenRefreshScheduleId,
    spec: { calendars: [{ hour: 4, minute: 20 }], timezone: kstTimeZone },
    action: { type: 'startWorkflow', workflowType: workflowTypes.refreshExpiringTokens, taskQueue, workflowId: tokenRefreshScheduleId, args: [] },
    catchupWindow: '1 day',
    note: 'Refreshes Cafe24 refresh tokens that expire within 7 days.',
  });
}
