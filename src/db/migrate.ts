import { Migrator, type MigrationResult } from 'kysely';
import { migrations } from '../../db/migrations/index.js';
import type { Db } from './database.js';

export class MigrationFailed extends Error {
  constructor(readonly results: MigrationResult[], cause: unknown) {
    super(`migration failed: ${results.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'}`, { cause });
    this.name = 'MigrationFailed';
  }
}

/**
 * Brings the schema to the latest migration. Idempotent, and safe when several processes
 * start at once: Kysely serialises migrators on a lock table.
 */
export async function migrateToLatest(db: Db): Promise<MigrationResult[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) throw new MigrationFailed(results, error);
  return results;
}
