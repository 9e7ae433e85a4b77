import { loadConfigOrExit } from '../config/env.js';
import { createLogger } from '../logger.js';
import { createDb } from './database.js';
import { migrateToLatest } from './migrate.js';

const config = loadConfigOrExit();
const log = createLogger({ level: config.LOG_LEVEL, service: 'migrate' });
const db = createDb(config.DATABASE_URL, { maxConnections: 1 });
try {
  const results = await migrateToLatest(db);
  for (const r of results) log.info({ migration: r.migrationName, status: r.status }, 'migration');
  log.info({ applied: results.length }, results.length ? 'schema migrated' : 'schema already up to date');
} catch (error) {
  log.error({ err: error }, 'migration failed');
  process.exitCode = 1;
} finally {
  await db.destroy();
}
