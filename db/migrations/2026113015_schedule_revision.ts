import { type Kysely } from 'kysely';

/**
 * Issue 16 (config API under load): the revision of the schedules the last successful sync put on
 * Temporal, beside `schedule_state`. When it equals the revision the link's stored settings give,
 * Temporal is known to hold exactly those schedules, so the status read and a config change that
 * leaves the schedules as they are need not ask Temporal. Null until the next sync writes it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mall_links').addColumn('schedule_revision', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mall_links').dropColumn('schedule_revision').execute();
}
