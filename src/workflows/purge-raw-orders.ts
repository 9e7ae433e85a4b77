import { proxyActivities } from '@temporalio/workflow';
import type { RawOrderPurgeResult, RetentionActivities } from '../temporal/retention.js';

const { purgeExpiredRawOrders } = proxyActivities<RetentionActivities>({
  // Batches, each heartbeated: a retry carries on where the last one stopped.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { maximumAttempts: 5, initialInterval: '1 minute' },
});

/** Daily (schedule `purge-raw-orders`): raw Cafe24 orders keep buyers' personal data for RETENTION_DAYS only. */
export async function purgeRawOrders(): Promise<RawOrderPurgeResult> {
  return purgeExpiredRawOrders();
}
