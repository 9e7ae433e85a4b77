import type { Client } from '@temporalio/client';
import { pino } from 'pino';
import type { MallLinkRow, NewMallLink } from '../../db/schema.js';
import type { Db } from '../../src/db/database.js';
import { addDays, kstDate } from '../../src/domain/business-calendar.js';
import type { ReconcileDeps } from '../../src/schedules/reconcile.js';

/** A mall link row as the mall-link API would store it: enabled, automatic, authorized. */
export async function insertMallLink(db: Db, overrides: Partial<NewMallLink> = {}): Promise<MallLinkRow> {
  const suffix = Math.random().toString(36).slice(2, 8);
  return db
    .insertInto('mall_links')
    .values({
      platform: 'cafe24',
      mall_id: `mall${suffix}`,
      cst_cd: 'CST001',
      enabled: true,
      link_start_date: addDays(kstDate(new Date()), 1),
      collection_method: 'auto',
      collect_order_status: 'N10',
      minutes_after_payment: 10,
      collection_range_days: 3,
      invoice_sync_enabled: true,
      invoice_display: 'company',
      cafe24_auth_status: 'authorized',
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
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
