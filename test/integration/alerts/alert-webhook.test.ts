import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertActivities } from '../../../src/activities/alerts.js';
import { reauthRequiredCondition } from '../../../src/domain/alerts.js';
import { openAlertNow } from '../../../src/services/alerts.js';
import type { EvaluateAlertsResult } from '../../../src/temporal/alerts.js';
import { workflowTypes } from '../../../src/temporal/names.js';
import { alertDepsFor, alertsOf } from '../../support/alerts.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { insertTestMallLink } from '../../support/mall-link-fixtures.js';
import { connectTestTemporal, workflowBundle, type TestTemporal } from '../../support/temporal.js';

const secret = 'test-alert-webhook-secret';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** The receiver's side of the contract: HMAC-SHA256 over "<timestamp>.<body>", hex, `sha256=` prefixed. */
function verified(request: Received): boolean {
  const timestamp = String(request.headers['x-alert-timestamp']);
  const given = Buffer.from(String(request.headers['x-alert-signature']).replace(/^sha256=/, ''), 'hex');
  const expected = createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest();
  return given.length === expected.length && timingSafeEqual(given, expected) && Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
}

/**
 * The webhook end to end: the `evaluateAlerts` workflow on a real worker opens and closes alerts
 * and delivers one signed POST per opening and closing to a local receiver; a refused POST is
 * retried by Temporal and delivered once.
 */
describe('the alert webhook', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let server: Server;
  const received: Received[] = [];
  /** Answers the next POST with 500 once (a receiver hiccup). */
  let failNext = false;

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const answered = failNext ? 500 : 204;
        failNext = false;
        received.push({ headers: req.headers, body, answered });
        res.writeHead(answered).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await temporal?.close();
    await database?.drop();
  });

  it('sends one signed POST per opening and per closing, retried by Temporal when refused', { timeout: 60_000 }, async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
    const deps = alertDepsFor(database.db, temporal.client, temporal.taskQueue);
    const worker = await Worker.create({
      connection: temporal.nativeConnection,
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createAlertActivities({ alerts: deps, webhook: { url, secret, timeoutMs: 5_000 } }),
    });
    let evaluations = 0;
    const evaluate = () =>
      temporal.client.workflow.execute(workflowTypes.evaluateAlerts, { taskQueue: temporal.taskQueue, workflowId: `evaluate-alerts-${temporal.taskQueue}-${evaluations++}` }) as Promise<EvaluateAlertsResult>;
    const delivered = () => received.filter((r) => r.answered === 204).map((r) => JSON.parse(r.body) as { id: string; event: string; alert: { id: number; kind: string; mallLinkId: string } });

    await worker.runUntil(async () => {
      // A manual link awaiting re-authorization (and without schedules: two schedule alerts too).
      const link = await insertTestMallLink(database.db, { collection_method: 'manual', cafe24_auth_status: 'reauth_required' });
      failNext = true;
      const first = await evaluate();
      const opened = await database.db.selectFrom('alerts').selectAll().where('status', '=', 'open').execute();
      expect(first).toMatchObject({ opened: opened.length, closed: 0, delivered: opened.length, undelivered: 0 });
      expect(received.filter((r) => r.answered === 500)).toHaveLength(1);
      expect(delivered().map((e) => e.id).sort()).toEqual(opened.map((a) => `${a.id}:alert.opened`).sort());
      for (const request of received) {
        expect(verified(request), 'signature').toBe(true);
        expect(request.headers['content-type']).toBe('application/json');
        expect(request.headers['x-alert-event-id']).toBe(JSON.parse(request.body).id);
      }
      const [reauth] = await alertsOf(database.db, link.id, 'reauth_required');
      expect(delivered().find((e) => e.alert.id === reauth!.id)).toMatchObject({ event: 'alert.opened', alert: { kind: 'reauth_required', mallLinkId: link.id } });
      expect(reauth!.opened_notified_at).toBeInstanceOf(Date);

      // Nothing changed: nothing is sent again.
      const before = received.length;
      expect(await evaluate()).toMatchObject({ opened: 0, closed: 0, delivered: 0 });
      expect(received).toHaveLength(before);

      await database.db.updateTable('mall_links').set({ cafe24_auth_status: 'authorized' }).where('id', '=', link.id).execute();
      expect(await evaluate()).toMatchObject({ opened: 0, closed: 1, delivered: 1 });
      const closing = delivered().at(-1)!;
      expect(closing).toMatchObject({ id: `${reauth!.id}:alert.closed`, event: 'alert.closed', alert: { id: reauth!.id, status: 'closed' } });
      expect(verified(received.at(-1)!)).toBe(true);

      // Opened outside the evaluation (a rejected refresh, in the worker or the API): the next
      // evaluation delivers it.
      await database.db.updateTable('mall_links').set({ cafe24_auth_status: 'reauth_required' }).where('id', '=', link.id).execute();
      const reopened = await openAlertNow(deps, reauthRequiredCondition({ mallLinkId: link.id, mallId: link.mall_id }, new Date()));
      expect(await evaluate()).toMatchObject({ opened: 0, closed: 0, delivered: 1 });
      expect(delivered().at(-1)).toMatchObject({ id: `${reopened!.id}:alert.opened`, alert: { kind: 'reauth_required', status: 'open' } });

      // One delivered POST per event.
      expect(new Set(delivered().map((e) => e.id)).size).toBe(delivered().length);
    });
  });
});
