import { Client, ScheduleOverlapPolicy } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { maxHeartbeatThrottleInterval } from '../activities/heartbeat.js';
import { createCafe24Connection } from '../clients/cafe24/connection.js';
import { loadConfigOrExit } from '../config/env.js';
import { createDb } from '../db/database.js';
import { createLogger, forwardSdkLog } from '../logger.js';
import { reconcileAll } from '../schedules/reconcile.js';
import { ensureAlertSchedule } from '../schedules/alert-schedule.js';
import { ensureRawOrderPurgeSchedule } from '../schedules/system-schedules.js';
import { createScheduleSyncFromConfig, scheduleSettings } from '../schedules/temporal-schedule-sync.js';
import { ensureTokenRefreshSchedule } from '../schedules/token-refresh-schedule.js';
import { alertWebhookFromConfig } from '../services/alert-webhook.js';
import { alertSettings } from '../services/alerts.js';
import { createReauthorizationHandler } from '../services/reauthorization.js';
import { alertScheduleId, rawOrderPurgeScheduleId, tokenRefreshScheduleId } from '../temporal/names.js';
import { createWorkerActivities } from './activities.js';
import { createRemotePorts } from './remote-ports.js';
import { workflowSource } from './workflows-source.js';

const config = loadConfigOrExit();
const startupTasksDeadlineMs = 60_000;
const log = createLogger({ level: config.LOG_LEVEL, service: 'worker' });

const sdkLevel: LogLevel = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'INFO';
// We own the shutdown signals: the SDK's own handler would drop a signal that arrives before
// worker.run() (e.g. during the start-up bundle) and the worker would then never stop.
const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
});
const metricsAddress = config.WORKER_METRICS_PORT === undefined ? undefined : `${config.METRICS_HOST}:${config.WORKER_METRICS_PORT}`;
Runtime.install({
  shutdownSignals: [],
  // The SDK's own metrics (workflow/activity completions, failures, latencies, task slots, polls)
  // served by its Rust core in Prometheus text format at http://<bindAddress>/metrics.
  ...(metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } } } : {}),
  // The SDK's own logs (worker, activities, workflow `log`) go to the same pino logger.
  logger: new DefaultLogger(sdkLevel, forwardSdkLog(log)),
});

const db = createDb(config.DATABASE_URL);
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
// Schedule management shares the worker's native connection (a second grpc-js connection kept
// the worker from draining on SIGTERM).
const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
const reconcileDeps = { db, temporal, log, settings: scheduleSettings(config) };
const alertDeps = { db, temporal, log, settings: alertSettings(config, scheduleSettings(config)) };
// A refresh Cafe24 rejects pauses the link's schedules and opens its alert at once.
const onReauthRequired = createReauthorizationHandler({ ...alertDeps, schedules: createScheduleSyncFromConfig(config, { db, temporal, log }) });
const cafe24 = createCafe24Connection(config, { db, log, onReauthRequired });
const remote = createRemotePorts(config, { db, cafe24, log });
const worker = await Worker.create({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  activities: createWorkerActivities({
    db,
    temporal,
    log,
    cafe24,
    remote,
    schedules: reconcileDeps.settings,
    alerts: alertDeps.settings,
    webhook: alertWebhookFromConfig(config),
    retentionDays: config.RETENTION_DAYS,
  }),
  shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE_MS,
  maxHeartbeatThrottleInterval,
  ...workflowSource(config.WORKFLOW_BUNDLE_PATH),
});

log.info(
  {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    namespace: config.TEMPORAL_NAMESPACE,
    metricsUrl: metricsAddress ? `http://${metricsAddress.replace(/^0\.0\.0\.0:/, 'localhost:')}/metrics` : null,
  },
  'worker started',
);
// Start-up tasks run beside the worker: the link schedules (with orphans and the daily reconcile
// schedule), the daily Cafe24 token refresh and raw-order purge schedules and the alert evaluation
// schedule. A failure leaves them to the daily run
// instead of stopping the worker; they are awaited before the connections close.
const startupTasks = temporal
  .withDeadline(Date.now() + startupTasksDeadlineMs, async () => {
    await reconcileAll(reconcileDeps);
    const outcome = await ensureTokenRefreshSchedule(temporal, config.TEMPORAL_TASK_QUEUE);
    log.info({ scheduleId: tokenRefreshScheduleId, outcome }, 'token refresh schedule in place');
    const purgeOutcome = await ensureRawOrderPurgeSchedule(temporal, config.TEMPORAL_TASK_QUEUE);
    log.info({ scheduleId: rawOrderPurgeScheduleId, outcome: purgeOutcome, retentionDays: config.RETENTION_DAYS }, 'raw order purge schedule in place');
    log.info({ scheduleId: alertScheduleId, outcome: await ensureAlertSchedule(temporal, config.TEMPORAL_TASK_QUEUE) }, 'alert evaluation schedule in place');
    // Evaluate now: what went wrong while no worker ran (missed slots) shows at once.
    // SKIP, the schedule's own policy: trigger() alone would start a second evaluation beside a running one.
    await temporal.schedule.getHandle(alertScheduleId).trigger(ScheduleOverlapPolicy.SKIP);
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
