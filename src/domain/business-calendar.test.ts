import { y2026, y2027 } from '@hyunbinseo/holidays-kr/all';
import { describe, expect, it } from 'vitest';
import { businessCalendar, dayType, lastSlotAtOrBefore, nextSlots, slotsOn } from './business-calendar.js';
import { addDays, kstDate, kstInstant, toKstIso, weekday } from './kst.js';
import { defaultTimetable } from './timetable.js';

// Expected holiday dates come from the package's own data, looked up by official name.
const datesNamed = (year: Record<string, readonly string[]>, test: (name: string) => boolean) =>
  Object.entries(year)
    .filter(([, names]) => names.some(test))
    .map(([date]) => date);
const isWeekday = (date: string) => weekday(date) >= 1 && weekday(date) <= 5;

const calendar = businessCalendar();
const kstTimes = (slots: Date[]) => slots.map((slot) => toKstIso(slot).slice(11, 16));
const dateOf = (holidays: string[], what: string) => {
  const date = holidays[0];
  if (!date) throw new Error(`the package has no ${what}`);
  return date;
};

const substituteHoliday = dateOf(datesNamed(y2026, (n) => n.startsWith('대체공휴일')).filter(isWeekday), 'weekday substitute holiday in 2026');
const weekdayHoliday = dateOf(datesNamed(y2026, (n) => !n.startsWith('대체공휴일')).filter(isWeekday), 'weekday holiday in 2026');
const newYearsDay = dateOf(datesNamed(y2027, (n) => n === '1월 1일'), "New Year's Day 2027");
const chuseok = datesNamed(y2026, (n) => n.startsWith('추석'));
const seollal = datesNamed(y2027, (n) => n.startsWith('설날'));
const allHolidays = new Set([...Object.keys(y2026), ...Object.keys(y2027)]);
// A plain Monday–Friday, Saturday and Sunday of 2026 that are not holidays.
const firstFrom = (start: string, day: number) => {
  for (let date = start; ; date = addDays(date, 1)) {
    if (weekday(date) === day && !allHolidays.has(date)) return date;
  }
};
const businessDay = firstFrom('2026-11-30', 2);
const saturday = firstFrom('2026-11-30', 6);
const sunday = firstFrom('2026-11-30', 0);

describe('dayType and slotsOn', () => {
  it('a plain weekday is a business day with the business row', () => {
    expect(dayType(businessDay, calendar)).toBe('business');
    expect(kstTimes(slotsOn(businessDay, defaultTimetable, calendar))).toEqual(defaultTimetable.business);
  });

  it('a weekday public holiday takes the Sunday/holiday row', () => {
    expect(isWeekday(weekdayHoliday)).toBe(true);
    expect(dayType(weekdayHoliday, calendar)).toBe('sunday_holiday');
    expect(kstTimes(slotsOn(weekdayHoliday, defaultTimetable, calendar))).toEqual(defaultTimetable.sunday_holiday);
  });

  it('a substitute holiday (대체공휴일) is a holiday', () => {
    expect(dayType(substituteHoliday, calendar)).toBe('sunday_holiday');
    expect(kstTimes(slotsOn(substituteHoliday, defaultTimetable, calendar))).toEqual(defaultTimetable.sunday_holiday);
  });

  it('a Saturday has no slots, a Sunday the Sunday/holiday row', () => {
    expect(dayType(saturday, calendar)).toBe('saturday');
    expect(slotsOn(saturday, defaultTimetable, calendar)).toEqual([]);
    expect(dayType(sunday, calendar)).toBe('sunday_holiday');
    expect(kstTimes(slotsOn(sunday, defaultTimetable, calendar))).toEqual(defaultTimetable.sunday_holiday);
  });

  it("New Year's Day is a holiday and its first slot is 00:10 KST", () => {
    expect(dayType(newYearsDay, calendar)).toBe('sunday_holiday');
    expect(slotsOn(newYearsDay, defaultTimetable, calendar)[0]).toEqual(new Date(`${newYearsDay}T00:10:00+09:00`));
  });

  it('every day of Chuseok and Seollal is a holiday, the Saturday among them too', () => {
    expect(chuseok.length).toBeGreaterThanOrEqual(3);
    expect(seollal.length).toBeGreaterThanOrEqual(3);
    for (const date of [...chuseok, ...seollal]) {
      expect(dayType(date, calendar), date).toBe('sunday_holiday');
      expect(kstTimes(slotsOn(date, defaultTimetable, calendar)), date).toEqual(defaultTimetable.sunday_holiday);
    }
  });

  it('overrides win over the holiday data and the weekday', () => {
    const withOverrides = businessCalendar([
      { date: weekdayHoliday, kind: 'business_day', note: 'warehouse open' },
      { date: businessDay, kind: 'holiday', note: 'stocktaking' },
    ]);
    expect(dayType(weekdayHoliday, withOverrides)).toBe('business');
    expect(dayType(businessDay, withOverrides)).toBe('sunday_holiday');
  });
});

describe('nextSlots', () => {
  it('continues strictly after `from`, across a Saturday into Sunday', () => {
    const friday = firstFrom('2026-11-30', 5);
    const from = kstInstant(friday, '20:10');
    const slots = nextSlots(from, 3, defaultTimetable, calendar);
    expect(slots.map(toKstIso)).toEqual([
      `${friday}T20:30:00+09:00`,
      `${kstDate(new Date(from.getTime() + 2 * 86_400_000))}T00:10:00+09:00`,
      `${kstDate(new Date(from.getTime() + 2 * 86_400_000))}T09:10:00+09:00`,
    ]);
  });

  it('spans a multi-day holiday with the holiday row', () => {
    const eve = dateOf(chuseok, 'Chuseok');
    const slots = nextSlots(kstInstant(eve), 9 * chuseok.length, defaultTimetable, calendar);
    expect(new Set(slots.map(kstDate))).toEqual(new Set(chuseok));
  });

  it('ends instead of looping when the timetable is empty', () => {
    expect(nextSlots(kstInstant(businessDay), 5, { business: [], saturday: [], sunday_holiday: [] }, calendar)).toEqual([]);
  });
});

describe('lastSlotAtOrBefore', () => {
  it('is the slot itself at a slot time, else the one before, back across a Saturday', () => {
    const friday = firstFrom('2026-11-30', 5);
    expect(lastSlotAtOrBefore(kstInstant(friday, '14:40'), defaultTimetable, calendar)).toEqual(kstInstant(friday, '14:40'));
    expect(lastSlotAtOrBefore(kstInstant(friday, '14:39'), defaultTimetable, calendar)).toEqual(kstInstant(friday, '14:30'));
    const saturdayNoon = kstInstant(addDays(friday, 1), '12:00');
    expect(lastSlotAtOrBefore(saturdayNoon, defaultTimetable, calendar)).toEqual(kstInstant(friday, '20:30'));
  });

  it('is null when no slot lies within the days it looks back', () => {
    expect(lastSlotAtOrBefore(kstInstant(businessDay), { business: [], saturday: [], sunday_holiday: [] }, calendar)).toBeNull();
  });
});
