import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { createActivities } from '../activities/index.js';
import { createAlertActivities, type AlertActivityDeps } from '../activities/alerts.js';
import { createScheduleActivities } from '../activities/schedules.js';
import type { Cafe24Connection } from '../clients/cafe24/connection.js';
import type { Db } from '../db/database.js';
import type { ScheduleSettings } from '../schedules/spec.js';
import type { AlertSettings } from '../services/alerts.js';
import type { createRemotePorts } from './remote-ports.js';

export interface WorkerActivityDeps {
  db: Db;
  /** The client schedule management and the alert evaluation use (main.ts: on the worker's connection). */
  temporal: Client;
  log: Logger;
  cafe24: Cafe24Connection;
  remote: Pick<ReturnType<typeof createRemotePorts>, 'collection' | 'invoices'>;
  schedules: ScheduleSettings;
  /** The alert evaluation's settings; it creates and checks schedules with `schedules` above. */
  alerts: Omit<AlertSettings, 'schedules'>;
  webhook?: AlertActivityDeps['webhook'];
  retentionDays: number;
}

/**
 * Every activity a worker registers. Any worker of the task queue may be handed any schedule's
 * workflow, so src/worker/main.ts and the tests' in-process workers all register this one set.
 */
export function createWorkerActivities({ db, temporal, log, cafe24, remote, schedules, alerts, webhook, retentionDays }: WorkerActivityDeps) {
  return {
    ...createActivities({ db, cafe24, collection: remote.collection, invoices: remote.invoices, retentionDays }),
    ...createScheduleActivities({ db, temporal, log, settings: schedules }),
    ...createAlertActivities({ alerts: { db, temporal, log, settings: { ...alerts, schedules } }, webhook }),
  };
}
