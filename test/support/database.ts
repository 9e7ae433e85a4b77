import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { createScratchDatabase } from './scratch-database.js';

export interface TestDatabase {
  db: Db;
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database on the shared test server (or the server of `adminUrl`); `migrate: true`
 * brings it to the latest schema.
 */
export async function createTestDatabase(options: { migrate?: boolean; adminUrl?: string } = {}): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? inject('postgresAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const { db, url } = await createScratchDatabase(adminUrl, name, { migrate: options.migrate !== false, maxConnections: 5 });
  return {
    db,
    url,
    async drop() {
      await db.destroy();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
