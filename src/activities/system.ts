import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { SystemActivities } from '../temporal/system.js';

export interface SystemActivityDeps {
  db: Db;
}

export function createSystemActivities({ db }: SystemActivityDeps): SystemActivities {
  return {
    async checkDatabase() {
      const row = await sql<{ name: string | null; now: Date }>`
        select (select name from kysely_migration order by name desc limit 1) as name, now() as now
      `.execute(db);
      const first = row.rows[0];
      return { schemaVersion: first?.name ?? null, serverTime: (first?.now ?? new Date()).toISOString() };
    },
  };
}
