import { businessCalendar, type BusinessCalendar } from '../domain/business-calendar.js';
import { normaliseTimetable, type Timetable } from '../domain/timetable.js';
import type { Db } from '../db/database.js';
import { listCalendarOverrides } from '../db/repositories/calendar-overrides.js';
import { currentTimetable } from '../db/repositories/timetable.js';

export interface CalendarInputs {
  /** Equal for equal inputs: what memos of things built from them are keyed by. */
  fingerprint: string;
  timetableVersion: number;
  timetable: Timetable;
  calendar: BusinessCalendar;
}

/** The timetable in force and the business calendar with every override, as PostgreSQL holds them now. */
export async function loadCalendarInputs(db: Db): Promise<CalendarInputs> {
  const [timetable, overrides] = await Promise.all([currentTimetable(db), listCalendarOverrides(db)]);
  return {
    fingerprint: JSON.stringify([timetable.version, timetable.slots, overrides]),
    timetableVersion: timetable.version,
    timetable: normaliseTimetable(timetable.slots),
    calendar: businessCalendar(overrides),
  };
}
