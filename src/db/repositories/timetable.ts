import { sql } from 'kysely';
import type { Db } from '../database.js';
import type { TimetableVersionRow } from '../../../db/schema.js';
import type { Timetable } from '../../domain/timetable.js';

/** The timetable in force: the highest version. The migration seeds version 1. */
export async function currentTimetable(db: Db): Promise<TimetableVersionRow> {
  return db.selectFrom('timetable_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow();
}

/** Appends the next version; concurrent writers queue on the table lock instead of colliding. */
export async function insertTimetableVersion(db: Db, slots: Timetable, createdByKeyId: string | null): Promise<TimetableVersionRow> {
  return db.transaction().execute(async (trx) => {
    await sql`lock table timetable_versions in exclusive mode`.execute(trx);
    const { latest } = await trx
      .selectFrom('timetable_versions')
      .select((eb) => eb.fn.max('version').as('latest'))
      .executeTakeFirstOrThrow();
    return trx
      .insertInto('timetable_versions')
      .values({ version: (latest ?? 0) + 1, slots: JSON.stringify(slots), created_by_key_id: createdByKeyId })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
