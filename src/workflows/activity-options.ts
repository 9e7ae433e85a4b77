import type { ActivityOptions } from '@temporalio/workflow';

/** Database-only activities: short, retried quickly; fit for regular and local activities alike. */
export const databaseActivityOptions = (nonRetryableErrorTypes: string[]): Pick<ActivityOptions, 'startToCloseTimeout' | 'retry'> => ({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10, nonRetryableErrorTypes },
});

/**
 * A remote activity heartbeats every 2 s on a timer (src/activities/heartbeat.ts) and the worker
 * sends at least every 3 s (maxHeartbeatThrottleInterval): 15 s without one means the worker is
 * gone, and the retry (5 s later) runs on another worker — within 30 s of a crash, with room for
 * a few missed beats on a loaded machine.
 */
export const remoteHeartbeatTimeout = '15 seconds';

/**
 * Activities that call Cafe24 or FMS: longer, heartbeating (a dead worker is noticed after
 * `remoteHeartbeatTimeout`), with backoff wide enough to ride out a 429 storm.
 */
export const remoteActivityOptions = (nonRetryableErrorTypes: string[]): ActivityOptions => ({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: remoteHeartbeatTimeout,
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 12, nonRetryableErrorTypes },
});

/**
 * A local activity that calls Cafe24 or FMS (a run's first steps): no heartbeats (a lost worker
 * shows as a workflow task timeout, and the next worker runs it again from its start), so a bound
 * on each attempt (a timed-out attempt stops at its next step, see stopIfCancelled); retried with
 * the backoff of a remote activity, and given up after 20 minutes in all so a run does not sit in
 * its first step for the hour twelve attempts could take: the run fails visibly and the next slot
 * tries again.
 */
export const localRemoteActivityOptions = (nonRetryableErrorTypes: string[]): ActivityOptions => ({
  startToCloseTimeout: '5 minutes',
  scheduleToCloseTimeout: '20 minutes',
  retry: remoteActivityOptions(nonRetryableErrorTypes).retry!,
});
