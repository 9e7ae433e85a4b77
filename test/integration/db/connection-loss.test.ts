import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

describe('createDb: a connection lost while in use', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => database?.drop());

  it('fails the work using it, not the process, and the next query gets a fresh connection', async () => {
    // The backend ends under a checked-out client (as on a PostgreSQL restart mid-transaction).
    const lost = database.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      await sql`select pg_terminate_backend(pg_backend_pid())`.execute(trx);
    });
    await expect(lost).rejects.toThrow(/terminat/i);
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
    expect(rows).toEqual([{ one: 1 }]);
  });
});
