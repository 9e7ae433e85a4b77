import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { maxHeartbeatThrottleInterval } from '../activities/heartbeat.js';
import { createScheduleActivities } from '../activities/schedules.js';
import { createCafe24Connection } from '../clients/cafe24/connection.js';
import { loadConfigOrExit } from '../config/env.js';
import { createDb } from '../db/database.js';
import { createLogger } from '../logger.js';
import { reconcileAll } from '../schedules/reconcile.js';
import { scheduleSettings } from '../schedules/temporal-schedule-sync.js';
import { ensureTokenRefreshSchedule } from '../schedules/token-refresh-schedule.js';
import { tokenRefreshScheduleId } from '../temporal/names.js';
import { createRemotePorts } from './remote-ports.js';
import { workflowSource } from './workflows-source.js';

const config = loadConfigOrExit();
const startupTasksDeadlineMs = 60_000;
const log = createLogger({ level: config.LOG_LEVEL, service: 'worker' });

// Route the SDK's own logs (worker, activities, workflow `log`) into the same pino logger.
const pinoLevel = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;
const sdkLevel: LogLevel = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'INFO';
// We own the shutdown signals: the SDK's own handler would drop a signal that arrives before
// worker.run() (e.g. during the start-up bundle) and the worker would then never stop.
const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
});
Runtime.install({
  shutdownSignals: [],
  logger: new DefaultLogger(sdkLevel, (entry) => log[pinoLevel[entry.level]]({ ...entry.meta, sdk: true }, entry.message)),
});

const db = createDb(config.DATABASE_URL);
const cafe24 = createCafe24Connection(config, { db, log });
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
// Schedule management shares the worker's native connection (a second grpc-js connection kept
// the worker from draining on SIGTERM).
const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
const reconcileDeps = { db, temporal, log, settings: scheduleSettings(config) };
const remote = createRemotePorts(config, { db, cafe24, log });
const worker = await Worker.create({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  activities: { ...createActivities({ db, cafe24, collection: remote.collection, invoices: remote.invoices }), ...createScheduleActivities(reconcileDeps) },
  shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE_MS,
  maxHeartbeatThrottleInterval,
  ...workflowSource(config.WORKFLOW_BUNDLE_PATH),
});

log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE }, 'worker started');
// Start-up tasks run beside the worker: the link schedules (with orphans and the daily reconcile
// schedule) and the daily Cafe24 token refresh schedule. A failure leaves them to the daily run
// instead of stopping the worker; they are awaited before the connections close.
const startupTasks = temporal
  .withDeadline(Date.now() + startupTasksDeadlineMs, async () => {
    await reconcileAll(reconcileDeps);
    const outcome = await ensureTokenRefreshSchedule(temporal, config.TEMPORAL_TASK_QUEUE);
    log.info({ scheduleId: tokenRefreshScheduleId, outcome }, 'token refresh schedule in place');
  })
  .catch((error: unknown) => log.error({ err: error }, 'start-up schedule tasks failed'));
try {
  const running = worker.run();
  void stopSignal.then((signal) => {
    log.info({ signal }, 'worker draining');
    worker.shutdown();
  });
  await running;
  log.info('worker drained and stopped');
} finally {
  await startupTasks;
  await connection.close();
  await Promise.allSettled([cafe24.close(), remote.close()]);
  await db.destroy();
}
