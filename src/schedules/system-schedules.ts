import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { kstTimeZone } from '../domain/kst.js';
import { rawOrderPurgeScheduleId, tokenRefreshScheduleId, workflowTypes } from '../temporal/names.js';

/**
 * The daily system schedules every worker creates (or brings up to date) at start: idempotent,
 * so any number of workers may run it.
 */

interface DailySystemSchedule {
  scheduleId: string;
  workflowType: string;
  /** HH:MM in KST. */
  at: { hour: number; minute: number };
  note: string;
}

export const tokenRefreshSchedule: DailySystemSchedule = {
  scheduleId: tokenRefreshScheduleId,
  workflowType: workflowTypes.refreshExpiringTokens,
  // 04:20 KST: outside the collection timetable's busy hours.
  at: { hour: 4, minute: 20 },
  note: 'Refreshes Cafe24 refresh tokens that expire within 7 days.',
};

export const rawOrderPurgeSchedule: DailySystemSchedule = {
  scheduleId: rawOrderPurgeScheduleId,
  workflowType: workflowTypes.purgeRawOrders,
  // 03:40 KST: no collection slot runs at night.
  at: { hour: 3, minute: 40 },
  note: 'Strips buyers’ personal data from raw Cafe24 orders not fetched for RETENTION_DAYS.',
};

export async function ensureDailySystemSchedule(client: Client, taskQueue: string, schedule: DailySystemSchedule): Promise<'created' | 'updated'> {
  const spec: ScheduleSpec = { calendars: [schedule.at], timezone: kstTimeZone };
  const action: ScheduleOptionsAction = { type: 'startWorkflow', workflowType: schedule.workflowType, taskQueue, workflowId: schedule.scheduleId, args: [] };
  try {
    await client.schedule.create({
      scheduleId: schedule.scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      state: { note: schedule.note },
    });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(schedule.scheduleId).update((previous) => ({ ...previous, spec, action }));
    return 'updated';
  }
}

/** The daily raw-order purge schedule (RETENTION_DAYS is the worker's, read by the activity). */
export function ensureRawOrderPurgeSchedule(client: Client, taskQueue: string): Promise<'created' | 'updated'> {
  return ensureDailySystemSchedule(client, taskQueue, rawOrderPurgeSchedule);
}
