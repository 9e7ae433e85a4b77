import { Context } from '@temporalio/activity';
import type { Db } from '../db/database.js';
import { purgeRawOrders } from '../db/repositories/collected-orders.js';
import { dayMs } from '../domain/kst.js';
import type { RetentionActivities } from '../temporal/retention.js';

export interface RetentionActivityDeps {
  db: Db;
  /** RETENTION_DAYS: raw orders not fetched for this many days lose their personal data. */
  retentionDays: number;
  now?: () => Date;
}

/** Rows per update: short transactions beside running collections. */
const purgeBatchSize = 1000;

export function createRetentionActivities({ db, retentionDays, now = () => new Date() }: RetentionActivityDeps): RetentionActivities {
  return {
    async purgeExpiredRawOrders() {
      const before = new Date(now().getTime() - retentionDays * dayMs);
      let purged = 0;
      for (let batch = await purgeRawOrders(db, before, purgeBatchSize); batch > 0; batch = await purgeRawOrders(db, before, purgeBatchSize)) {
        purged += batch;
        Context.current().heartbeat(purged);
      }
      Context.current().log.info('raw orders purged', { retentionDays, purgedBefore: before.toISOString(), purged });
      return { retentionDays, purgedBefore: before.toISOString(), purged };
    },
  };
}
