import { describe, expect, it } from 'vitest';
import { businessCalendar } from './business-calendar.js';
import { kstInstant } from './kst.js';
import { missedSlots, missedSlotWindow, slotsBetween } from './missed-slots.js';
import { defaultTimetable } from './timetable.js';

const calendar = businessCalendar();

describe('missed slots', () => {
  it('lists the timetable slots in [from, to), across days and by day type', () => {
    // Friday evening to Monday morning: Saturday has no slots, Sunday has its own row.
    const slots = slotsBetween(kstInstant('2026-11-27', '20:10'), kstInstant('2026-11-30', '08:30'), defaultTimetable, calendar);
    expect(slots).toEqual([
      kstInstant('2026-11-27', '20:10'),
      kstInstant('2026-11-27', '20:30'),
      ...defaultTimetable.sunday_holiday.map((time) => kstInstant('2026-11-29', time)),
      kstInstant('2026-11-30', '08:10'),
    ]);
    expect(slotsBetween(kstInstant('2026-11-30', '09:00'), kstInstant('2026-11-30', '09:00'), defaultTimetable, calendar)).toEqual([]);
  });

  it('a public holiday takes the Sunday/holiday row', () => {
    // 2026-12-25 (Friday) is Christmas.
    expect(slotsBetween(kstInstant('2026-12-25'), kstInstant('2026-12-26'), defaultTimetable, calendar)).toEqual(defaultTimetable.sunday_holiday.map((time) => kstInstant('2026-12-25', time)));
  });

  it('keeps the slots no run served, by exact instant', () => {
    const expected = ['09:10', '09:30', '10:10'].map((time) => kstInstant('2026-11-30', time));
    expect(missedSlots(expected, [expected[1]!, kstInstant('2026-11-30', '09:31')])).toEqual([expected[0], expected[2]]);
    expect(missedSlots(expected, expected.map((slot) => new Date(slot.getTime())))).toEqual([]);
  });

  it('looks back from the latest of the look-back, the link start and the last change, up to the grace period', () => {
    const now = kstInstant('2026-11-30', '18:00');
    const base = { now, lookbackMs: 24 * 3600_000, graceMs: 10 * 60_000, linkStartAt: kstInstant('2026-11-01'), lastChangedAt: kstInstant('2026-11-02') };
    expect(missedSlotWindow(base)).toEqual({ from: kstInstant('2026-11-29', '18:00'), to: kstInstant('2026-11-30', '17:50') });
    expect(missedSlotWindow({ ...base, lastChangedAt: kstInstant('2026-11-30', '12:00') }).from).toEqual(kstInstant('2026-11-30', '12:00'));
    expect(missedSlotWindow({ ...base, linkStartAt: kstInstant('2026-11-30') }).from).toEqual(kstInstant('2026-11-30'));
  });
});
