import type { CalendarOverrideRow } from '../../../db/schema.js';
import { listCalendarOverridePage } from '../../db/repositories/calendar-overrides.js';
import { dayType, slotsOn } from '../../domain/business-calendar.js';
import { addDays, datesBetween, daysBetween, kstTimeZone, toKstIso } from '../../domain/kst.js';
import { loadCalendarInputs } from '../../schedules/inputs.js';
import { removeCalendarOverride, setCalendarOverride } from '../../services/business-calendar.js';
import { assertAdmin } from '../lib/auth.js';
import { createRouter } from '../lib/router.js';
import { deleteOverride, getCalendar, listOverrides, maxCalendarDays, overridePaging, putOverride } from './calendar.routes.js';

const toOverride = (row: CalendarOverrideRow) => ({ date: row.date, kind: row.kind, note: row.note, updatedAt: row.updated_at.toISOString() });

export const calendarRouter = createRouter()
  .openapi(getCalendar, async (c) => {
    const { from, to } = c.req.valid('query');
    const { timetable, calendar, timetableVersion } = await loadCalendarInputs(c.get('deps').db);
    // Counted in days, not compared as strings: `from + 366` may be past year 9999.
    const rangeDays = daysBetween(from, to);
    const end = addDays(from, Math.min(rangeDays, maxCalendarDays - 1));
    const days = datesBetween(from, end).map((date) => {
      const override = calendar.overrides.get(date);
      return {
        date,
        dayType: dayType(date, calendar),
        holidayNames: [...(calendar.holidays.get(date) ?? [])],
        override: override ? { kind: override.kind, note: override.note } : null,
        slots: slotsOn(date, timetable, calendar).map((slot) => toKstIso(slot).slice(11, 16)),
      };
    });
    return c.json({ timezone: kstTimeZone, timetableVersion, days, nextFrom: rangeDays >= maxCalendarDays ? addDays(end, 1) : null }, 200);
  })
  .openapi(listOverrides, async (c) => {
    assertAdmin(c.get('principal'));
    const { cursor, limit } = c.req.valid('query');
    return c.json(overridePaging.body(await listCalendarOverridePage(c.get('deps').db, { after: cursor, limit }), toOverride), 200);
  })
  .openapi(putOverride, async (c) => {
    const principal = c.get('principal');
    assertAdmin(principal);
    const set = await setCalendarOverride({ ...c.get('deps'), log: c.get('log') }, principal.keyId, { date: c.req.valid('param').date, ...c.req.valid('json') });
    return c.json({ ...toOverride(set.override), schedules: set.schedules }, 200);
  })
  .openapi(deleteOverride, async (c) => {
    assertAdmin(c.get('principal'));
    const { date } = c.req.valid('param');
    const removed = await removeCalendarOverride({ ...c.get('deps'), log: c.get('log') }, date);
    return c.json({ date, schedules: removed.schedules }, 200);
  });
