import { addDays, addMonths, daysBetween, kstDate } from './kst.js';

/**
 * Calendar-day windows (`YYYY-MM-DD`, both ends inclusive) for paging Cafe24 orders: Cafe24
 * accepts at most 3 months per query, and a window with too many rows is halved.
 */

export interface DayWindow {
  from: string;
  to: string;
}

/** The KST calendar days that cover the instants [from, to]. */
export function kstDayWindow(from: Date, to: Date): DayWindow {
  return { from: kstDate(from), to: kstDate(to) };
}

/** [from, to] cut into consecutive windows no longer than `maxMonths` each. */
export function splitByMonths(window: DayWindow, maxMonths: number): DayWindow[] {
  if (window.to < window.from) throw new RangeError(`window ends (${window.to}) before it starts (${window.from})`);
  const windows: DayWindow[] = [];
  let from = window.from;
  while (from <= window.to) {
    const limit = addDays(addMonths(from, maxMonths), -1);
    const to = limit < window.to ? limit : window.to;
    windows.push({ from, to });
    from = addDays(to, 1);
  }
  return windows;
}

/** The two halves of a window, or null for a single day (which cannot be split by date). */
export function halve(window: DayWindow): [DayWindow, DayWindow] | null {
  const span = daysBetween(window.from, window.to);
  if (span === 0) return null;
  const middle = addDays(window.from, Math.floor(span / 2));
  return [
    { from: window.from, to: middle },
    { from: addDays(middle, 1), to: window.to },
  ];
}
