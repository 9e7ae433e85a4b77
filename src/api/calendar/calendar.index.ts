import type { CalendarOverrideRow } from '../../../db/schema.js';
import { deleteCalendarOverride, listCalendarOverridePage, upsertCalendarOverride } from '../../db/repositories/calendar-overrides.js';
import { dayType, slotsOn } from '../../domain/business-calendar.js';
import { datesBetween, kstTimeZone, toKstIso } from '../../domain/kst.js';
import { loadCalendarInputs } from '../../schedules/inputs.js';
import { syncEveryLink } from '../../schedules/temporal-schedule-sync.js';
import { assertAdmin } from '../lib/auth.js';
import { notFound } from '../lib/problem.js';
import { createRouter } from '../lib/router.js';
import { deleteOverride, getCalendar, listOverrides, overridePaging, putOverride } from './calendar.routes.js';

const toOverride = (row: CalendarOverrideRow) => ({ date: row.date, kind: row.kind, note: row.note, updatedAt: row.updated_at.toISOString() });

export const calendarRouter = createRouter()
  .openapi(getCalendar, async (c) => {
    const { from, to } = c.req.valid('query');
    const { timetable, calendar, timetableVersion } = await loadCalendarInputs(c.get('deps').db);
    const days = datesBetween(from, to).map((date) => {
      const override = calendar.overrides.get(date);
      return {
        date,
        dayType: dayType(date, calendar),
        holidayNames: [...(calendar.holidays.get(date) ?? [])],
        override: override ? { kind: override.kind, note: override.note } : null,
        slots: slotsOn(date, timetable, calendar).map((slot) => toKstIso(slot).slice(11, 16)),
      };
    });
    return c.json({ timezone: kstTimeZone, timetableVersion, days }, 200);
  })
  .openapi(listOverrides, async (c) => {
    assertAdmin(c.get('principal'));
    const { cursor, limit } = c.req.valid('query');
    return c.json(overridePaging.body(await listCalendarOverridePage(c.get('deps').db, { after: cursor, limit }), toOverride), 200);
  })
  .openapi(putOverride, async (c) => {
    const principal = c.get('principal');
    assertAdmin(principal);
    const { db, schedules } = c.get('deps');
    const { date } = c.req.valid('param');
    const row = await upsertCalendarOverride(db, { date, ...c.req.valid('json'), updated_by_key_id: principal.keyId });
    c.get('log').info({ date, kind: row.kind }, 'calendar override set');
    return c.json({ ...toOverride(row), schedules: await syncEveryLink(db, schedules) }, 200);
  })
  .openapi(deleteOverride, async (c) => {
    assertAdmin(c.get('principal'));
    const { db, schedules } = c.get('deps');
    const { date } = c.req.valid('param');
    if (!(await deleteCalendarOverride(db, date))) throw notFound(`calendar override on ${date}`);
    c.get('log').info({ date }, 'calendar override removed');
    return c.json({ date, schedules: await syncEveryLink(db, schedules) }, 200);
  });
