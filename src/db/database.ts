import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../../db/schema.js';

export type { Database };
export type Db = Kysely<Database>;

// DATE stays a 'YYYY-MM-DD' string: a JS Date would shift it by the process time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// COUNT(*) and BIGSERIAL arrive as int8; our counts fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function createDb(databaseUrl: string, options: { maxConnections?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.maxConnections ?? 10 });
  // An idle client whose connection the server ends (restart, shutdown) is dropped from the pool
  // and the next query opens a fresh one; unheard, the pool's 'error' event would end the process.
  pool.on('error', () => {});
  // The pool listens only to idle clients: a client in use whose server goes away (restart,
  // terminated backend) emits 'error' unheard and that would end the process too. The query or
  // transaction using it still fails, and the pool drops the client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
