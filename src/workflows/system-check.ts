import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SystemActivities, SystemCheckResult } from '../temporal/system.js';

const { checkDatabase } = proxyActivities<SystemActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3, initialInterval: '1 second' },
});

/**
 * A round trip through every part a real run uses: the server hands a task to a worker on our
 * task queue, the worker runs an activity that reads PostgreSQL. `npm start` runs it before it
 * says "ready"; operators can start it from the UI to check a deployment.
 */
export async function systemCheck(): Promise<SystemCheckResult> {
  const database = await checkDatabase();
  return { taskQueue: workflowInfo().taskQueue, schemaVersion: database.schemaVersion, databaseTime: database.serverTime };
}
