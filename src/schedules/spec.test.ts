import { y2027 } from '@hyunbinseo/holidays-kr/all';
import { MONTHS, ScheduleOverlapPolicy, type CalendarSpec } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { businessCalendar, koreanPublicHolidays } from '../domain/business-calendar.js';
import { weekday } from '../domain/kst.js';
import { defaultTimetable } from '../domain/timetable.js';
import { buildLinkSchedules, buildScheduleSpec, pauseReason, timeGroups } from './spec.js';

const now = new Date('2026-11-30T03:00:00Z');
const spec = buildScheduleSpec({ timetable: defaultTimetable, calendar: businessCalendar(), startDate: '2026-12-01', now });

/** The HH:MM times one calendar entry matches (every hour × minute). */
const times = (entry: CalendarSpec) =>
  (entry.hour as number[]).flatMap((h) => (entry.minute as number[]).map((m) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`));
const on = (entries: CalendarSpec[] | undefined, date: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return (entries ?? []).filter((e) => e.year === y && e.month === MONTHS[m! - 1] && e.dayOfMonth === d);
};
const holidayDatesInHorizon = [...koreanPublicHolidays.keys()].filter((date) => date >= '2026-12-01' && date <= '2027-12-31');
const sorted = (list: string[]) => [...list].sort();

describe('buildScheduleSpec', () => {
  it('sets the field names the server reads: timezone (not timezoneName), jitter 0, startAt at 00:00 KST of the start date', () => {
    expect(spec.timezone).toBe('Asia/Seoul');
    expect(spec).not.toHaveProperty('timezoneName');
    expect(spec.jitter).toBe(0);
    expect(spec.startAt).toEqual(new Date('2026-12-01T00:00:00+09:00'));
  });

  it('business slots recur Monday–Friday, Sunday slots on Sundays, nothing on Saturdays', () => {
    const recurring = (spec.calendars ?? []).filter((e) => e.year === undefined);
    const business = recurring.filter((e) => JSON.stringify(e.dayOfWeek) === JSON.stringify({ start: 'MONDAY', end: 'FRIDAY' }));
    expect(sorted(business.flatMap(times))).toEqual(defaultTimetable.business);
    expect(sorted(recurring.filter((e) => e.dayOfWeek === 'SUNDAY').flatMap(times))).toEqual(defaultTimetable.sunday_holiday);
    expect(recurring.filter((e) => e.dayOfWeek === 'SATURDAY')).toEqual([]);
    expect(recurring).toHaveLength(business.length + recurring.filter((e) => e.dayOfWeek === 'SUNDAY').length);
  });

  it('each weekday holiday of the horizon skips every business slot the holiday row lacks and adds the holiday-only slots', () => {
    const weekdayHolidays = holidayDatesInHorizon.filter((date) => weekday(date) >= 1 && weekday(date) <= 5);
    expect(weekdayHolidays.length).toBeGreaterThan(10);
    const holidayRow = new Set(defaultTimetable.sunday_holiday);
    for (const date of weekdayHolidays) {
      expect(sorted(on(spec.skip, date).flatMap(times)), date).toEqual(defaultTimetable.business.filter((t) => !holidayRow.has(t)));
      expect(sorted(on(spec.calendars, date).flatMap(times)), date).toEqual(defaultTimetable.sunday_holiday.filter((t) => !defaultTimetable.business.includes(t)));
    }
  });

  it('a Saturday holiday gets the whole holiday row as dated calendars and no skip', () => {
    const saturdayHoliday = Object.keys(y2027).find((date) => weekday(date) === 6)!;
    expect(saturdayHoliday).toBeDefined();
    expect(on(spec.skip, saturdayHoliday)).toEqual([]);
    expect(sorted(on(spec.calendars, saturdayHoliday).flatMap(times))).toEqual(defaultTimetable.sunday_holiday);
    expect(on(spec.calendars, saturdayHoliday)[0]).toMatchObject({ year: 2027, month: MONTHS[Number(saturdayHoliday.slice(5, 7)) - 1] });
  });

  it('a day that keeps no slot is skipped whole: hour and minute "*" (the default 0 would skip only 00:00)', () => {
    const closed = buildScheduleSpec({
      timetable: { ...defaultTimetable, sunday_holiday: [] },
      calendar: businessCalendar([{ date: '2026-12-15', kind: 'holiday', note: 'stocktaking' }]),
      startDate: '2026-12-01',
      now,
    });
    expect(on(closed.skip, '2026-12-15')).toEqual([
      { year: 2026, month: 'DECEMBER', dayOfMonth: 15, hour: '*', minute: '*', comment: '2026-12-15 sunday_holiday: stocktaking' },
    ]);
  });

  it('a business-day override on a holiday writes nothing for that date; dates before the start date are left out', () => {
    const holiday = holidayDatesInHorizon.find((date) => weekday(date) >= 1 && weekday(date) <= 5)!;
    const open = buildScheduleSpec({
      timetable: defaultTimetable,
      calendar: businessCalendar([{ date: holiday, kind: 'business_day', note: 'open' }]),
      startDate: '2026-12-01',
      now,
    });
    expect(on(open.skip, holiday)).toEqual([]);
    expect(on(open.calendars, holiday)).toEqual([]);
    expect(on(spec.skip, '2026-10-05')).toEqual([]);
  });

  it('timeGroups packs hours sharing minutes into one entry without inventing times', () => {
    expect(timeGroups(['08:10', '08:30', '14:40', '09:10', '09:30'])).toEqual([
      { hour: [8, 9], minute: [10, 30] },
      { hour: [14], minute: [40] },
    ]);
  });
});

describe('buildLinkSchedules', () => {
  const link = {
    id: '3f1c2b9e-8d4a-4c55-9b1e-6a2f0c7d8e91',
    mall_id: 'demomall',
    cst_cd: 'CST001',
    enabled: true,
    collection_method: 'auto' as const,
    cafe24_auth_status: 'authorized' as const,
    link_start_date: '2026-12-01',
  };
  const settings = { taskQueue: 'cafe24-fms-link', catchupWindowMs: 600_000 };

  it('builds collect-orders and sync-invoices with the workflow type by name, args, ids, summary and search attributes', () => {
    const [collect, invoices] = buildLinkSchedules(link, spec, settings);
    expect(collect).toMatchObject({
      scheduleId: `collect-orders:${link.id}`,
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: 'collectOrders',
        workflowId: `collect-orders:${link.id}`,
        taskQueue: 'cafe24-fms-link',
        args: [{ mallLinkId: link.id, attributesSetAtStart: true }],
        staticSummary: '카페24 demomall · 주문수집',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 600_000, pauseOnFailure: false },
      state: { paused: false },
    });
    const pairs = collect!.action.typedSearchAttributes as SearchAttributePair[];
    const attributes = Object.fromEntries(pairs.map((pair) => [pair.key.name, pair.value]));
    expect(attributes).toEqual({ MallId: 'demomall', CstCd: 'CST001', Trigger: 'schedule' });
    expect(invoices).toMatchObject({
      scheduleId: `sync-invoices:${link.id}`,
      action: { workflowType: 'syncInvoices', workflowId: `sync-invoices:${link.id}`, staticSummary: '카페24 demomall · 송장등록' },
    });
  });

  it('pauses with a note naming every reason', () => {
    expect(pauseReason(link)).toBeUndefined();
    const note = pauseReason({ enabled: false, collection_method: 'manual', cafe24_auth_status: 'reauth_required' });
    expect(note).toContain('link disabled');
    expect(note).toContain('manual collection');
    expect(note).toContain('cafe24_auth_status=reauth_required');
    const [collect] = buildLinkSchedules({ ...link, cafe24_auth_status: 'not_installed' }, spec, settings);
    expect(collect!.state).toEqual({ paused: true, note: pauseReason({ ...link, cafe24_auth_status: 'not_installed' }) });
  });
});
