import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { createCafe24Connection } from '../clients/cafe24/connection.js';
import { createTemporalClient } from '../clients/temporal.js';
import { loadConfigOrExit } from '../config/env.js';
import { createDb } from '../db/database.js';
import { createLogger } from '../logger.js';
import { ensureTokenRefreshSchedule, tokenRefreshScheduleId } from '../schedules/token-refresh-schedule.js';
import { workflowSource } from './workflows-source.js';

const config = loadConfigOrExit();
const log = createLogger({ level: config.LOG_LEVEL, service: 'worker' });

// Route the SDK's own logs (worker, activities, workflow `log`) into the same pino logger.
const pinoLevel = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;
const sdkLevel: LogLevel = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'INFO';
Runtime.install({
  logger: new DefaultLogger(sdkLevel, (entry) => log[pinoLevel[entry.level]]({ ...entry.meta, sdk: true }, entry.message)),
});

const db = createDb(config.DATABASE_URL);
const cafe24 = createCafe24Connection(config, { db, log });
const temporalClient = createTemporalClient(config);
log.info({ scheduleId: tokenRefreshScheduleId, outcome: await ensureTokenRefreshSchedule(temporalClient, config.TEMPORAL_TASK_QUEUE) }, 'token refresh schedule in place');
await temporalClient.connection.close();

const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const worker = await Worker.create({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  activities: createActivities({ db, cafe24 }),
  shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE_MS,
  ...workflowSource(config.WORKFLOW_BUNDLE_PATH),
});

// Worker.run() installs SIGINT/SIGTERM handlers that drain in-flight tasks and then resolve.
log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE }, 'worker started');
try {
  await worker.run();
  log.info('worker drained and stopped');
} finally {
  await connection.close();
  await cafe24.close();
  await db.destroy();
}
