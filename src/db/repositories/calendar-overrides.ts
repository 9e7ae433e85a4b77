import type { Db } from '../database.js';
import { pageOf, type Page, type PageRequest } from '../page.js';
import type { CalendarOverrideRow } from '../../../db/schema.js';

export async function listCalendarOverrides(db: Db, range: { from?: string; to?: string } = {}): Promise<CalendarOverrideRow[]> {
  let query = db.selectFrom('calendar_overrides').selectAll().orderBy('date');
  if (range.from) query = query.where('date', '>=', range.from);
  if (range.to) query = query.where('date', '<=', range.to);
  return query.execute();
}

/** By date; the position is the date. */
export async function listCalendarOverridePage(db: Db, page: PageRequest<string>): Promise<Page<CalendarOverrideRow, string>> {
  let query = db.selectFrom('calendar_overrides').selectAll();
  if (page.after !== undefined) query = query.where('date', '>', page.after);
  const found = await query.orderBy('date').limit(page.limit + 1).execute();
  return pageOf(found, page.limit, (row) => row.date);
}

export async function upsertCalendarOverride(
  db: Db,
  override: Pick<CalendarOverrideRow, 'date' | 'kind' | 'note' | 'updated_by_key_id'>,
): Promise<CalendarOverrideRow> {
  return db
    .insertInto('calendar_overrides')
    .values(override)
    .onConflict((oc) =>
      oc.column('date').doUpdateSet({ kind: override.kind, note: override.note, updated_by_key_id: override.updated_by_key_id, updated_at: new Date() }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** True when a row was deleted. */
export async function deleteCalendarOverride(db: Db, date: string): Promise<boolean> {
  const result = await db.deleteFrom('calendar_overrides').where('date', '=', date).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
