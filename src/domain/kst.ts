import { parseSlotTime } from './timetable.js';

/**
 * Korean time and calendar-date arithmetic, in one place. No Intl and no time-zone database, so
 * workflow code may use it too: Korea has had no DST since 1988, so KST is always UTC+9. Dates
 * are 'YYYY-MM-DD' strings in KST.
 */

/** The IANA zone every slot, schedule and date of this service is in (non-widening, for API literals). */
export const kstTimeZone = 'Asia/Seoul' as const;

const kstUtcOffset = '+09:00';
const kstOffsetMs = 9 * 60 * 60 * 1000;
/** One day in milliseconds (KST has no daylight saving time, so a KST day is always this long). */
export const dayMs = 24 * 60 * 60 * 1000;

/** The KST calendar date of an instant. */
export function kstDate(instant: Date): string {
  return new Date(instant.getTime() + kstOffsetMs).toISOString().slice(0, 10);
}

/** YYYYMMDD of an instant in KST. */
export function kstCompactDate(instant: Date): string {
  return kstDate(instant).replaceAll('-', '');
}

/**
 * YYYYMMDD of the KST day after the one `nowMs` falls on: where FMS look-ups end, so a clock a
 * little ahead of FMS's still finds what FMS dated today.
 */
export function kstCompactTomorrow(nowMs: number): string {
  return kstCompactDate(new Date(nowMs + dayMs));
}

/** An instant as ISO 8601 in Korean time, e.g. 2026-12-01T08:10:00+09:00. */
export function toKstIso(instant: Date): string {
  return `${new Date(instant.getTime() + kstOffsetMs).toISOString().slice(0, 19)}${kstUtcOffset}`;
}

/** '2026-12-01 14:40 KST' */
export function formatKst(instant: string): string {
  const kst = toKstIso(new Date(instant));
  return `${kst.slice(0, 10)} ${kst.slice(11, 16)} KST`;
}

/** The instant of HH:MM on a KST date. */
export function kstInstant(date: string, time = '00:00'): Date {
  const [year, month, day] = date.split('-').map(Number);
  const { hour, minute } = parseSlotTime(time);
  return new Date(Date.UTC(year!, month! - 1, day!, hour, minute) - kstOffsetMs);
}

/** An ISO 8601 timestamp; one without an offset (or Z) is KST wall-clock time. May be an invalid Date. */
export function readKstWallClock(value: string): Date {
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}${kstUtcOffset}`);
}

const utcMidnight = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** Whether a string is a real 'YYYY-MM-DD' date (not 2026-02-30 or 2026-13-01). */
export function isCalendarDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(utcMidnight(value)) && addDays(value, 0) === value;
}

export function addDays(date: string, days: number): string {
  return new Date(utcMidnight(date) + days * dayMs).toISOString().slice(0, 10);
}

export function addMonths(date: string, months: number): string {
  const moved = new Date(utcMidnight(date));
  moved.setUTCMonth(moved.getUTCMonth() + months);
  return moved.toISOString().slice(0, 10);
}

export const daysBetween = (from: string, to: string) => Math.round((utcMidnight(to) - utcMidnight(from)) / dayMs);

/** Each date from `from` to `to` inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) dates.push(date);
  return dates;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(utcMidnight(date)).getUTCDay();
}
