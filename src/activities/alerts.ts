import { listUndeliveredAlertEvents, markEveryAlertEventDelivered } from '../db/repositories/alerts.js';
import { deliverAlertEvent, type AlertWebhookDeps } from '../services/alert-webhook.js';
import { evaluateAlerts, type AlertEvaluationDeps } from '../services/alerts.js';
import type { AlertActivities } from '../temporal/alerts.js';

export interface AlertActivityDeps {
  alerts: AlertEvaluationDeps & { now?: () => Date };
  /** The webhook receiver; without it every event counts as delivered at the next evaluation. */
  webhook?: Omit<AlertWebhookDeps, 'db' | 'log'> | undefined;
}

/** Undelivered events handed to one evaluation at most; the rest wait for the next. */
const deliveriesPerEvaluation = 100;

export function createAlertActivities({ alerts, webhook }: AlertActivityDeps): AlertActivities {
  return {
    async evaluateAlertConditions() {
      const evaluation = await evaluateAlerts(alerts, (alerts.now ?? (() => new Date()))());
      if (!webhook) await markEveryAlertEventDelivered(alerts.db);
      const undelivered = webhook ? await listUndeliveredAlertEvents(alerts.db, deliveriesPerEvaluation) : [];
      return { opened: evaluation.opened.length, closed: evaluation.closed.length, open: evaluation.open, undelivered };
    },
    async deliverAlertEvent(event) {
      if (!webhook) return false;
      return deliverAlertEvent({ db: alerts.db, log: alerts.log, ...webhook }, event);
    },
  };
}
