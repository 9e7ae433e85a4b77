import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { kstTimeZone } from '../domain/kst.js';
import { rawOrderPurgeScheduleId, tokenRefreshScheduleId, workflowTypes } from '../temporal/names.js';

/** A schedule every worker ensures at start that runs a system workflow once a day (KST). */
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

export interface SystemScheduleOptions {
  scheduleId: string;
  spec: ScheduleSpec;
  action: ScheduleOptionsAction;
  catchupWindow: string;
  note: string;
}

/**
 * A system-wide schedule (not per link), created — or brought up to date — by every worker at
 * start: idempotent, so any number of workers may run it. Overlapping runs are skipped.
 */
export async function ensureSystemSchedule(client: Client, options: SystemScheduleOptions): Promise<'created' | 'updated'> {
  const { scheduleId, spec, action } = options;
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: options.catchupWindow },
      state: { note: options.note },
    });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
    return 'updated';
  }
}

export function ensureDailySystemSchedule(client: Client, taskQueue: string, schedule: DailySystemSchedule): Promise<'created' | 'updated'> {
  return ensureSystemSchedule(client, {
    scheduleId: schedule.scheduleId,
    spec: { calendars: [schedule.at], timezone: kstTimeZone },
    action: { type: 'startWorkflow', workflowType: schedule.workflowType, taskQueue, workflowId: schedule.scheduleId, args: [] },
    catchupWindow: '1 day',
    note: schedule.note,
  });
}

/** The daily raw-order purge schedule (RETENTION_DAYS is the worker's, read by the activity). */
export function ensureRawOrderPurgeSchedule(client: Client, taskQueue: string): Promise<'created' | 'updated'> {
  return ensureDailySystemSchedule(client, taskQueue, rawOrderPurgeSchedule);
}
