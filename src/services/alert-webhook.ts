import { createHmac } from 'node:crypto';
import type { AlertRow } from '../../db/schema.js';
import type { Config } from '../config/env.js';
import type { Db } from '../db/database.js';
import { alertView, findAlert, markAlertEventsDelivered } from '../db/repositories/alerts.js';
import type { PendingAlertEvent } from '../domain/alerts.js';
import type { Logger } from '../logger.js';

/**
 * The alert webhook: one signed POST per alert opening and closing. The body is JSON; the
 * signature is `X-Alert-Signature: sha256=<hex HMAC-SHA256(secret, "<X-Alert-Timestamp>.<body>")>`,
 * so a receiver checks both the body and its age. `X-Alert-Event-Id` (`<alertId>:<event>`) is the
 * same on every retry of one event: receivers drop repeats by it.
 */

export interface AlertWebhookDeps {
  db: Db;
  log: Logger;
  url: string;
  secret: string;
  timeoutMs: number;
  now?: () => Date;
}

export const alertWebhookHeaders = { signature: 'x-alert-signature', timestamp: 'x-alert-timestamp', eventId: 'x-alert-event-id' } as const;

export function alertWebhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class AlertWebhookRefused extends Error {
  constructor(readonly status: number) {
    super(`the alert webhook answered HTTP ${status}`);
    this.name = 'AlertWebhookRefused';
  }
}

function eventBody(alert: AlertRow, event: PendingAlertEvent['event'], sentAt: Date): string {
  return JSON.stringify({ id: `${alert.id}:${event}`, event, sentAt: sentAt.toISOString(), alert: alertView(alert) });
}

/**
 * Sends one event unless it was delivered already; throws on a failed delivery so Temporal retries
 * it. Returns false when there was nothing to send.
 */
export async function deliverAlertEvent(deps: AlertWebhookDeps, pending: PendingAlertEvent): Promise<boolean> {
  const alert = await findAlert(deps.db, pending.alertId);
  const delivered = pending.event === 'alert.opened' ? alert?.opened_notified_at : alert?.closed_notified_at;
  if (!alert || delivered) return false;
  const now = (deps.now ?? (() => new Date()))();
  const body = eventBody(alert, pending.event, now);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const response = await fetch(deps.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [alertWebhookHeaders.timestamp]: timestamp,
      [alertWebhookHeaders.signature]: alertWebhookSignature(deps.secret, timestamp, body),
      [alertWebhookHeaders.eventId]: `${alert.id}:${pending.event}`,
    },
    body,
    signal: AbortSignal.timeout(deps.timeoutMs),
  });
  await response.body?.cancel();
  if (!response.ok) throw new AlertWebhookRefused(response.status);
  await markAlertEventsDelivered(deps.db, [alert.id], pending.event);
  deps.log.info({ alertId: alert.id, event: pending.event }, 'alert webhook delivered');
  return true;
}

/** The receiver from configuration; undefined when ALERT_WEBHOOK_URL is unset. */
export function alertWebhookFromConfig(config: Pick<Config, 'ALERT_WEBHOOK_URL' | 'ALERT_WEBHOOK_SECRET' | 'ALERT_WEBHOOK_TIMEOUT_MS'>): Omit<AlertWebhookDeps, 'db' | 'log'> | undefined {
  // The configuration refuses a URL without a secret.
  if (config.ALERT_WEBHOOK_URL === undefined || config.ALERT_WEBHOOK_SECRET === undefined) return undefined;
  return { url: config.ALERT_WEBHOOK_URL, secret: config.ALERT_WEBHOOK_SECRET, timeoutMs: config.ALERT_WEBHOOK_TIMEOUT_MS };
}
