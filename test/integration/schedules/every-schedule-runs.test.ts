import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureAlertSchedule } from '../../../src/schedules/alert-schedule.js';
import { reconcileAll } from '../../../src/schedules/reconcile.js';
import { ensureRawOrderPurgeSchedule } from '../../../src/schedules/system-schedules.js';
import { ensureTokenRefreshSchedule } from '../../../src/schedules/token-refresh-schedule.js';
import { alertScheduleId, parseScheduleId, rawOrderPurgeScheduleId, reconcileScheduleId, scheduleIdFor, scheduleJobNames, tokenRefreshScheduleId } from '../../../src/temporal/names.js';
import * as workflows from '../../../src/workflows/index.js';
import { createWorkerActivities } from '../../../src/worker/activities.js';
import { createRemotePorts } from '../../../src/worker/remote-ports.js';
import { connectCafe24 } from '../../support/cafe24.js';
import { createInstalledLink, startEndToEnd, type EndToEnd } from '../../support/end-to-end.js';
import { testAlertSettings } from '../../support/alerts.js';
import { reconcileDepsFor, testScheduleSettings } from '../../support/schedules.js';
import { workflowBundle } from '../../support/temporal.js';
import { upsertedSearchAttributes } from '../../support/collection-runs.js';
import { CstCdKey, MallIdKey, TemporalScheduledStartTimeKey, TriggerKey } from '../../../src/temporal/search-attributes.js';

/**
 * No run of ours is left Running on a workflow type nobody registers: every schedule we create —
 * per link (collect-orders, sync-invoices), the daily reconcile, token refresh and raw-order purge,
 * and the alert evaluation —
 * names a workflow the worker registers, and a run it starts completes on the worker's real
 * activities against the simulators.
 */
describe('every schedule starts a workflow the worker registers, and its run completes', () => {
  let e2e: EndToEnd;
  let worker: Worker;
  let running: Promise<void>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    e2e = await startEndToEnd();
    const cafe24 = connectCafe24(e2e.cafe24Sim, e2e.database.db);
    const remote = createRemotePorts(e2e.config, { db: e2e.database.db, cafe24, log: pino({ level: 'silent' }) });
    // As in src/worker/main.ts: schedule management rides on the worker's native connection.
    const workerClient = new Client({ connection: e2e.temporal.nativeConnection, namespace: e2e.temporal.namespace });
    worker = await Worker.create({
      connection: e2e.temporal.nativeConnection,
      namespace: e2e.temporal.namespace,
      taskQueue: e2e.temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createWorkerActivities({
        db: e2e.database.db,
        temporal: workerClient,
        log: pino({ level: 'silent' }),
        cafe24,
        remote,
        schedules: testScheduleSettings(e2e.temporal.taskQueue),
        alerts: testAlertSettings(e2e.temporal.taskQueue),
        retentionDays: e2e.config.RETENTION_DAYS,
      }),
    });
    running = worker.run();
    close = async () => {
      await remote.close();
      await cafe24.close();
    };
  });

  afterAll(async () => {
    for await (const schedule of e2e.temporal.client.schedule.list()) {
      if (parseScheduleId(schedule.scheduleId) || [reconcileScheduleId, tokenRefreshScheduleId, rawOrderPurgeScheduleId, alertScheduleId].includes(schedule.scheduleId)) {
        await e2e.temporal.client.schedule.getHandle(schedule.scheduleId).delete().catch(() => undefined);
      }
    }
    worker?.shutdown();
    await running;
    await close?.();
    await e2e?.close();
  });

  it('collect-orders, sync-invoices, the daily reconcile, the token refresh, the raw-order purge and the alert evaluation', { timeout: 180_000 }, async () => {
    const link = await createInstalledLink(e2e, { cst_cd: 'SCHED01', link_start_date: '2026-11-20', collection_method: 'auto', invoice_sync_enabled: true });
    const client = e2e.temporal.client;
    await reconcileAll(reconcileDepsFor(e2e.database.db, client, e2e.temporal.taskQueue));
    await ensureTokenRefreshSchedule(client, e2e.temporal.taskQueue);
    await ensureRawOrderPurgeSchedule(client, e2e.temporal.taskQueue);
    // Worker processes of other suites on this shared server may have left a run of theirs holding
    // the schedule (overlap SKIP): start from a fresh one.
    await client.schedule.getHandle(alertScheduleId).delete().catch(() => undefined);
    await ensureAlertSchedule(client, e2e.temporal.taskQueue);
    const scheduleIds = [...scheduleJobNames.map((job) => scheduleIdFor(job, link.id)), reconcileScheduleId, tokenRefreshScheduleId, rawOrderPurgeScheduleId, alertScheduleId];

    const registered = Object.keys(workflows);
    for (const scheduleId of scheduleIds) {
      const handle = client.schedule.getHandle(scheduleId);
      const { action } = await handle.describe();
      expect(registered, `${scheduleId} starts ${action.workflowType}`).toContain(action.workflowType);
      await handle.trigger();
      const workflowId = await vi.waitFor(
        async () => {
          const taken = (await handle.describe()).info.recentActions;
          expect(taken.length).toBeGreaterThan(0);
          return taken.at(-1)!.action.workflow.workflowId;
        },
        { timeout: 30_000, interval: 200 },
      );
      const run = client.workflow.getHandle(workflowId);
      await run.result();
      const described = await run.describe();
      expect(described.status.name, scheduleId).toBe('COMPLETED');
      if (parseScheduleId(scheduleId)) {
        // The schedule's action sets the run's attributes at start and the server its slot, so the
        // run upserts none of ours (only the patch's own TemporalChangeVersion may be upserted).
        expect(described.typedSearchAttributes.get(MallIdKey), scheduleId).toBe(link.mall_id);
        expect(described.typedSearchAttributes.get(CstCdKey), scheduleId).toBe('SCHED01');
        expect(described.typedSearchAttributes.get(TriggerKey), scheduleId).toBe('schedule');
        expect(described.typedSearchAttributes.get(TemporalScheduledStartTimeKey), scheduleId).toBeInstanceOf(Date);
        expect(upsertedSearchAttributes(await run.fetchHistory()), scheduleId).toEqual([]);
      }
    }
  });
});
