import type { TimetableVersionRow } from '../../../db/schema.js';
import { currentTimetable } from '../../db/repositories/timetable.js';
import { kstTimeZone } from '../../domain/kst.js';
import { normaliseTimetable } from '../../domain/timetable.js';
import { replaceTimetable } from '../../services/business-calendar.js';
import { assertAdmin } from '../lib/auth.js';
import { createRouter } from '../lib/router.js';
import { getTimetable, putTimetable } from './timetable.routes.js';

const toTimetable = (row: TimetableVersionRow) => ({
  version: row.version,
  timezone: kstTimeZone,
  createdAt: row.created_at.toISOString(),
  slots: normaliseTimetable(row.slots) as { business: string[]; saturday: string[]; sunday_holiday: string[] },
});

export const timetableRouter = createRouter()
  .openapi(getTimetable, async (c) => c.json(toTimetable(await currentTimetable(c.get('deps').db)), 200))
  .openapi(putTimetable, async (c) => {
    const principal = c.get('principal');
    assertAdmin(principal);
    const replaced = await replaceTimetable({ ...c.get('deps'), log: c.get('log') }, principal.keyId, c.req.valid('json').slots);
    return c.json({ ...toTimetable(replaced.timetable), schedules: replaced.schedules }, 200);
  });
