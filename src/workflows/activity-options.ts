import type { ActivityOptions } from '@temporalio/workflow';

/** Database-only activities: short, retried quickly; fit for regular and local activities alike. */
export const databaseActivityOptions = (nonRetryableErrorTypes: string[]): Pick<ActivityOptions, 'startToCloseTimeout' | 'retry'> => ({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10, nonRetryableErrorTypes },
});

/**
 * Activities that call Cafe24 or FMS: longer, heartbeating (a dead worker is noticed after
 * `heartbeatTimeout`), with backoff wide enough to ride out a 429 storm.
 */
export const remoteActivityOptions = (nonRetryableErrorTypes: string[], heartbeatTimeout: ActivityOptions['heartbeatTimeout']): ActivityOptions => ({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout,
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 12, nonRetryableErrorTypes },
});
