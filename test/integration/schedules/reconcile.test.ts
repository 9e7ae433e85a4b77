import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { TypedSearchAttributes } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { insertTimetableVersion } from '../../../src/db/repositories/timetable.js';
import { businessCalendar, koreanPublicHolidays, nextSlots } from '../../../src/domain/business-calendar.js';
import { addDays, kstDate, kstInstant, toKstIso, weekday } from '../../../src/domain/kst.js';
import { defaultTimetable } from '../../../src/domain/timetable.js';
import { linkScheduleStatus, scheduleMatchingTimes } from '../../../src/schedules/preview.js';
import { reconcileAll, type ReconcileDeps } from '../../../src/schedules/reconcile.js';
import { activeNote } from '../../../src/schedules/spec.js';
import { parseScheduleId, reconcileScheduleId, scheduleIdFor } from '../../../src/temporal/names.js';
import { createTemporalScheduleSync, syncEveryLink } from '../../../src/schedules/temporal-schedule-sync.js';
import { CstCdKey, MallIdKey, TriggerKey } from '../../../src/temporal/search-attributes.js';
import { unreachableTemporal } from '../../support/api.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { countingScheduleCalls, insertMallLinkStartingTomorrow, reconcileDepsFor } from '../../support/schedules.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';

async function matchingTimes(client: Client, scheduleId: string, from: Date, to: Date): Promise<string[]> {
  return (await scheduleMatchingTimes(client, scheduleId, from, to)).map((d) => d.toISOString());
}

const isGone = async (client: Client, scheduleId: string) =>
  client.schedule.getHandle(scheduleId).describe().then(
    () => false,
    (error: unknown) => error instanceof ScheduleNotFoundError,
  );

describe('schedule reconcile against the real Temporal dev server', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let counting: ReturnType<typeof countingScheduleCalls>;
  let deps: ReconcileDeps;
  const calendar = businessCalendar();
  // The first weekday public holiday at least two days ahead, from the package data; the link
  // starts the day before it so 60 slots run from a business day across the holiday.
  const today = kstDate(new Date());
  const holiday = [...koreanPublicHolidays.keys()].find((date) => date > addDays(today, 1) && weekday(date) >= 1 && weekday(date) <= 5)!;

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    counting = countingScheduleCalls(temporal.client, 'update');
    deps = reconcileDepsFor(database.db, counting.client, temporal.taskQueue);
  });
  afterAll(async () => {
    // Leave no schedule of ours firing on the shared dev server for later test files.
    for await (const schedule of temporal.client.schedule.list()) {
      if (parseScheduleId(schedule.scheduleId) || schedule.scheduleId === reconcileScheduleId) {
        await temporal.client.schedule.getHandle(schedule.scheduleId).delete().catch(() => undefined);
      }
    }
    await temporal?.close();
    await database?.drop();
  });

  it('creates both schedules whose run times equal nextSlots for 60+ slots across a weekday holiday', async () => {
    expect(holiday).toBeDefined();
    const link = await insertMallLinkStartingTomorrow(database.db, { link_start_date: addDays(holiday, -1) });
    const summary = await reconcileAll(deps);
    expect(summary).toMatchObject({ ran: true, links: 1, failedLinks: [] });
    expect(summary.outcomes.created).toBe(2);

    const startAt = kstInstant(link.link_start_date);
    const expected = nextSlots(new Date(startAt.getTime() - 1), 80, defaultTimetable, calendar).map((d) => d.toISOString());
    expect(expected.some((slot) => kstDate(new Date(slot)) === holiday)).toBe(true);
    for (const job of ['collect-orders', 'sync-invoices'] as const) {
      const scheduleId = scheduleIdFor(job, link.id);
      const description = await temporal.client.schedule.getHandle(scheduleId).describe();
      expect(description.info.nextActionTimes.map((d) => d.toISOString())).toEqual(expected.slice(0, description.info.nextActionTimes.length));
      expect(description.info.nextActionTimes.length).toBeGreaterThanOrEqual(5);
      const times = await matchingTimes(temporal.client, scheduleId, new Date(), new Date(expected.at(-1)!));
      expect(times.length).toBeGreaterThanOrEqual(60);
      expect(times).toEqual(expected.slice(0, times.length));
      expect(description.state).toEqual({ paused: false, note: activeNote });
      expect(description.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: job === 'collect-orders' ? 'collectOrders' : 'syncInvoices',
        workflowId: scheduleId,
        taskQueue: temporal.taskQueue,
        args: [{ mallLinkId: link.id, attributesSetAtStart: true }],
        staticSummary: `카페24 ${link.mall_id} · ${job === 'collect-orders' ? '주문수집' : '송장등록'}`,
      });
      const attributes = (description.action as { typedSearchAttributes: TypedSearchAttributes }).typedSearchAttributes;
      expect([attributes.get(MallIdKey), attributes.get(CstCdKey), attributes.get(TriggerKey)]).toEqual([link.mall_id, link.cst_cd, 'schedule']);
      expect(description.spec.timezone).toBe('Asia/Seoul');
      expect(description.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 600_000 });
    }
    await temporal.client.schedule.getHandle(reconcileScheduleId).describe();
  });

  it('a second run with nothing changed sends no update', async () => {
    const before = counting.calls.length;
    const summary = await reconcileAll(deps);
    expect(summary.outcomes).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(counting.calls.length - before).toBe(0);
  });

  it('pauses by config with a note saying why, unpauses, and drops invoice sync when it is turned off', async () => {
    const link = await insertMallLinkStartingTomorrow(database.db);
    const sync = createTemporalScheduleSync({ ...deps, timeoutMs: 10_000 });
    expect(await sync.syncLink(link.id)).toBe('synced');
    const collect = temporal.client.schedule.getHandle(scheduleIdFor('collect-orders', link.id));

    await database.db.updateTable('mall_links').set({ collection_method: 'manual' }).where('id', '=', link.id).execute();
    expect(await sync.syncLink(link.id)).toBe('synced');
    expect((await collect.describe()).state).toMatchObject({ paused: true, note: expect.stringContaining('manual collection') });

    await database.db.updateTable('mall_links').set({ collection_method: 'auto', cafe24_auth_status: 'reauth_required' }).where('id', '=', link.id).execute();
    await sync.syncLink(link.id);
    const reauth = (await collect.describe()).state;
    expect(reauth.paused).toBe(true);
    expect(reauth.note).toContain('cafe24_auth_status=reauth_required');
    expect(reauth.note).not.toContain('manual');

    await database.db.updateTable('mall_links').set({ cafe24_auth_status: 'authorized', invoice_sync_enabled: false }).where('id', '=', link.id).execute();
    await sync.syncLink(link.id);
    expect((await collect.describe()).state).toEqual({ paused: false, note: activeNote });
    // Invoice registration off: the invoice schedule stays, its runs only watch for cancellations.
    expect((await temporal.client.schedule.getHandle(scheduleIdFor('sync-invoices', link.id)).describe()).state).toEqual({ paused: false, note: activeNote });
    const row = await database.db.selectFrom('mall_links').select('schedule_state').where('id', '=', link.id).executeTakeFirstOrThrow();
    expect(row.schedule_state).toBe('synced');
  });

  it('linkScheduleStatus gives the status endpoint paused, note and the next five runs in KST', async () => {
    const link = await insertMallLinkStartingTomorrow(database.db, { enabled: false });
    await reconcileAll(deps);
    const status = await linkScheduleStatus({ db: database.db, temporal: temporal.client }, link);
    const expected = nextSlots(new Date(kstInstant(link.link_start_date).getTime() - 1), 5, defaultTimetable, calendar).map(toKstIso);
    expect(status).toEqual({ paused: true, note: expect.stringContaining('link disabled'), nextRunTimes: expected, agrees: true });
  });

  it('answers pending and marks the link when Temporal is unreachable', async () => {
    const link = await insertMallLinkStartingTomorrow(database.db);
    const unreachable = unreachableTemporal();
    try {
      const sync = createTemporalScheduleSync({ ...deps, temporal: unreachable.client, timeoutMs: 1_000 });
      expect(await sync.syncLink(link.id)).toBe('pending');
      const row = await database.db.selectFrom('mall_links').select('schedule_state').where('id', '=', link.id).executeTakeFirstOrThrow();
      expect(row.schedule_state).toBe('pending');
      // A change to every link (timetable, calendar) marks them all pending after the first miss.
      // The edit changes every link's schedules, so no sync can pass on the recorded revision.
      await insertTimetableVersion(database.db, { ...defaultTimetable, saturday: ['10:10'] }, null);
      const linkCount = (await database.db.selectFrom('mall_links').select('id').execute()).length;
      expect(linkCount).toBeGreaterThan(1);
      expect(await syncEveryLink(database.db, sync)).toEqual({ synced: 0, pending: linkCount });
    } finally {
      await unreachable.close();
    }
    const states = async () => (await database.db.selectFrom('mall_links').select('schedule_state').execute()).map((r) => r.schedule_state);
    expect(new Set(await states())).toEqual(new Set(['pending']));
    await reconcileAll(deps);
    expect(new Set(await states())).toEqual(new Set(['synced']));
  });

  it('a timetable edit reaches every schedule', async () => {
    const sync = createTemporalScheduleSync({ ...deps, timeoutMs: 10_000 });
    const edited = { ...defaultTimetable, saturday: ['11:00'] };
    await insertTimetableVersion(database.db, edited, null);
    const counts = await syncEveryLink(database.db, sync);
    const links = await database.db.selectFrom('mall_links').select(['id', 'link_start_date', 'invoice_sync_enabled']).execute();
    expect(counts).toEqual({ synced: links.length, pending: 0 });
    for (const link of links) {
      for (const job of ['collect-orders', 'sync-invoices'] as const) {
        const scheduleId = scheduleIdFor(job, link.id);
        const from = kstInstant(link.link_start_date);
        const expected = nextSlots(new Date(Math.max(from.getTime() - 1, Date.now())), 150, edited, calendar).map((d) => d.toISOString());
        expect(expected.some((slot) => slot.endsWith('T02:00:00.000Z'))).toBe(true);
        const times = await matchingTimes(temporal.client, scheduleId, new Date(), new Date(expected.at(-1)!));
        expect(times, scheduleId).toEqual(expected.slice(0, times.length));
        expect(times.length).toBeGreaterThanOrEqual(60);
      }
    }
  });

  it('deletes schedules whose link is gone', async () => {
    const link = await insertMallLinkStartingTomorrow(database.db);
    await reconcileAll(deps);
    const ids = [scheduleIdFor('collect-orders', link.id), scheduleIdFor('sync-invoices', link.id)];
    // Listing is eventually consistent: wait until the server lists them, as a later daily run would.
    await vi.waitFor(
      async () => {
        const listed: string[] = [];
        for await (const schedule of temporal.client.schedule.list()) listed.push(schedule.scheduleId);
        expect(listed).toEqual(expect.arrayContaining(ids));
      },
      { timeout: 30_000, interval: 200 },
    );
    // Removed behind the API's back, so only the orphan sweep can find its schedules.
    await database.db.deleteFrom('mall_links').where('id', '=', link.id).execute();
    const summary = await reconcileAll(deps);
    expect(summary.outcomes.deleted).toBeGreaterThanOrEqual(2);
    for (const id of ids) expect(await isGone(temporal.client, id)).toBe(true);
  });

  it('links created while reconcileAll runs keep their schedules', async () => {
    const sync = createTemporalScheduleSync({ ...deps, timeoutMs: 10_000 });
    const created: string[] = [];
    const listed = async () => {
      const ids: string[] = [];
      for await (const schedule of temporal.client.schedule.list()) ids.push(schedule.scheduleId);
      return ids;
    };
    // Between reconcileAll's read of the link ids and its orphan sweep (the schedule listing), new
    // links are created through the API's sync, and listed, as a worker start during registrations would see them.
    const racing = new Proxy(deps.temporal, {
      get(target, property) {
        if (property !== 'schedule') return Reflect.get(target, property, target);
        return new Proxy(target.schedule, {
          get(schedule, scheduleProperty) {
            if (scheduleProperty !== 'list') return Reflect.get(schedule, scheduleProperty, schedule);
            return async function* () {
              if (created.length === 0) {
                const links = await Promise.all(Array.from({ length: 3 }, () => insertMallLinkStartingTomorrow(database.db)));
                created.push(...links.map((l) => l.id));
                expect(await Promise.all(created.map((id) => sync.syncLink(id)))).toEqual(['synced', 'synced', 'synced']);
                const ids = created.flatMap((id) => [scheduleIdFor('collect-orders', id), scheduleIdFor('sync-invoices', id)]);
                await vi.waitFor(async () => expect(await listed()).toEqual(expect.arrayContaining(ids)), { timeout: 30_000, interval: 200 });
              }
              yield* schedule.list();
            };
          },
        });
      },
    });
    // And more links created concurrently with the whole run.
    const [summary, ...concurrent] = await Promise.all([
      reconcileAll({ ...deps, temporal: racing }),
      ...Array.from({ length: 3 }, async () => {
        const link = await insertMallLinkStartingTomorrow(database.db);
        expect(await sync.syncLink(link.id)).toBe('synced');
        return link.id;
      }),
    ]);
    expect(summary.ran).toBe(true);
    expect(created).toHaveLength(3);
    for (const id of [...created, ...concurrent]) {
      for (const job of ['collect-orders', 'sync-invoices'] as const) expect(await isGone(temporal.client, scheduleIdFor(job, id)), `${job} of ${id}`).toBe(false);
    }
  });

  it('a concurrent run finds the lock taken and does nothing', async () => {
    const [first, second] = await Promise.all([reconcileAll(deps), reconcileAll(deps)]);
    expect([first.ran, second.ran].sort()).toEqual([false, true]);
  });
});
