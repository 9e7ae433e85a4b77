import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../../../src/db/database.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import { migrations } from '../../../db/migrations/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

const migrationNames = readdirSync(fileURLToPath(new URL('../../../db/migrations', import.meta.url)))
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

describe('migrations on real PostgreSQL', () => {
  it('lists every migration file in db/migrations/index.ts', () => {
    expect(Object.keys(migrations).sort()).toEqual(migrationNames);
  });

  let database: TestDatabase | undefined;
  afterEach(async () => database?.drop());

  it('applies every migration in name order to an empty database', async () => {
    database = await createTestDatabase({ migrate: false });
    const results = await migrateToLatest(database.db);
    expect(results.map((r) => r.migrationName)).toEqual(migrationNames);
    expect(results.every((r) => r.status === 'Success')).toBe(true);

    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name
    `.execute(database.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['api_keys', 'mall_links', 'mall_link_shops', 'audit_log']));
  });

  it('is idempotent: a second run applies nothing', async () => {
    database = await createTestDatabase();
    expect(await migrateToLatest(database.db)).toEqual([]);
  });

  it('is safe when two processes migrate at the same moment', async () => {
    database = await createTestDatabase({ migrate: false });
    // A second pool stands in for a second process: separate connections racing for the lock.
    const other = createDb(database.url, { maxConnections: 2 });
    try {
      const [first, second] = await Promise.all([migrateToLatest(database.db), migrateToLatest(other)]);
      // Exactly one of them applied the migrations; the other found nothing left to do.
      expect([first.length, second.length].sort()).toEqual([0, migrationNames.length]);
    } finally {
      await other.destroy();
    }
  });
});
