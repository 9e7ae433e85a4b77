import type { Client } from '@temporalio/client';
import { alertScheduleId, workflowTypes } from '../temporal/names.js';
import { ensureSystemSchedule } from './system-schedules.js';

/** How often alerts are evaluated: a missed slot or a lapsing token shows within this. */
export const alertEvaluationIntervalMs = 5 * 60_000;

/** The alert evaluation schedule, created (or brought up to date) by every worker at start. */
export async function ensureAlertSchedule(client: Client, taskQueue: string): Promise<'created' | 'updated'> {
  return ensureSystemSchedule(client, {
    scheduleId: alertScheduleId,
    spec: { intervals: [{ every: alertEvaluationIntervalMs }] },
    action: {
      type: 'startWorkflow',
      workflowType: workflowTypes.evaluateAlerts,
      taskQueue,
      workflowId: alertScheduleId,
      args: [],
      staticSummary: '알림 평가 · evaluate alerts',
      // A run no worker picks up ends, so it cannot hold off later evaluations (overlap SKIP).
      workflowExecutionTimeout: '15 minutes',
    },
    // A missed evaluation is not worth catching up: the next one sees the same facts.
    catchupWindow: '1 minute',
    note: 'Opens and closes alerts (GET /v1/alerts) and sends their webhook events.',
  });
}
