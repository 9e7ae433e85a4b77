import { pino } from 'pino';
import { inject } from 'vitest';
import type { Config } from '../../src/config/env.js';
import type { Cafe24Connection } from '../../src/clients/cafe24/connection.js';
import { decideMallLinkShop, requestMallLinkShop } from '../../src/db/repositories/mall-link-shops.js';
import { shipmentOrdNo } from '../../src/domain/shipment-key.js';
import { startFmsSimulator, type RunningFmsSimulator } from '../../src/sim/fms/server.js';
import type { Cafe24Simulator, Cafe24SimControl } from '../../src/sim/cafe24/index.js';
import { createWorkerActivities } from '../../src/worker/activities.js';
import { createRemotePorts } from '../../src/worker/remote-ports.js';
import type { MallLinkRow, NewMallLink } from '../../db/schema.js';
import { configFor, connectCafe24, createAuthorizedMall, startTestSimulator, testEncryptionKey } from './cafe24.js';
import { testAlertSettings } from './alerts.js';
import { startTestWorker } from './collection-runs.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { testScheduleSettings } from './schedules.js';
import { connectTestTemporal, type TestTemporal } from './temporal.js';

/**
 * The collection end to end: real PostgreSQL and Temporal, both simulators over HTTP, and the
 * collection and invoice ports built exactly as the worker builds them (src/worker/remote-ports.ts).
 */
export interface EndToEnd {
  database: TestDatabase;
  temporal: TestTemporal;
  cafe24Sim: Cafe24Simulator;
  cafe24Control: Cafe24SimControl;
  fms: RunningFmsSimulator;
  /** The test process's Cafe24 connection (installs the app for links). */
  cafe24: Cafe24Connection;
  /** Application config pointing at the simulators, as a worker would load it. */
  config: Config;
  /** Environment for a worker process (src/worker/main.ts) on the test's task queue. */
  workerEnv: Record<string, string>;
  close(): Promise<void>;
}

/** Short FMS timeout: an unanswered create may still land for 2 × this, so recovery waits that long. */
const fmsTimeoutMs = '1000';

/** On the shared test PostgreSQL and Temporal, or on the servers given (a stack a test restarts). */
export async function startEndToEnd(servers: { postgresAdminUrl?: string; temporalAddress?: string } = {}): Promise<EndToEnd> {
  const temporalAddress = servers.temporalAddress ?? inject('temporalAddress');
  const database = await createTestDatabase(servers.postgresAdminUrl ? { adminUrl: servers.postgresAdminUrl } : {});
  const temporal = await connectTestTemporal(temporalAddress);
  const { sim: cafe24Sim, control: cafe24Control } = await startTestSimulator({ seed: 'e2e' });
  const fms = await startFmsSimulator({ seed: 'e2e' });
  const fmsEnv = { FMS_BASE_URL: fms.url, FMS_API_CD: fms.apiCd, FMS_API_KEY: fms.apiKey, FMS_TIMEOUT_MS: fmsTimeoutMs };
  const config = configFor(cafe24Sim, fmsEnv);
  const cafe24 = connectCafe24(cafe24Sim, database.db);
  return {
    database,
    temporal,
    cafe24Sim,
    cafe24Control,
    fms,
    cafe24,
    config,
    workerEnv: {
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: temporal.namespace,
      TEMPORAL_TASK_QUEUE: temporal.taskQueue,
      PUBLIC_BASE_URL: 'http://api.test',
      TOKEN_ENCRYPTION_KEY: testEncryptionKey,
      CAFE24_CLIENT_ID: cafe24Sim.clientId,
      CAFE24_CLIENT_SECRET: cafe24Sim.clientSecret,
      CAFE24_API_BASE_URL: cafe24Sim.apiBaseUrlTemplate,
      WORKER_SHUTDOWN_GRACE_MS: '5000',
      // Worker processes load the run's prebuilt bundle, as production workers do (the dev stack's
      // `npm start` and the process tests still bundle from source).
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      ...fmsEnv,
    },
    async close() {
      await cafe24.close();
      await fms.stop();
      await cafe24Sim.stop();
      await temporal.close();
      await database.drop();
    },
  };
}

/**
 * An in-process worker with the real ports (its own Cafe24 connection and FMS client) and every
 * activity a production worker registers: worker processes a test starts on the same task queue
 * create the system schedules, whose runs this worker may be handed.
 */
export async function startRealPortsWorker(e2e: EndToEnd) {
  const log = pino({ level: 'silent' });
  const cafe24 = connectCafe24(e2e.cafe24Sim, e2e.database.db);
  const remote = createRemotePorts(e2e.config, { db: e2e.database.db, cafe24, log });
  const { taskQueue } = e2e.temporal;
  const worker = await startTestWorker(
    e2e.temporal,
    createWorkerActivities({
      db: e2e.database.db,
      temporal: e2e.temporal.client,
      log,
      cafe24,
      remote,
      schedules: testScheduleSettings(taskQueue),
      alerts: testAlertSettings(taskQueue),
      retentionDays: e2e.config.RETENTION_DAYS,
    }),
  );
  return {
    async stop() {
      await worker.stop();
      await remote.close();
      await cafe24.close();
    },
  };
}

/**
 * A mall link installed against the Cafe24 simulator with these settings (sender set, so FMS
 * requests can be built), and `activeShops` besides shop 1 requested and approved.
 */
export async function createInstalledLink(e2e: EndToEnd, settings: Partial<NewMallLink>, activeShops: number[] = []): Promise<MallLinkRow> {
  const { link } = await createAuthorizedMall(e2e.database.db, e2e.cafe24Sim, e2e.cafe24);
  for (const shopNo of activeShops) {
    await requestMallLinkShop(e2e.database.db, link.id, shopNo);
    await decideMallLinkShop(e2e.database.db, link.id, shopNo, 'active');
  }
  return e2e.database.db
    .updateTable('mall_links')
    .set({ sender_name: '테스트상점', sender_phone: '02-555-0100', ...settings })
    .where('id', '=', link.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** FMS requests of the link's customer, grouped by ordNo: every value must be 1. */
export function fmsRequestsPerOrdNo(e2e: EndToEnd, cstCd: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const outbound of e2e.fms.control.outbounds(cstCd)) counts.set(outbound.ordNo, (counts.get(outbound.ordNo) ?? 0) + 1);
  return counts;
}

/** The ordNo FMS must hold for this order of the link. */
export const ordNoOf = (link: MallLinkRow, orderId: string, shopNo = 1) => shipmentOrdNo({ mallLinkId: link.id, shopNo, orderId });
