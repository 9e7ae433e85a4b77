import { sql, type Kysely } from 'kysely';

// Cafe24 OAuth: the token pair per mall link (encrypted at rest) and the single-use install states.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cafe24_tokens')
    .addColumn('mall_link_id', 'uuid', (c) => c.primaryKey().references('mall_links.id').onDelete('cascade'))
    .addColumn('mall_id', 'text', (c) => c.notNull())
    .addColumn('access_token_enc', 'text', (c) => c.notNull())
    .addColumn('access_token_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('refresh_token_enc', 'text', (c) => c.notNull())
    .addColumn('refresh_token_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('refreshed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('cafe24_tokens_refresh_expiry_idx').on('cafe24_tokens').column('refresh_token_expires_at').execute();

  await db.schema
    .createTable('cafe24_oauth_states')
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('mall_link_id', 'uuid', (c) => c.notNull().references('mall_links.id').onDelete('cascade'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('cafe24_oauth_states_expiry_idx').on('cafe24_oauth_states').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cafe24_oauth_states').execute();
  await db.schema.dropTable('cafe24_tokens').execute();
}
