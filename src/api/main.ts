import { serve } from '@hono/node-server';
import { createCafe24Connection } from '../clients/cafe24/connection.js';
import { createFmsClient, fmsClientOptions } from '../clients/fms/fms-client.js';
import { createTemporalClient } from '../clients/temporal.js';
import { loadConfigOrExit } from '../config/env.js';
import { createDb } from '../db/database.js';
import { createLogger } from '../logger.js';
import { createScheduleSyncFromConfig } from '../schedules/temporal-schedule-sync.js';
import { createApp } from './app.js';

const config = loadConfigOrExit();
const log = createLogger({ level: config.LOG_LEVEL, service: 'api' });
const db = createDb(config.DATABASE_URL);
const temporal = createTemporalClient(config);
const cafe24 = createCafe24Connection(config, { db, log });
const fms = createFmsClient(fmsClientOptions(config));
const app = createApp({ config, db, temporal, log, schedules: createScheduleSyncFromConfig(config, { db, temporal, log }), cafe24, fmsGoods: fms });

const server = serve({ fetch: app.fetch, hostname: config.API_HOST, port: config.API_PORT }, (info) => {
  log.info({ port: info.port, docs: `${config.PUBLIC_BASE_URL}/docs` }, 'api listening');
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'api stopping');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await Promise.allSettled([db.destroy(), temporal.connection.close(), cafe24.close(), fms.close()]);
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
