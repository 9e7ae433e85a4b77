import type { PendingAlertEvent } from '../domain/alerts.js';

/** What one evaluation changed: counts, and the webhook events still to deliver (ids only). */
export interface AlertConditionsResult {
  opened: number;
  closed: number;
  open: number;
  /** Undelivered openings and closings, this evaluation's and earlier ones'; empty without a webhook. */
  undelivered: PendingAlertEvent[];
}

/** The activities behind `evaluateAlerts`. */
export interface AlertActivities {
  /** Reads the facts, opens and closes alerts, logs each change. */
  evaluateAlertConditions(): Promise<AlertConditionsResult>;
  /** One signed webhook POST; false when it was delivered already. Throws (retried) when refused. */
  deliverAlertEvent(event: PendingAlertEvent): Promise<boolean>;
}

export interface EvaluateAlertsResult {
  opened: number;
  closed: number;
  open: number;
  delivered: number;
  /** Events whose delivery failed after every retry; the next evaluation tries them again. */
  undelivered: number;
}
