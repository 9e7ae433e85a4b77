import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../src/activities/index.js';
import { idleCafe24Connection } from '../../support/cafe24.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { connectTestTemporal, workflowBundle, type TestTemporal } from '../../support/temporal.js';

describe('a real workflow on the real dev server', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
  });
  afterAll(async () => {
    await temporal?.close();
    await database?.drop();
  });

  it('bundles src/workflows without disallowed modules', async () => {
    const { code } = await workflowBundle();
    expect(code).toContain('systemCheck');
  });

  it('runs systemCheck: the worker executes a real activity against PostgreSQL', async () => {
    const worker = await Worker.create({
      connection: temporal.nativeConnection,
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities({ db: database.db, cafe24: idleCafe24Connection(database.db) }),
    });
    const result = await worker.runUntil(
      temporal.client.workflow.execute('systemCheck', { taskQueue: temporal.taskQueue, workflowId: `system-check-${temporal.taskQueue}` }),
    );
    const latest = await database.db.selectFrom('kysely_migration' as never).select('name' as never).orderBy('name' as never, 'desc').executeTakeFirst();
    expect(result).toMatchObject({ taskQueue: temporal.taskQueue, schemaVersion: (latest as { name: string }).name });
    expect(Number.isNaN(Date.parse(result.databaseTime))).toBe(false);
  });
});
