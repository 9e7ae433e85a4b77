import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../src/activities/index.js';
import type { Cafe24Connection } from '../../../src/clients/cafe24/connection.js';
import { findCafe24Tokens } from '../../../src/db/repositories/cafe24-tokens.js';
import { ensureTokenRefreshSchedule } from '../../../src/schedules/token-refresh-schedule.js';
import { tokenRefreshScheduleId } from '../../../src/temporal/names.js';
import { authorizeLink, connectCafe24, createLink, startTestSimulator } from '../../support/cafe24.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { connectTestTemporal, workflowBundle, type TestTemporal } from '../../support/temporal.js';

describe('daily Cafe24 token refresh on Temporal', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let sim: Awaited<ReturnType<typeof startTestSimulator>>['sim'];
  let control: Awaited<ReturnType<typeof startTestSimulator>>['control'];
  let cafe24: Cafe24Connection;

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    // Short-lived refresh tokens (5 days), so they are due for the daily refresh at once.
    ({ sim, control } = await startTestSimulator({ refreshTokenTtlMs: 5 * 24 * 3600_000 }));
    cafe24 = connectCafe24(sim, database.db);
  });
  afterAll(async () => {
    await temporal.client.schedule.getHandle(tokenRefreshScheduleId).delete().catch(() => {});
    await cafe24?.close();
    await sim?.stop();
    await temporal?.close();
    await database?.drop();
  });

  it('refreshExpiringTokens renews tokens that expire within 7 days and returns counts only', async () => {
    const link = await createLink(database.db);
    await authorizeLink(sim, cafe24, link);
    const before = await findCafe24Tokens(database.db, link.id);
    const worker = await Worker.create({
      connection: temporal.nativeConnection,
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities({ db: database.db, cafe24 }),
    });
    const summary = await worker.runUntil(
      temporal.client.workflow.execute('refreshExpiringTokens', { taskQueue: temporal.taskQueue, workflowId: `token-refresh-${temporal.taskQueue}` }),
    );
    expect(summary).toEqual({ checked: 1, refreshed: 1, reauthRequired: 0, failed: 0 });
    expect((await findCafe24Tokens(database.db, link.id))!.refresh_token_enc).not.toBe(before!.refresh_token_enc);
    expect((await control.stats(link.mall_id))?.tokenRefreshes).toBe(1);
  });

  it('the worker’s schedule is created once and updated in place on later starts', async () => {
    // Another suite's worker process may have created it on this shared server already.
    await temporal.client.schedule.getHandle(tokenRefreshScheduleId).delete().catch(() => {});
    expect(await ensureTokenRefreshSchedule(temporal.client, temporal.taskQueue)).toBe('created');
    expect(await ensureTokenRefreshSchedule(temporal.client, temporal.taskQueue)).toBe('updated');
    const description = await temporal.client.schedule.getHandle(tokenRefreshScheduleId).describe();
    expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'refreshExpiringTokens', taskQueue: temporal.taskQueue });
    expect(description.spec.timezone).toBe('Asia/Seoul');
    const next = description.info.nextActionTimes[0]!;
    // 04:20 in Seoul is 19:20 UTC.
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([19, 20]);
  });
});
