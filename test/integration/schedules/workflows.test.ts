import { fileURLToPath } from 'node:url';
import { Client, ScheduleOverlapPolicy } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createActivities } from '../../../src/activities/index.js';
import { createScheduleActivities } from '../../../src/activities/schedules.js';
import { parseScheduleId, reconcileScheduleId, scheduleIdFor } from '../../../src/temporal/names.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { insertMallLinkStartingTomorrow, reconcileDepsFor } from '../../support/schedules.js';
import { connectTestTemporal, workflowBundle, type TestTemporal } from '../../support/temporal.js';
import { idleCafe24Connection } from '../../support/cafe24.js';

const slotWorkflowsPath = fileURLToPath(new URL('../../support/slot-workflows.ts', import.meta.url));

describe('workflows of the schedules feature on the real dev server', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
  });
  afterAll(async () => {
    for await (const schedule of temporal.client.schedule.list()) {
      if (parseScheduleId(schedule.scheduleId) || schedule.scheduleId === reconcileScheduleId || schedule.scheduleId.startsWith('slot-')) {
        await temporal.client.schedule.getHandle(schedule.scheduleId).delete().catch(() => undefined);
      }
    }
    await temporal?.close();
    await database?.drop();
  });

  it('reconcileSchedules (the daily run) reconciles every link through its activity', async () => {
    const link = await insertMallLinkStartingTomorrow(database.db);
    // As in src/worker/main.ts: the activity's client rides on the worker's native connection.
    const workerClient = new Client({ connection: temporal.nativeConnection, namespace: temporal.namespace });
    const deps = reconcileDepsFor(database.db, workerClient, temporal.taskQueue);
    const worker = await Worker.create({
      connection: temporal.nativeConnection,
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: { ...createActivities({ db: database.db, cafe24: idleCafe24Connection(database.db) }), ...createScheduleActivities(deps) },
    });
    const result = await worker.runUntil(
      temporal.client.workflow.execute('reconcileSchedules', { taskQueue: temporal.taskQueue, workflowId: `reconcile-${temporal.taskQueue}` }),
    );
    expect(result).toMatchObject({ ran: true, links: 1, failedLinks: 0, created: 2 });
    const description = await temporal.client.schedule.getHandle(scheduleIdFor('collect-orders', link.id)).describe();
    expect(description.action).toMatchObject({ workflowType: 'collectOrders', args: [{ mallLinkId: link.id, attributesSetAtStart: true }] });
    const daily = await temporal.client.schedule.getHandle(reconcileScheduleId).describe();
    expect(daily.action).toMatchObject({ workflowType: 'reconcileSchedules', taskQueue: temporal.taskQueue });
    expect(daily.spec.timezone).toBe('Asia/Seoul');
  });

  describe('runSlot', () => {
    let worker: Worker;
    let running: Promise<void>;
    beforeAll(async () => {
      worker = await Worker.create({
        connection: temporal.nativeConnection,
        namespace: temporal.namespace,
        taskQueue: `${temporal.taskQueue}-slot`,
        workflowsPath: slotWorkflowsPath,
      });
      running = worker.run();
    });
    afterAll(async () => {
      worker?.shutdown();
      await running;
    });
    const taskQueue = () => `${temporal.taskQueue}-slot`;

    it('takes the explicit slotAt of an API-started run', async () => {
      const slotAt = '2026-12-01T08:10:00.000Z';
      const result = await temporal.client.workflow.execute('reportSlot', { taskQueue: taskQueue(), workflowId: `slot-explicit-${taskQueue()}`, args: [{ slotAt }] });
      expect(result).toBe(slotAt);
    });

    it('falls back to the start time of a run without slot or schedule', async () => {
      const handle = await temporal.client.workflow.start('reportSlot', { taskQueue: taskQueue(), workflowId: `slot-plain-${taskQueue()}`, args: [{}] });
      const result = await handle.result();
      expect(result).toBe((await handle.describe()).startTime.toISOString());
    });

    it("reads a scheduled run's nominal time from TemporalScheduledStartTime (backfill proves it is not the start time)", async () => {
      const scheduleId = `slot-${taskQueue()}`;
      const handle = await temporal.client.schedule.create({
        scheduleId,
        spec: { calendars: [{ hour: 3, minute: 0 }], timezone: 'UTC' },
        action: { type: 'startWorkflow', workflowType: 'reportSlot', taskQueue: taskQueue(), args: [{}] },
        state: { paused: true, note: 'backfill only' },
      });
      const nominal = new Date(Date.UTC(2026, 0, 5, 3, 0));
      await handle.backfill({ start: new Date(nominal.getTime() - 60_000), end: new Date(nominal.getTime() + 60_000), overlap: ScheduleOverlapPolicy.ALLOW_ALL });
      const workflowId = await vi.waitFor(
        async () => {
          const taken = (await handle.describe()).info.recentActions;
          expect(taken).toHaveLength(1);
          return taken[0]!.action.workflow.workflowId;
        },
        { timeout: 30_000, interval: 200 },
      );
      expect(await temporal.client.workflow.getHandle(workflowId).result()).toBe(nominal.toISOString());
    });
  });
});
