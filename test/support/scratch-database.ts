import pg from 'pg';
import { createDb, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** A new database `name` on the server of `adminUrl` (migrated to the latest schema unless told not to). */
export async function createScratchDatabase(adminUrl: string, name: string, options: { migrate?: boolean; maxConnections?: number } = {}): Promise<{ url: string; db: Db }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { maxConnections: options.maxConnections ?? 8 });
  if (options.migrate !== false) await migrateToLatest(db);
  return { url: url.toString(), db };
}
