import { sql, type Kysely } from 'kysely';

/**
 * Alerts (issue 14): one row per problem an operator must see — opened once by the periodic
 * evaluation (or at once, for a rejected Cafe24 refresh), closed by itself when the condition
 * clears. At most one open alert per kind, link and subject. The webhook columns are the outbox:
 * a set `*_notified_at` means the signed POST for that event was delivered.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    // Null for system-wide alerts (holiday data); no foreign key: the record outlives a deleted link.
    .addColumn('mall_link_id', 'uuid')
    // What within the link the alert is about (a job, a workflow type, a year); '' when nothing finer.
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'closed')`))
    .addColumn('since', 'timestamptz', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('opened_notified_at', 'timestamptz')
    .addColumn('closed_notified_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index alerts_one_open_idx on alerts (kind, coalesce(mall_link_id, '00000000-0000-0000-0000-000000000000'::uuid), subject) where status = 'open'`.execute(db);
  await db.schema.createIndex('alerts_link_idx').on('alerts').columns(['mall_link_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('alerts').execute();
}
