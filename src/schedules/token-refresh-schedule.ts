import type { Client } from '@temporalio/client';
import { ensureDailySystemSchedule, tokenRefreshSchedule } from './system-schedules.js';

/**
 * The daily token refresh schedule, created (or brought up to date) by every worker at start:
 * idempotent, so any number of workers may run it.
 */
export function ensureTokenRefreshSchedule(client: Client, taskQueue: string): Promise<'created' | 'updated'> {
  return ensureDailySystemSchedule(client, taskQueue, tokenRefreshSchedule);
}
