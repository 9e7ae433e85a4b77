import { describe, expect, it } from 'vitest';
import { addDays, addMonths, datesBetween, daysBetween, formatKst, isCalendarDate, kstCompactDate, kstDate, kstInstant, readKstWallClock, toKstIso } from './kst.js';

describe('KST', () => {
  it('dates roll over at 15:00 UTC', () => {
    expect(kstDate(new Date('2026-12-31T14:59:59Z'))).toBe('2026-12-31');
    expect(kstCompactDate(new Date('2026-12-31T14:59:59Z'))).toBe('20261231');
    expect(kstCompactDate(new Date('2026-12-31T15:00:00Z'))).toBe('20270101');
  });

  it('formats instants in KST, crossing midnight', () => {
    expect(toKstIso(new Date('2026-11-30T15:10:00.000Z'))).toBe('2026-12-01T00:10:00+09:00');
    expect(formatKst('2026-12-01T05:40:00.000Z')).toBe('2026-12-01 14:40 KST');
    expect(formatKst('2026-11-30T15:10:00.000Z')).toBe('2026-12-01 00:10 KST');
  });

  it('finds the instant of a KST wall-clock time', () => {
    expect(kstInstant('2026-12-01', '00:10').toISOString()).toBe('2026-11-30T15:10:00.000Z');
    expect(readKstWallClock('2026-12-01T00:10:00').toISOString()).toBe('2026-11-30T15:10:00.000Z');
    expect(readKstWallClock('2026-12-01T00:10:00Z').toISOString()).toBe('2026-12-01T00:10:00.000Z');
    expect(readKstWallClock('2026-12-01T00:10:00+00:00').toISOString()).toBe('2026-12-01T00:10:00.000Z');
    expect(Number.isNaN(readKstWallClock('soon').getTime())).toBe(true);
  });

  it('counts calendar days and months', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addMonths('2026-01-15', 3)).toBe('2026-04-15');
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(3);
    expect(datesBetween('2026-12-30', '2027-01-01')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01']);
    expect(datesBetween('2027-01-01', '2026-12-30')).toEqual([]);
  });

  it('knows real calendar dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    for (const value of ['2027-02-29', '2026-02-30', '2026-13-01', '2026-13-45', '2026-00-10', '2026/12/01', '20261201', '']) expect(isCalendarDate(value), value).toBe(false);
  });
});
