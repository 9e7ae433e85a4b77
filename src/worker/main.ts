import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { createScheduleActivities } from '../activities/schedules.js';
import { loadConfigOrExit } from '../config/env.js';
import { createDb } from '../db/database.js';
import { createLogger } from '../logger.js';
import { reconcileAll } from '../schedules/reconcile.js';
import { scheduleSettings } from '../schedules/temporal-schedule-sync.js';
import { workflowSource } from './workflows-source.js';

const config = loadConfigOrExit();
const startupReconcileDeadlineMs = 60_000;
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
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
// The reconcile's client shares the worker's native connection (a second grpc-js connection kept
// the worker from draining on SIGTERM).
const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
const reconcileDeps = { db, temporal, log, settings: scheduleSettings(config) };
const worker = await Worker.create({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  activities: { ...createActivities({ db }), ...createScheduleActivities(reconcileDeps) },
  shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE_MS,
  ...workflowSource(config.WORKFLOW_BUNDLE_PATH),
});

log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE }, 'worker started');
// Start-up reconcile (schedules, orphans and the daily reconcile schedule) runs beside the
// worker; a failure leaves links pending for the daily run instead of stopping the worker.
// It is awaited before the connections close, so shutdown never cuts it off mid-call.
const startupReconcile = temporal
  .withDeadline(Date.now() + startupReconcileDeadlineMs, () => reconcileAll(reconcileDeps))
  .catch((error: unknown) => log.error({ err: error }, 'start-up schedule reconcile failed'));
try {
  const running = worker.run();
  void stopSignal.then((signal) => {
    log.info({ signal }, 'worker draining');
    worker.shutdown();
  });
  await running;
  log.info('worker drained and stopped');
} finally {
  await startupReconcile;
  await connection.close();
  await db.destroy();
}
