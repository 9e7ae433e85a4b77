import { slotsOn, type BusinessCalendar } from './business-calendar.js';
import { addDays, kstDate } from './kst.js';
import type { Timetable } from './timetable.js';

/**
 * Missed slots: timetable slots that passed with no run serving them. A run serves the slot it
 * records (its `SlotAt`, else the schedule's nominal start time), so a late, retried or
 * backfilled run covers its own slot and nothing else.
 */

/** The timetable's slots in [from, to), ascending. */
export function slotsBetween(from: Date, to: Date, timetable: Timetable, calendar: BusinessCalendar): Date[] {
  const slots: Date[] = [];
  if (from >= to) return slots;
  for (let date = kstDate(from); date <= kstDate(to); date = addDays(date, 1)) {
    for (const slot of slotsOn(date, timetable, calendar)) if (slot >= from && slot < to) slots.push(slot);
  }
  return slots;
}

/** The expected slots no run served, ascending. */
export function missedSlots(expected: readonly Date[], served: Iterable<Date>): Date[] {
  const servedTimes = new Set<number>();
  for (const slot of served) servedTimes.add(slot.getTime());
  return expected.filter((slot) => !servedTimes.has(slot.getTime()));
}

export interface MissedSlotWindowInput {
  now: Date;
  /** How far back to look. */
  lookbackMs: number;
  /** A slot younger than this may still be starting (visibility lags); it is not missed yet. */
  graceMs: number;
  /** Nothing runs before the link start date's 00:00 (KST). */
  linkStartAt: Date;
  /** The last configuration or authorization change: slots before it ran under other settings. */
  lastChangedAt: Date;
}

/** Where missed slots of an active link are looked for: [from, to). */
export function missedSlotWindow(input: MissedSlotWindowInput): { from: Date; to: Date } {
  const from = Math.max(input.now.getTime() - input.lookbackMs, input.linkStartAt.getTime(), input.lastChangedAt.getTime());
  return { from: new Date(from), to: new Date(input.now.getTime() - input.graceMs) };
}
