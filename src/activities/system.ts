import { sql } from 'kysely';
import type { Db } from '../db/database.js';

export interface SystemActivityDeps {
  db: Db;
}

export interface DatabaseCheck {
  /** Name of the newest applied migration, or null on an empty schema. */
  schemaVersion: string | null;
  serverTime: string;
}

export function createSystemActivities({ db }: SystemActivityDeps) {
  return {
    /** Proves the worker reaches PostgreSQL with a migrated schema. */
    async checkDatabase(): Promise<DatabaseCheck> {
      const row = await sql<{ name: string | null; now: Date }>`
        select (select name from kysely_migration order by name desc limit 1) as name, now() as now
      `.execute(db);
      const first = row.rows[0];
      return { schemaVersion: first?.name ?? null, serverTime: (first?.now ?? new Date()).toISOString() };
    },
  };
}
