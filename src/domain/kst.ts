import { parseSlotTime } from './timetable.js';

/**
 * Korean time without Intl or a time-zone database, so workflow code may use it too: Korea has had
 * no DST since 1988, so KST is always UTC+9. Dates are 'YYYY-MM-DD' strings in KST.
 */
const kstOffsetMs = 9 * 60 * 60 * 1000;

/** The KST calendar date of an instant. */
export function kstDate(instant: Date): string {
  return new Date(instant.getTime() + kstOffsetMs).toISOString().slice(0, 10);
}

/** An instant as ISO 8601 in Korean time, e.g. 2026-12-01T08:10:00+09:00. */
export function toKstIso(instant: Date): string {
  return `${new Date(instant.getTime() + kstOffsetMs).toISOString().slice(0, 19)}+09:00`;
}

/** The instant of HH:MM on a KST date. */
export function kstInstant(date: string, time = '00:00'): Date {
  const [year, month, day] = date.split('-').map(Number);
  const { hour, minute } = parseSlotTime(time);
  return new Date(Date.UTC(year!, month! - 1, day!, hour, minute) - kstOffsetMs);
}
