/**
 * The FMS timetable (주문 연동 시각): which HH:MM slots, in Asia/Seoul, each day type runs at.
 * Kept as data (DESIGN.md §3): the guide's table lost two row labels, so the reading must be
 * changeable without code.
 */

export const dayTypes = ['business', 'saturday', 'sunday_holiday'] as const;
export type DayType = (typeof dayTypes)[number];

/** Slot times per day type, each list sorted ascending, 'HH:MM' in Korean time. */
export type Timetable = Readonly<Record<DayType, readonly string[]>>;

export const defaultTimetable: Timetable = {
  business: [
    '08:10', '08:30', '09:10', '09:30', '10:10', '10:30', '12:10', '12:30', '13:10', '13:30', '14:10', '14:30', '14:40',
    '15:10', '15:30', '15:40', '16:10', '16:30', '16:40', '17:10', '17:30', '17:40', '18:10', '18:30', '20:10', '20:30',
  ],
  saturday: [],
  sunday_holiday: ['00:10', '09:10', '10:10', '12:10', '13:10', '14:10', '15:10', '16:10', '17:10'],
};

export const slotTimePattern = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The same timetable with every list sorted, so equal timetables compare and hash equal. */
export function normaliseTimetable(timetable: Record<DayType, readonly string[]>): Timetable {
  return {
    business: [...timetable.business].sort(),
    saturday: [...timetable.saturday].sort(),
    sunday_holiday: [...timetable.sunday_holiday].sort(),
  };
}

export function parseSlotTime(time: string): { hour: number; minute: number } {
  const [hour, minute] = time.split(':').map(Number);
  return { hour: hour!, minute: minute! };
}
