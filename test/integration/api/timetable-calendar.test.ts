import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { koreanPublicHolidays } from '../../../src/domain/business-calendar.js';
import { addDays, datesBetween, kstDate, weekday } from '../../../src/domain/kst.js';
import { defaultTimetable } from '../../../src/domain/timetable.js';
import { parseScheduleId, scheduleIdFor } from '../../../src/temporal/names.js';
import { createTemporalScheduleSync } from '../../../src/schedules/temporal-schedule-sync.js';
import { createTestApp, json, unreachableTemporal } from '../../support/api.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { adminScope, apiCaller, createTestApiKey, customerScope, type TestApiKey } from '../../support/mall-link-api.js';
import { insertMallLinkStartingTomorrow, reconcileDepsFor } from '../../support/schedules.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';

describe('timetable, calendar and schedule preview API', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let call: ReturnType<typeof apiCaller>;
  let admin: TestApiKey;
  let customer: TestApiKey;
  const today = kstDate(new Date());
  const weekdayHoliday = [...koreanPublicHolidays.keys()].find((date) => date > today && weekday(date) >= 1 && weekday(date) <= 5)!;

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    const schedules = createTemporalScheduleSync({ ...reconcileDepsFor(database.db, temporal.client, temporal.taskQueue), timeoutMs: 10_000 });
    call = apiCaller(createTestApp({ db: database.db, temporal: temporal.client, schedules }));
    admin = await createTestApiKey(database.db, adminScope);
    customer = await createTestApiKey(database.db, customerScope('CST001'));
  });
  afterAll(async () => {
    for await (const schedule of temporal.client.schedule.list()) {
      if (parseScheduleId(schedule.scheduleId)) await temporal.client.schedule.getHandle(schedule.scheduleId).delete().catch(() => undefined);
    }
    await temporal?.close();
    await database?.drop();
  });

  it('serves the seeded timetable (version 1) to any key and refuses writes without an admin key', async () => {
    const res = await call('GET', '/v1/timetable', { key: customer });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ version: 1, timezone: 'Asia/Seoul', slots: defaultTimetable });
    expect((await call('PUT', '/v1/timetable', { key: customer, body: { slots: defaultTimetable } })).status).toBe(403);
    expect((await call('GET', '/v1/timetable')).status).toBe(401);
  });

  it.each([
    [{ slots: { ...defaultTimetable, business: ['8:10'] } }, 'slots.business.0'],
    [{ slots: { ...defaultTimetable, business: ['24:00'] } }, 'slots.business.0'],
    [{ slots: { ...defaultTimetable, sunday_holiday: ['09:10', '10:10', '09:10'] } }, 'slots.sunday_holiday.2'],
    [{ slots: { business: [], saturday: [] } }, 'slots.sunday_holiday'],
    [{ slots: { ...defaultTimetable, holiday: [] } }, 'slots.holiday'],
  ])('rejects %j naming %s, and stores nothing', async (body, path) => {
    const res = await call('PUT', '/v1/timetable', { key: admin, body });
    expect(res.status).toBe(422);
    expect((await json(res)).errors.map((e: { path: string }) => e.path)).toContain(path);
    expect((await json(await call('GET', '/v1/timetable', { key: admin }))).version).toBe(1);
  });

  it('a timetable edit makes a new version and every link schedule runs it', async () => {
    // Links starting on a plain Saturday, so the first runs are the edited Saturday row.
    let saturday = addDays(today, 1);
    while (weekday(saturday) !== 6 || koreanPublicHolidays.has(saturday)) saturday = addDays(saturday, 1);
    const links = [
      await insertMallLinkStartingTomorrow(database.db, { link_start_date: saturday }),
      await insertMallLinkStartingTomorrow(database.db, { link_start_date: saturday, invoice_sync_enabled: false }),
    ];
    const edited = { ...defaultTimetable, saturday: ['11:00', '09:00'] };
    const res = await call('PUT', '/v1/timetable', { key: admin, body: { slots: edited } });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ version: 2, slots: { saturday: ['09:00', '11:00'] }, schedules: { synced: 2, pending: 0 } });
    for (const link of links) {
      const preview = await json(await call('GET', `/v1/mall-links/${link.id}/schedule?count=40`, { key: admin }));
      expect(preview.timetableVersion).toBe(2);
      for (const job of preview.jobs) {
        expect(job).toMatchObject({ found: true, paused: false, agrees: true });
        expect(job.nextRunTimes).toHaveLength(40);
        expect(job.nextRunTimes).toEqual(job.computedRunTimes);
        expect(job.nextRunTimes.slice(0, 2)).toEqual([`${saturday}T09:00:00+09:00`, `${saturday}T11:00:00+09:00`]);
      }
      // Every link has both schedules (with invoice registration off, invoice runs only watch for cancellations).
      expect(preview.jobs.map((j: { scheduleId: string }) => j.scheduleId)).toEqual([scheduleIdFor('collect-orders', link.id), scheduleIdFor('sync-invoices', link.id)]);
    }
  });

  it('GET /v1/calendar gives each date its day type, holiday names and slots', async () => {
    const res = await call('GET', `/v1/calendar?from=${addDays(weekdayHoliday, -1)}&to=${weekdayHoliday}`, { key: customer });
    expect(res.status).toBe(200);
    const { days } = await json(res);
    expect(days).toHaveLength(2);
    expect(days[1]).toEqual({
      date: weekdayHoliday,
      dayType: 'sunday_holiday',
      holidayNames: [...koreanPublicHolidays.get(weekdayHoliday)!],
      override: null,
      slots: defaultTimetable.sunday_holiday,
    });
  });

  it.each([
    ['from=2026-02-30&to=2026-03-01', 'query.from'],
    ['from=2026-13-45&to=2026-12-31', 'query.from'],
    ['to=2026-03-01', 'query.from'],
  ])('GET /v1/calendar?%s is a 422 naming %s', async (query, path) => {
    const res = await call('GET', `/v1/calendar?${query}`, { key: customer });
    expect(res.status).toBe(422);
    expect((await json(res)).errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('GET /v1/calendar answers a reversed range with no days, and a long one 366 days at a time with nextFrom', async () => {
    expect(await json(await call('GET', '/v1/calendar?from=2026-03-02&to=2026-03-01', { key: customer }))).toMatchObject({ days: [], nextFrom: null });
    const first = await json(await call('GET', '/v1/calendar?from=2026-01-01&to=2027-06-01', { key: customer }));
    expect(first.days).toHaveLength(366);
    expect(first.days.at(-1).date).toBe('2027-01-01');
    expect(first.nextFrom).toBe('2027-01-02');
    const rest = await json(await call('GET', `/v1/calendar?from=${first.nextFrom}&to=2027-06-01`, { key: customer }));
    expect(rest.days.map((d: { date: string }) => d.date)).toEqual(datesBetween('2027-01-02', '2027-06-01'));
    expect(rest.nextFrom).toBeNull();
  });

  it('an override turns a holiday into a business day, reaches the schedules, and can be removed', async () => {
    const link = await insertMallLinkStartingTomorrow(database.db, { link_start_date: addDays(weekdayHoliday, -1) });
    expect((await call('PUT', `/v1/calendar/overrides/${weekdayHoliday}`, { key: customer, body: { kind: 'business_day', note: 'open' } })).status).toBe(403);
    const put = await call('PUT', `/v1/calendar/overrides/${weekdayHoliday}`, { key: admin, body: { kind: 'business_day', note: '출고일 (warehouse open)' } });
    expect(put.status).toBe(200);
    expect(await json(put)).toMatchObject({ date: weekdayHoliday, kind: 'business_day', note: '출고일 (warehouse open)', schedules: { pending: 0 } });

    const day = (await json(await call('GET', `/v1/calendar?from=${weekdayHoliday}&to=${weekdayHoliday}`, { key: admin }))).days[0];
    expect(day).toMatchObject({ dayType: 'business', override: { kind: 'business_day' }, slots: defaultTimetable.business });
    const preview = await json(await call('GET', `/v1/mall-links/${link.id}/schedule?count=60`, { key: admin }));
    expect(preview.jobs[0]).toMatchObject({ agrees: true });
    expect(preview.jobs[0].nextRunTimes.filter((t: string) => t.startsWith(weekdayHoliday))).toHaveLength(defaultTimetable.business.length);

    expect(await json(await call('GET', '/v1/calendar/overrides', { key: admin }))).toEqual({ items: [expect.objectContaining({ date: weekdayHoliday })], nextCursor: null });
    expect((await call('DELETE', `/v1/calendar/overrides/${weekdayHoliday}`, { key: admin })).status).toBe(200);
    expect((await call('DELETE', `/v1/calendar/overrides/${weekdayHoliday}`, { key: admin })).status).toBe(404);
    const restored = await json(await call('GET', `/v1/mall-links/${link.id}/schedule?count=60`, { key: admin }));
    expect(restored.jobs[0].agrees).toBe(true);
    expect(restored.jobs[0].nextRunTimes.filter((t: string) => t.startsWith(weekdayHoliday))).toHaveLength(defaultTimetable.sunday_holiday.length);
  });

  it('rejects a bad override body naming the field', async () => {
    const res = await call('PUT', '/v1/calendar/overrides/2026-12-31', { key: admin, body: { kind: 'closed', note: '' } });
    expect(res.status).toBe(422);
    expect((await json(res)).errors.map((e: { path: string }) => e.path).sort()).toEqual(['kind', 'note']);
  });

  it('the schedule preview is 404 for another customer, and shows the paused note', async () => {
    const other = await insertMallLinkStartingTomorrow(database.db, { cst_cd: 'CST999', enabled: false });
    expect((await call('GET', `/v1/mall-links/${other.id}/schedule`, { key: customer })).status).toBe(404);
    expect((await call('GET', '/v1/mall-links/not-a-uuid/schedule', { key: admin })).status).toBe(404);
    // Not yet reconciled: Temporal has no schedule for it.
    const missing = await json(await call('GET', `/v1/mall-links/${other.id}/schedule`, { key: admin }));
    expect(missing.jobs[0]).toMatchObject({ found: false, agrees: false, nextRunTimes: [] });
    expect(missing.jobs[0].computedRunTimes).toHaveLength(10);
    // Any calendar change reconciles every link, this disabled one included.
    await call('PUT', `/v1/calendar/overrides/2099-01-01`, { key: admin, body: { kind: 'holiday', note: 'far future' } });
    const paused = await json(await call('GET', `/v1/mall-links/${other.id}/schedule`, { key: admin }));
    expect(paused.jobs[0]).toMatchObject({ found: true, paused: true, note: expect.stringContaining('link disabled') });
  });

  it('the schedule preview answers 503 when Temporal is unreachable', async () => {
    const link = await insertMallLinkStartingTomorrow(database.db);
    const unreachable = unreachableTemporal();
    try {
      const offline = createTestApp({ db: database.db, temporal: unreachable.client });
      const res = await offline.request(`/v1/mall-links/${link.id}/schedule`, { headers: { authorization: `Bearer ${admin.plaintext}` } });
      expect(res.status).toBe(503);
      expect((await json(res)).type).toBe('/problems/temporal-unavailable');
    } finally {
      await unreachable.close();
    }
  });
});
