import { serve } from '@hono/node-server';
import { createCafe24Connection } from '../clients/cafe24/connection.js';
import { createFmsClient, fmsClientOptions } from '../clients/fms/fms-client.js';
import { createTemporalClient, createTemporalProbe } from '../clients/temporal.js';
import { loadConfigOrExit } from '../config/env.js';
import { listenForChanges } from '../db/change-listener.js';
import { createDb } from '../db/database.js';
import { apiKeyChangesChannel, findActiveApiKeyByHash } from '../db/repositories/api-keys.js';
import { createLogger } from '../logger.js';
import { createScheduleSyncFromConfig, syncEveryLink } from '../schedules/temporal-schedule-sync.js';
import { createReauthorizationHandler } from '../services/reauthorization.js';
import { createApp } from './app.js';
import { cachedApiKeyLookup } from './lib/api-key-lookup.js';
import { createApiMetrics, serveMetrics } from './metrics.js';

const config = loadConfigOrExit();
const log = createLogger({ level: config.LOG_LEVEL, service: 'api' });
const db = createDb(config.DATABASE_URL);
const temporal = createTemporalClient(config);
const temporalProbe = createTemporalProbe(config);
const schedules = createScheduleSyncFromConfig(config, { db, temporal, log });
const cafe24 = createCafe24Connection(config, { db, log, onReauthRequired: createReauthorizationHandler({ db, log, schedules }) });
const fms = createFmsClient(fmsClientOptions(config));
const metrics = config.API_METRICS_PORT === undefined ? undefined : createApiMetrics();
const apiKeys = cachedApiKeyLookup((hash) => findActiveApiKeyByHash(db, hash), { trusted: () => apiKeyChanges.listening });
const apiKeyChanges = listenForChanges(config.DATABASE_URL, apiKeyChangesChannel, { changed: apiKeys.invalidate, lost: apiKeys.invalidate }, log);
const app = createApp({ config, db, temporal, temporalProbe, log, schedules, cafe24, fmsGoods: fms, metrics, apiKeys });
const metricsServer = metrics && config.API_METRICS_PORT !== undefined ? await serveMetrics(metrics.registry, { host: config.METRICS_HOST, port: config.API_METRICS_PORT }) : undefined;
if (metricsServer) log.info({ url: metricsServer.url }, 'api metrics listening');

const server = serve({ fetch: app.fetch, hostname: config.API_HOST, port: config.API_PORT }, (info) => {
  log.info({ port: info.port, docs: `${config.PUBLIC_BASE_URL}/docs` }, 'api listening');
});
// A config change is committed before its schedules are synced: an API that died in between
// (or during a timetable change's sync of every link) left schedules behind what PostgreSQL
// holds, still marked synced. Bring every link in line once at start-up, beside serving.
let stopping = false;
const startupSync = syncEveryLink(db, schedules, { stopAtFirstPending: true, stopped: () => stopping })
  .then((counts) => log.info(counts, 'schedules of every link synced at start-up'))
  .catch((err: unknown) => log.error({ err }, 'start-up schedule sync failed; the daily reconcile repairs the links'));

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'api stopping');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await startupSync;
  await Promise.allSettled([apiKeyChanges.close(), db.destroy(), temporal.connection.close(), temporalProbe.close(), cafe24.close(), fms.close(), metricsServer?.close()]);
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
