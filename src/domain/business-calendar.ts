import * as gazetteHolidays from '@hyunbinseo/holidays-kr/all';
import { addDays, kstDate, kstInstant, weekday } from './kst.js';
import type { DayType, Timetable } from './timetable.js';

/**
 * The Korean business calendar in Asia/Seoul: public holidays (official gazette data from
 * @hyunbinseo/holidays-kr, substitute holidays included) plus operator overrides, and the
 * timetable slots that follow from them. Pure: dates are 'YYYY-MM-DD' strings in KST and
 * instants are Dates; nothing here reads a clock.
 */

export type OverrideKind = 'holiday' | 'business_day';

/** An operator's decision for one date, e.g. a one-off warehouse closure. */
export interface CalendarOverride {
  date: string;
  kind: OverrideKind;
  note: string;
}

export interface BusinessCalendar {
  /** Public holidays by date, with their official names. */
  holidays: ReadonlyMap<string, readonly string[]>;
  overrides: ReadonlyMap<string, CalendarOverride>;
}

/** Every public holiday the package knows, by date. */
export const koreanPublicHolidays: ReadonlyMap<string, readonly string[]> = new Map(
  Object.values(gazetteHolidays).flatMap((year) => Object.entries(year) as [string, readonly string[]][]),
);

/** Years the holiday data covers; outside them only weekdays and overrides count. */
export const holidayDataYears: ReadonlySet<number> = new Set([...koreanPublicHolidays.keys()].map((date) => Number(date.slice(0, 4))));

export function businessCalendar(overrides: readonly CalendarOverride[] = [], holidays = koreanPublicHolidays): BusinessCalendar {
  return { holidays, overrides: new Map(overrides.map((o) => [o.date, o])) };
}

/** The day type a date has by its weekday alone, before holidays and overrides. */
export function weekdayDayType(date: string): DayType {
  const day = weekday(date);
  if (day === 0) return 'sunday_holiday';
  if (day === 6) return 'saturday';
  return 'business';
}

/** An override wins; otherwise a public holiday takes the Sunday/holiday row whatever weekday it falls on. */
export function dayType(date: string, calendar: BusinessCalendar): DayType {
  const override = calendar.overrides.get(date);
  if (override) return override.kind === 'holiday' ? 'sunday_holiday' : 'business';
  if (calendar.holidays.has(date)) return 'sunday_holiday';
  return weekdayDayType(date);
}

/** The slot instants of one KST date, ascending. */
export function slotsOn(date: string, timetable: Timetable, calendar: BusinessCalendar): Date[] {
  return timetable[dayType(date, calendar)].map((time) => kstInstant(date, time));
}

/** The latest slot at or before `at`, looking back at most `maxDays` days; null when there is none. */
export function lastSlotAtOrBefore(at: Date, timetable: Timetable, calendar: BusinessCalendar, maxDays = 31): Date | null {
  let date = kstDate(at);
  for (let scanned = 0; scanned <= maxDays; scanned += 1, date = addDays(date, -1)) {
    const passed = slotsOn(date, timetable, calendar).filter((slot) => slot.getTime() <= at.getTime());
    if (passed.length > 0) return passed.at(-1)!;
  }
  return null;
}

/** Far enough to pass any realistic run of days without slots, bounded so an empty timetable ends. */
const maxDaysScanned = 800;

/** The next `count` slots strictly after `from`, ascending. Fewer when the timetable has none for long. */
export function nextSlots(from: Date, count: number, timetable: Timetable, calendar: BusinessCalendar): Date[] {
  const slots: Date[] = [];
  let date = kstDate(from);
  for (let scanned = 0; slots.length < count && scanned < maxDaysScanned; scanned += 1, date = addDays(date, 1)) {
    for (const slot of slotsOn(date, timetable, calendar)) {
      if (slot.getTime() > from.getTime() && slots.length < count) slots.push(slot);
    }
  }
  return slots;
}
