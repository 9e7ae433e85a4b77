import type { Client } from '@temporalio/client';
import { pino } from 'pino';
import type { MallLinkRow, NewMallLink } from '../../db/schema.js';
import type { Db } from '../../src/db/database.js';
import { addDays, kstDate } from '../../src/domain/kst.js';
import { insertTestMallLink } from './mall-link-fixtures.js';
import type { ReconcileDeps } from '../../src/schedules/reconcile.js';
import type { ScheduleSettings } from '../../src/schedules/spec.js';

/** A mall link (enabled, automatic, authorized) starting tomorrow (KST), so its whole schedule lies ahead. */
export function insertMallLinkStartingTomorrow(db: Db, overrides: Partial<NewMallLink> = {}): Promise<MallLinkRow> {
  return insertTestMallLink(db, { link_start_date: addDays(kstDate(new Date()), 1), ...overrides });
}

/**
 * The real client, with the schedules each call of one schedule-handle method addresses recorded
 * on its way to the server: tests prove that a reconcile with nothing changed sends no update, or
 * which schedules an alert evaluation describes.
 */
export function countingScheduleCalls(client: Client, method: 'update' | 'describe'): { client: Client; calls: string[] } {
  const calls: string[] = [];
  const schedule = new Proxy(client.schedule, {
    get(target, property, receiver) {
      if (property !== 'getHandle') return Reflect.get(target, property, receiver);
      return (scheduleId: string) => {
        const handle = target.getHandle(scheduleId);
        return new Proxy(handle, {
          get(handleTarget, handleProperty, handleReceiver) {
            if (handleProperty !== method) return Reflect.get(handleTarget, handleProperty, handleReceiver);
            return (...args: unknown[]) => {
              calls.push(scheduleId);
              return (handleTarget[method] as (...a: unknown[]) => unknown)(...args);
            };
          },
        });
      };
    },
  });
  const counted = new Proxy(client, { get: (target, property) => (property === 'schedule' ? schedule : Reflect.get(target, property, target)) });
  return { client: counted, calls };
}

/** The schedules' settings for the test's task queue. */
export const testScheduleSettings = (taskQueue: string): ScheduleSettings => ({ taskQueue, catchupWindowMs: 10 * 60_000 });

export function reconcileDepsFor(db: Db, temporal: Client, taskQueue: string): ReconcileDeps {
  return { db, temporal, log: pino({ level: 'silent' }), settings: testScheduleSettings(taskQueue) };
}
