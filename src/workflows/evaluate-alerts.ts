import { proxyActivities } from '@temporalio/workflow';
import type { AlertActivities, EvaluateAlertsResult } from '../temporal/alerts.js';
import type { PendingAlertEvent } from '../domain/alerts.js';

const { evaluateAlertConditions } = proxyActivities<AlertActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', maximumAttempts: 3 },
});

// A receiver that is down for long is retried by the next evaluations (the outbox keeps the event).
const { deliverAlertEvent } = proxyActivities<AlertActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * Every few minutes (schedule `evaluate-alerts`): opens and closes alerts, then delivers their
 * webhook events — in order per alert (an opening before its closing), alerts in parallel. It
 * runs apart from collection and invoice runs, so a slow receiver never holds one up.
 */
export async function evaluateAlerts(): Promise<EvaluateAlertsResult> {
  const evaluation = await evaluateAlertConditions();
  const byAlert = new Map<number, PendingAlertEvent[]>();
  for (const event of evaluation.undelivered) byAlert.set(event.alertId, [...(byAlert.get(event.alertId) ?? []), event]);
  let delivered = 0;
  let undelivered = 0;
  await Promise.all(
    [...byAlert.values()].map(async (events) => {
      for (const [index, event] of events.entries()) {
        try {
          if (await deliverAlertEvent(event)) delivered += 1;
        } catch {
          undelivered += events.length - index;
          return;
        }
      }
    }),
  );
  return { opened: evaluation.opened, closed: evaluation.closed, open: evaluation.open, delivered, undelivered };
}
