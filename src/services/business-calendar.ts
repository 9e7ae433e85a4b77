import type { CalendarOverrideRow, TimetableVersionRow } from '../../db/schema.js';
import type { Db } from '../db/database.js';
import { deleteCalendarOverride, upsertCalendarOverride } from '../db/repositories/calendar-overrides.js';
import { insertTimetableVersion } from '../db/repositories/timetable.js';
import { normaliseTimetable, type Timetable } from '../domain/timetable.js';
import type { Logger } from '../logger.js';
import type { ScheduleSync } from '../schedules/schedule-sync.js';
import { syncEveryLink } from '../schedules/temporal-schedule-sync.js';
import { NotFoundError } from './errors.js';

/**
 * Changes to the timetable and the business calendar. Each one touches every link's run times,
 * so every link's schedules are synced after the change is committed.
 */

export interface BusinessCalendarDeps {
  db: Db;
  schedules: ScheduleSync;
  log: Logger;
}

/** How the schedule sync after a change went, counted by link. */
export type ScheduleSyncCounts = { synced: number; pending: number };

/** Stores the timetable as its next version. */
export async function replaceTimetable(
  { db, schedules, log }: BusinessCalendarDeps,
  actorKeyId: string,
  slots: Timetable,
): Promise<{ timetable: TimetableVersionRow; schedules: ScheduleSyncCounts }> {
  const timetable = await insertTimetableVersion(db, normaliseTimetable(slots), actorKeyId);
  log.info({ version: timetable.version }, 'timetable replaced');
  return { timetable, schedules: await syncEveryLink(db, schedules) };
}

/** Makes the date a holiday or a business day, whatever the public calendar says. */
export async function setCalendarOverride(
  { db, schedules, log }: BusinessCalendarDeps,
  actorKeyId: string,
  override: Pick<CalendarOverrideRow, 'date' | 'kind' | 'note'>,
): Promise<{ override: CalendarOverrideRow; schedules: ScheduleSyncCounts }> {
  const row = await upsertCalendarOverride(db, { ...override, updated_by_key_id: actorKeyId });
  log.info({ date: override.date, kind: row.kind }, 'calendar override set');
  return { override: row, schedules: await syncEveryLink(db, schedules) };
}

/** Returns the date to the public calendar. Throws NotFoundError when it had no override. */
export async function removeCalendarOverride({ db, schedules, log }: BusinessCalendarDeps, date: string): Promise<{ schedules: ScheduleSyncCounts }> {
  if (!(await deleteCalendarOverride(db, date))) throw new NotFoundError(`calendar override on ${date}`);
  log.info({ date }, 'calendar override removed');
  return { schedules: await syncEveryLink(db, schedules) };
}
