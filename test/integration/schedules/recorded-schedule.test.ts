import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.js';
import { linkScheduleStatus } from '../../../src/schedules/preview.js';
import { reconcileLink, type ReconcileDeps } from '../../../src/schedules/reconcile.js';
import { createTemporalScheduleSync } from '../../../src/schedules/temporal-schedule-sync.js';
import { parseScheduleId, scheduleIdFor } from '../../../src/temporal/names.js';
import { createTestApp, json, unreachableTemporal } from '../../support/api.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { adminScope, apiCaller, createTestApiKey } from '../../support/mall-link-api.js';
import { insertMallLinkStartingTomorrow, reconcileDepsFor } from '../../support/schedules.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';

/**
 * The schedule revision a sync records on the link (issue 16, config API under load): with it the
 * API's sync and the status read leave Temporal alone when the link's schedules are as recorded,
 * and only then. An unreachable Temporal proves that nothing was asked of it.
 */

const recorded = (db: Db, id: string) => db.selectFrom('mall_links').select(['schedule_state', 'schedule_revision']).where('id', '=', id).executeTakeFirstOrThrow();
const setLink = (db: Db, id: string, changes: { minutes_after_payment?: number; enabled?: boolean; cafe24_auth_status?: 'reauth_required' }) =>
  db.updateTable('mall_links').set(changes).where('id', '=', id).execute();

describe('the schedule revision recorded by a sync', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let deps: ReconcileDeps;
  const unreachable = unreachableTemporal();

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    deps = reconcileDepsFor(database.db, temporal.client, temporal.taskQueue);
  });
  afterAll(async () => {
    for await (const schedule of temporal.client.schedule.list()) {
      if (parseScheduleId(schedule.scheduleId)) await temporal.client.schedule.getHandle(schedule.scheduleId).delete().catch(() => undefined);
    }
    await unreachable.close();
    await temporal?.close();
    await database?.drop();
  });

  it('a change that leaves the schedules as they are syncs without Temporal; one that alters them needs it, and a failure is never trusted', async () => {
    const { db } = database;
    const link = await insertMallLinkStartingTomorrow(db);
    const sync = createTemporalScheduleSync({ ...deps, timeoutMs: 10_000 });
    const offline = createTemporalScheduleSync({ ...deps, temporal: unreachable.client, timeoutMs: 1_000 });
    expect(await sync.syncLink(link.id)).toBe('synced');
    const first = await recorded(db, link.id);
    expect(first).toEqual({ schedule_state: 'synced', schedule_revision: expect.stringMatching(/^[0-9a-f]{32}$/) });

    await setLink(db, link.id, { minutes_after_payment: 30 });
    expect(await offline.syncLink(link.id)).toBe('synced');
    expect(await recorded(db, link.id)).toEqual(first);

    await setLink(db, link.id, { enabled: false });
    expect(await offline.syncLink(link.id)).toBe('pending');
    expect(await recorded(db, link.id)).toEqual({ schedule_state: 'pending', schedule_revision: null });
    // Back to the recorded settings, but a failed sync may have changed part of the schedules.
    await setLink(db, link.id, { enabled: true });
    expect(await offline.syncLink(link.id)).toBe('pending');

    await setLink(db, link.id, { enabled: false });
    expect(await sync.syncLink(link.id)).toBe('synced');
    expect((await temporal.client.schedule.getHandle(scheduleIdFor('collect-orders', link.id)).describe()).state.paused).toBe(true);
    const paused = await recorded(db, link.id);
    expect(paused.schedule_state).toBe('synced');
    expect(paused.schedule_revision).not.toBe(first.schedule_revision);
  });

  it('a sync cut short before it marks the link (a killed process) leaves no revision claiming Temporal is current', async () => {
    const { db } = database;
    const link = await insertMallLinkStartingTomorrow(db);
    const sync = createTemporalScheduleSync({ ...deps, timeoutMs: 10_000 });
    const offline = createTemporalScheduleSync({ ...deps, temporal: unreachable.client, timeoutMs: 1_000 });
    expect(await sync.syncLink(link.id)).toBe('synced');
    await setLink(db, link.id, { enabled: false });
    // reconcileLink itself, without the hook's catch that marks the link pending: as if the
    // process died while it applied the schedules.
    await expect(reconcileLink({ ...deps, temporal: unreachable.client }, link.id)).rejects.toThrow();
    expect(await recorded(db, link.id)).toEqual({ schedule_state: 'synced', schedule_revision: null });
    // Back to the settings the old revision described: Temporal may hold part of the change, so it is asked.
    await setLink(db, link.id, { enabled: true });
    expect(await offline.syncLink(link.id)).toBe('pending');
    expect(await sync.syncLink(link.id)).toBe('synced');
  });

  it('syncs racing with changes leave Temporal, and the record, as the last committed settings say', async () => {
    const { db } = database;
    const link = await insertMallLinkStartingTomorrow(db);
    const sync = createTemporalScheduleSync({ ...deps, timeoutMs: 10_000 });
    expect(await sync.syncLink(link.id)).toBe('synced');
    // Each change is committed, then synced, without waiting for the others: some alter the
    // schedules (enabled), some do not.
    const answers = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        await setLink(db, link.id, i % 3 === 0 ? { minutes_after_payment: 10 + i } : { enabled: i % 2 === 0 });
        return sync.syncLink(link.id);
      }),
    );
    expect(answers).toEqual(Array(8).fill('synced'));
    const { enabled } = await db.selectFrom('mall_links').select('enabled').where('id', '=', link.id).executeTakeFirstOrThrow();
    for (const job of ['collect-orders', 'sync-invoices'] as const) {
      expect((await temporal.client.schedule.getHandle(scheduleIdFor(job, link.id)).describe()).state.paused, job).toBe(!enabled);
    }
    // The record is the revision those settings give: nothing is left for Temporal to do.
    expect(await createTemporalScheduleSync({ ...deps, temporal: unreachable.client, timeoutMs: 1_000 }).syncLink(link.id)).toBe('synced');
  });

  it('the status answers the schedule from the record as Temporal would, and asks Temporal once the record is not current', async () => {
    const { db } = database;
    const link = await insertMallLinkStartingTomorrow(db, { enabled: false });
    expect(await createTemporalScheduleSync({ ...deps, timeoutMs: 10_000 }).syncLink(link.id)).toBe('synced');
    const { agrees, ...fromTemporal } = await linkScheduleStatus({ db, temporal: temporal.client }, link);
    expect(agrees).toBe(true);
    expect(fromTemporal).toMatchObject({ paused: true, note: expect.stringContaining('link disabled') });
    expect(fromTemporal.nextRunTimes).toHaveLength(5);

    const admin = await createTestApiKey(db, adminScope);
    const call = apiCaller(createTestApp({ db, temporal: unreachable.client, env: { TEMPORAL_TASK_QUEUE: temporal.taskQueue } }));
    const status = async () => (await json(await call('GET', `/v1/mall-links/${link.id}/status`, { key: admin }))).schedule;
    expect(await status()).toEqual({ state: 'synced', ...fromTemporal });

    // Changed without a sync: the record no longer vouches for the schedules and Temporal cannot answer.
    await setLink(db, link.id, { cafe24_auth_status: 'reauth_required' });
    expect(await status()).toEqual({ state: 'synced', paused: null, note: null, nextRunTimes: null });
  });
});
