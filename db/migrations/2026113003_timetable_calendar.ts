import { sql, type Kysely } from 'kysely';

// The FMS guide's timetable (DESIGN.md §3) as it stood when this migration was written; later
// changes are new versions written through PUT /v1/timetable, never edits of this file.
const initialTimetable = {
  business: [
    '08:10', '08:30', '09:10', '09:30', '10:10', '10:30', '12:10', '12:30', '13:10', '13:30', '14:10', '14:30', '14:40',
    '15:10', '15:30', '15:40', '16:10', '16:30', '16:40', '17:10', '17:30', '17:40', '18:10', '18:30', '20:10', '20:30',
  ],
  saturday: [],
  sunday_holiday: ['00:10', '09:10', '10:10', '12:10', '13:10', '14:10', '15:10', '16:10', '17:10'],
};

export async function up(db: Kysely<any>): Promise<void> {
  // Append-only: the row with the highest version is the timetable in force.
  await db.schema
    .createTable('timetable_versions')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('slots', 'jsonb', (c) => c.notNull())
    .addColumn('created_by_key_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.insertInto('timetable_versions').values({ version: 1, slots: JSON.stringify(initialTimetable) }).execute();

  await db.schema
    .createTable('calendar_overrides')
    .addColumn('date', 'date', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday', 'business_day')`))
    .addColumn('note', 'text', (c) => c.notNull().check(sql`length(note) > 0`))
    .addColumn('updated_by_key_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calendar_overrides').execute();
  await db.schema.dropTable('timetable_versions').execute();
}
