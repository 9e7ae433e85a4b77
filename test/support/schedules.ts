import type { Client } from '@temporalio/client';
import { pino } from 'pino';
import type { MallLinkRow, NewMallLink } from '../../db/schema.js';
import type { Db } from '../../src/db/database.js';
import { addDays, kstDate } from '../../src/domain/kst.js';
import { insertTestMallLink } from './mall-link-fixtures.js';
import type { ReconcileDeps } from '../../src/schedules/reconcile.js';

/** A mall link (enabled, automatic, authorized) starting tomorrow (KST), so its whole schedule lies ahead. */
export function insertMallLinkStartingTomorrow(db: Db, overrides: Partial<NewMallLink> = {}): Promise<MallLinkRow> {
  return insertTestMallLink(db, { link_start_date: addDays(kstDate(new Date()), 1), ...overrides });
}

/**
 * The real client, with every schedule update counted on its way to the server, so tests can
 * prove that a reconcile with nothing changed sends none.
 */
export function countingScheduleUpdates(client: Client): { client: Client; updates: () => number } {
  let updates = 0;
  const schedule = new Proxy(client.schedule, {
    get(target, property, receiver) {
      if (property !== 'getHandle') return Reflect.get(target, property, receiver);
      return (scheduleId: string) => {
        const handle = target.getHandle(scheduleId);
        return new Proxy(handle, {
          get(handleTarget, handleProperty, handleReceiver) {
            if (handleProperty !== 'update') return Reflect.get(handleTarget, handleProperty, handleReceiver);
            return (...args: Parameters<typeof handle.update>) => {
              updates += 1;
              return handleTarget.update(...args);
            };
          },
        });
      };
    },
  });
  const counted = new Proxy(client, { get: (target, property) => (property === 'schedule' ? schedule : Reflect.get(target, property, target)) });
  return { client: counted, updates: () => updates };
}

export function reconcileDepsFor(db: Db, temporal: Client, taskQueue: string): ReconcileDeps {
  return { db, temporal, log: pino({ level: 'silent' }), settings: { taskQueue, catchupWindowMs: 10 * 60_000 } };
}
