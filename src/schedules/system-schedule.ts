import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';

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
