import type { TimetableVersionRow } from '../../../db/schema.js';
import { currentTimetable, insertTimetableVersion } from '../../db/repositories/timetable.js';
import { kstTimeZone } from '../../domain/kst.js';
import { normaliseTimetable } from '../../domain/timetable.js';
import { syncEveryLink } from '../../schedules/temporal-schedule-sync.js';
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
    const { db, schedules } = c.get('deps');
    const row = await insertTimetableVersion(db, normaliseTimetable(c.req.valid('json').slots), principal.keyId);
    c.get('log').info({ version: row.version }, 'timetable replaced');
    return c.json({ ...toTimetable(row), schedules: await syncEveryLink(db, schedules) }, 200);
  });
