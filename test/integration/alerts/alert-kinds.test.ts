import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MallLinkRow } from '../../../db/schema.js';
import { saveCafe24Tokens } from '../../../src/db/repositories/cafe24-tokens.js';
import { recordCancellation } from '../../../src/db/repositories/cancellations.js';
import { finishCollectionRun, startCollectionRun } from '../../../src/db/repositories/collection-runs.js';
import { holdInvoiceRegistrations } from '../../../src/db/repositories/invoice-registrations.js';
import { resolveUnlinkedOrders, upsertUnlinkedOrders } from '../../../src/db/repositories/unlinked-orders.js';
import { isScheduleDescribeRound, type AlertKind } from '../../../src/domain/alerts.js';
import { kstInstant } from '../../../src/domain/kst.js';
import { alertEvaluationIntervalMs } from '../../../src/schedules/alert-schedule.js';
import { reconcileLink } from '../../../src/schedules/reconcile.js';
import { evaluateAlerts, type AlertEvaluationDeps } from '../../../src/services/alerts.js';
import { findMissedSlots } from '../../../src/services/missed-slots.js';
import { scheduleIdFor, scheduleJobNames } from '../../../src/temporal/names.js';
import { MallIdKey, SlotAtKey } from '../../../src/temporal/search-attributes.js';
import { alertDepsFor, alertsOf } from '../../support/alerts.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { insertTestMallLink } from '../../support/mall-link-fixtures.js';
import { countingScheduleCalls, reconcileDepsFor } from '../../support/schedules.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';
import { ordNoOf } from '../../support/end-to-end.js';
import { until } from '../../support/wait.js';

const hourMs = 3600_000;

/**
 * Every alert kind opens once when its condition holds and closes by itself when it clears, with
 * one structured log event each. Conditions are driven directly (rows, Temporal executions, the
 * evaluation's clock); the evaluation reads real PostgreSQL and Temporal.
 */
describe('alert kinds', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let deps: AlertEvaluationDeps & { lines: Record<string, unknown>[] };
  const startedWorkflows: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    deps = alertDepsFor(database.db, temporal.client, temporal.taskQueue);
  });
  afterAll(async () => {
    for (const workflowId of startedWorkflows) await temporal.client.workflow.getHandle(workflowId).terminate().catch(() => undefined);
    await temporal?.close();
    await database?.drop();
  });

  const evaluate = (now = new Date()) => evaluateAlerts(deps, now);
  const open = async (link: MallLinkRow | null, kind: AlertKind) => (await alertsOf(database.db, link?.id ?? null, kind)).filter((a) => a.status === 'open');
  /** A link that should not run on its own: no missed slots, so each test sees only its kind. */
  const manualLink = (overrides: Parameters<typeof insertTestMallLink>[1] = {}) => insertTestMallLink(database.db, { collection_method: 'manual', ...overrides });
  /** The pause and note the schedule list shows for the link's schedules (seconds behind a change). */
  const listedStates = async (link: MallLinkRow) => {
    const states = new Map<string, { paused: boolean; note?: string | undefined }>();
    for await (const schedule of temporal.client.schedule.list()) if (schedule.scheduleId.endsWith(link.id)) states.set(schedule.scheduleId, schedule.state);
    return states;
  };
  /** A time within the hour whose evaluation is (or is not) the link's describe round. */
  const evaluationTime = (link: MallLinkRow, { describeRound }: { describeRound: boolean }) => {
    const base = Date.now();
    for (let step = 0; ; step++) {
      const at = new Date(base + step * alertEvaluationIntervalMs);
      if (isScheduleDescribeRound(link.id, at, alertEvaluationIntervalMs) === describeRound) return at;
    }
  };
  const logEvents = (alertId: number, event: string) => deps.lines.filter((line) => line.event === event && line.alertId === alertId);

  /** Opens on `makeTrue`, stays one alert over a second evaluation, closes on `makeFalse`; one log event each. */
  async function opensOnceThenCloses(link: MallLinkRow | null, kind: AlertKind, makeTrue: () => Promise<unknown>, makeFalse: () => Promise<unknown>, at: { open?: () => Date; closed?: () => Date } = {}) {
    expect(await open(link, kind)).toEqual([]);
    await makeTrue();
    await evaluate(at.open?.());
    await evaluate(at.open?.());
    const [alert, ...more] = await alertsOf(database.db, link?.id ?? null, kind);
    expect(more, `${kind} opens once`).toEqual([]);
    expect(alert).toMatchObject({ status: 'open', closed_at: null });
    expect(alert!.action.length).toBeGreaterThan(20);
    expect(logEvents(alert!.id, 'alert.opened')).toHaveLength(1);
    await makeFalse();
    await evaluate(at.closed?.());
    await evaluate(at.closed?.());
    const [closed, ...again] = await alertsOf(database.db, link?.id ?? null, kind);
    expect(again, `${kind} does not reopen`).toEqual([]);
    expect(closed).toMatchObject({ id: alert!.id, status: 'closed' });
    expect(closed!.closed_at).toBeInstanceOf(Date);
    expect(logEvents(alert!.id, 'alert.closed')).toHaveLength(1);
    return alert!;
  }

  it('reauth_required: while the link is reauth_required', async () => {
    const link = await manualLink({ cafe24_auth_status: 'reauth_required' });
    const setStatus = (status: MallLinkRow['cafe24_auth_status']) => database.db.updateTable('mall_links').set({ cafe24_auth_status: status }).where('id', '=', link.id).execute();
    await setStatus('authorized');
    const alert = await opensOnceThenCloses(link, 'reauth_required', () => setStatus('reauth_required'), () => setStatus('authorized'));
    expect(alert.action).toContain(`/cafe24/install?mallLinkId=${link.id}`);
  });

  it('token_expiring: a refresh token that lapses within 3 days', async () => {
    const link = await manualLink();
    const token = (refreshTokenExpiresAt: Date) =>
      saveCafe24Tokens(database.db, { mallLinkId: link.id, mallId: link.mall_id, accessTokenEnc: 'x', accessTokenExpiresAt: new Date(), refreshTokenEnc: 'y', refreshTokenExpiresAt, scopes: [], refreshedAt: new Date() });
    await token(new Date(Date.now() + 10 * 24 * hourMs));
    await opensOnceThenCloses(link, 'token_expiring', () => token(new Date(Date.now() + 2 * 24 * hourMs)), () => token(new Date(Date.now() + 14 * 24 * hourMs)));
  });

  it('unlinked_orders_aged: orders held unlinked longer than the configured age', async () => {
    const link = await manualLink();
    const orderId = '20261128-0000001';
    await upsertUnlinkedOrders(database.db, link.id, [{ kind: 'unlinked', orderId, shopNo: 1, paidAt: null, items: [{ orderItemCode: `${orderId}-01`, variantCode: 'V1', reason: 'no_link' }] }]);
    // Held just now: younger than 24 hours, not alerted yet.
    await evaluate();
    expect(await open(link, 'unlinked_orders_aged')).toEqual([]);
    const run = await startCollectionRun(database.db, { mallLinkId: link.id, workflowId: 'wf-unlinked', runId: 'r1', trigger: 'manual', slotAt: new Date().toISOString(), window: null, status: 'running', outcome: 'running' });
    await opensOnceThenCloses(
      link,
      'unlinked_orders_aged',
      () => database.db.updateTable('unlinked_orders').set({ first_seen_at: new Date(Date.now() - 25 * hourMs) }).where('mall_link_id', '=', link.id).execute(),
      () => resolveUnlinkedOrders(database.db, link.id, [orderId], run.id),
    );
  });

  it('invoices_held: invoices waiting for a fix', async () => {
    const link = await manualLink();
    await opensOnceThenCloses(
      link,
      'invoices_held',
      () => holdInvoiceRegistrations(database.db, link.id, [{ orderItemCode: 'I-01', orderId: 'O-1', shopNo: 1, ordNo: ordNoOf(link, 'O-1') }], 'unknown_carrier'),
      () => database.db.updateTable('invoice_registrations').set({ status: 'synced', invoice_no: '123' }).where('mall_link_id', '=', link.id).execute(),
    );
  });

  it('cancelled_after_shipment_started: too-late cancellations within the look-back', async () => {
    const link = await manualLink();
    const orderId = '20261128-0000002';
    const alert = await opensOnceThenCloses(
      link,
      'cancelled_after_shipment_started',
      () => recordCancellation(database.db, { ordNo: ordNoOf(link, orderId), mallLinkId: link.id, shopNo: 1, orderId, outcome: 'too_late', cancelledItems: [`${orderId}-01`], fmsStatus: 'DONE', invoiceSyncRunId: 1 }),
      async () => undefined,
      // A week and a day later the cancellation has left the 7-day look-back.
      { closed: () => new Date(Date.now() + 8 * 24 * hourMs) },
    );
    expect(alert.details).toEqual({ count: 1, ordNos: [ordNoOf(link, orderId)] });
  });

  it('holiday_data_missing: no public holiday data for next year (the evaluation’s clock)', async () => {
    // The package covers up to 2027: in mid-2027 the next year has no data.
    const alert = await opensOnceThenCloses(null, 'holiday_data_missing', async () => undefined, async () => undefined, {
      open: () => new Date('2027-06-01T00:00:00Z'),
      closed: () => new Date('2026-06-01T00:00:00Z'),
    });
    expect(alert.subject).toBe('2028');
  });

  it('failing_runs: the latest run recorded failed, until a later one completes', async () => {
    const link = await manualLink();
    const failed = await startCollectionRun(database.db, { mallLinkId: link.id, workflowId: 'wf-failed', runId: 'r1', trigger: 'schedule', slotAt: new Date().toISOString(), window: null, status: 'running', outcome: 'running' });
    const finish = (id: number, status: 'failed' | 'completed') => finishCollectionRun(database.db, id, { status, outcome: status, ordersFetched: 0, itemsFetched: 0, counts: {}, error: status === 'failed' ? 'boom' : null });
    const alert = await opensOnceThenCloses(
      link,
      'failing_runs',
      () => finish(failed.id, 'failed'),
      async () => {
        const later = await startCollectionRun(database.db, { mallLinkId: link.id, workflowId: 'wf-later', runId: 'r2', trigger: 'schedule', slotAt: new Date().toISOString(), window: null, status: 'running', outcome: 'running' });
        await finish(later.id, 'completed');
      },
    );
    expect(alert).toMatchObject({ subject: 'collectOrders', details: { workflowId: 'wf-failed', status: 'failed' } });
  });

  it('failing_runs: any workflow of the mall that Temporal shows terminated (visibility, by MallId)', async () => {
    const link = await manualLink();
    const workflowId = `import-products-${link.id}`;
    const terminate = async () => {
      // A workflow type another engineer adds: only the MallId search attribute ties it to the link.
      const handle = await temporal.client.workflow.start('importProducts', {
        taskQueue: `${temporal.taskQueue}-nobody`,
        workflowId,
        typedSearchAttributes: [{ key: MallIdKey, value: link.mall_id }],
      });
      await handle.terminate('test: the import failed');
      // Visibility may trail the server by a moment.
      await expect.poll(async () => (await evaluate(), (await open(link, 'failing_runs')).length), { timeout: 10_000, interval: 200 }).toBe(1);
    };
    const alert = await opensOnceThenCloses(link, 'failing_runs', terminate, async () => undefined, {
      // Two days and an hour later the failure has left the 48-hour look-back.
      closed: () => new Date(Date.now() + 49 * hourMs),
    });
    expect(alert).toMatchObject({ subject: 'importProducts', details: { workflowId, status: 'TERMINATED' } });
  });

  it('schedule_out_of_line: a link whose schedules are missing on the server, until reconciled', async () => {
    const link = await manualLink();
    const alerts = async () => (await alertsOf(database.db, link.id, 'schedule_out_of_line')).map((a) => [a.subject, a.status, a.details]);
    await evaluate();
    expect(await alerts()).toEqual(scheduleJobNames.map((job) => [job, 'open', { reason: 'missing on the server' }]));
    await reconcileLink(reconcileDepsFor(database.db, temporal.client, temporal.taskQueue), link.id);
    await evaluate();
    expect(await alerts()).toEqual(scheduleJobNames.map((job) => [job, 'closed', { reason: 'missing on the server' }]));
    // Paused by hand in the Temporal UI while the database says it runs (a manual link: paused in the
    // database). Outside the link's describe round the schedule list shows it, once the schedule's
    // own workflow has applied the change.
    await temporal.client.schedule.getHandle(scheduleIdFor('collect-orders', link.id)).unpause('test');
    await until(async () => (await listedStates(link)).get(scheduleIdFor('collect-orders', link.id))?.paused === false, 'the list to show the schedule unpaused');
    await evaluate(evaluationTime(link, { describeRound: false }));
    expect((await alertsOf(database.db, link.id, 'schedule_out_of_line')).filter((a) => a.status === 'open').map((a) => [a.subject, a.details])).toEqual([
      ['collect-orders', { reason: 'running on the server, paused in the database' }],
    ]);
    await reconcileLink(reconcileDepsFor(database.db, temporal.client, temporal.taskQueue), link.id);
    await evaluate();
    expect(await open(link, 'schedule_out_of_line')).toEqual([]);

    // Written on New Year's Eve: the holiday horizon moves with the year. Minutes after midnight,
    // before the daily reconcile, the schedule is still in line; a day later it is not.
    await reconcileLink({ ...reconcileDepsFor(database.db, temporal.client, temporal.taskQueue), now: () => kstInstant('2026-12-31', '23:00') }, link.id);
    await evaluate(kstInstant('2027-01-01', '00:02'));
    expect(await open(link, 'schedule_out_of_line')).toEqual([]);
    await evaluate(kstInstant('2027-01-02', '00:02'));
    expect((await open(link, 'schedule_out_of_line')).map((a) => [a.subject, a.details])).toEqual(scheduleJobNames.map((job) => [job, { reason: 'spec, action or note differs from the database' }]));
    for (const job of scheduleJobNames) await temporal.client.schedule.getHandle(scheduleIdFor(job, link.id)).delete();
  });

  it('schedule_out_of_line: a link in line by its row and the list is described only in its round, or while its alert is open', async () => {
    const link = await manualLink();
    await reconcileLink(reconcileDepsFor(database.db, temporal.client, temporal.taskQueue), link.id);
    await until(async () => (await listedStates(link)).size === scheduleJobNames.length, 'the list to show both schedules');
    const counting = countingScheduleCalls(temporal.client, 'describe');
    const evaluateAt = async (describeRound: boolean) => {
      counting.calls.length = 0;
      await evaluateAlerts({ ...deps, temporal: counting.client }, evaluationTime(link, { describeRound }));
      return counting.calls.filter((id) => id.endsWith(link.id)).length;
    };
    const openDrift = async () => (await open(link, 'schedule_out_of_line')).map((a) => [a.subject, a.details]);

    expect(await evaluateAt(false)).toBe(0);
    expect(await evaluateAt(true)).toBe(scheduleJobNames.length);
    expect(await openDrift()).toEqual([]);

    // The action edited on the server: neither the row nor the list shows it, the describe round does.
    const handle = temporal.client.schedule.getHandle(scheduleIdFor('sync-invoices', link.id));
    await handle.update((previous) => ({ ...previous, action: { ...previous.action, memo: { scheduleRevision: 'edited on the server' } } }));
    expect(await evaluateAt(false)).toBe(0);
    expect(await openDrift()).toEqual([]);
    expect(await evaluateAt(true)).toBe(scheduleJobNames.length);
    expect(await openDrift()).toEqual([['sync-invoices', { reason: 'spec, action or note differs from the database' }]]);
    // While the alert is open the link is described at every evaluation, so it closes once repaired.
    expect(await evaluateAt(false)).toBe(scheduleJobNames.length);
    expect(await openDrift()).toHaveLength(1);
    await reconcileLink(reconcileDepsFor(database.db, temporal.client, temporal.taskQueue), link.id);
    expect(await evaluateAt(false)).toBe(scheduleJobNames.length);
    expect(await openDrift()).toEqual([]);
    expect(await evaluateAt(false)).toBe(0);

    // A note changed on the server shows in the list: found outside the round too.
    await handle.update((previous) => ({ ...previous, state: { ...previous.state, note: 'changed in the Temporal UI' } }));
    await until(async () => (await listedStates(link)).get(handle.scheduleId)?.note === 'changed in the Temporal UI', 'the list to show the new note');
    expect(await evaluateAt(false)).toBe(scheduleJobNames.length);
    expect(await openDrift()).toEqual([['sync-invoices', { reason: 'spec, action or note differs from the database' }]]);
    await reconcileLink(reconcileDepsFor(database.db, temporal.client, temporal.taskQueue), link.id);
    expect(await evaluateAt(false)).toBe(scheduleJobNames.length);
    expect(await openDrift()).toEqual([]);
    for (const job of scheduleJobNames) await temporal.client.schedule.getHandle(scheduleIdFor(job, link.id)).delete();
  });

  it('missed_slot: slots that passed with no run, per job, until runs serve them (a backfill, a ledger row)', async () => {
    // Thursday 26 November 2026, 18:00 KST; the link was last changed at noon.
    const now = kstInstant('2026-11-26', '18:00');
    const link = await insertTestMallLink(database.db, { collection_method: 'auto', link_start_date: '2026-11-01' });
    await database.db.updateTable('mall_links').set({ updated_at: kstInstant('2026-11-26', '12:00') }).where('id', '=', link.id).execute();
    const expected = ['12:10', '12:30', '13:10', '13:30', '14:10', '14:30', '14:40', '15:10', '15:30', '15:40', '16:10', '16:30', '16:40', '17:10', '17:30', '17:40'].map((time) => kstInstant('2026-11-26', time));

    await evaluate(now);
    await evaluate(now);
    const opened = await open(link, 'missed_slot');
    expect(opened.map((a) => [a.subject, a.since, a.details])).toEqual(scheduleJobNames.map((job) => [job, expected[0], { slots: expected.map((slot) => slot.toISOString()) }]));
    for (const alert of opened) expect(deps.lines.filter((line) => line.event === 'alert.opened' && line.alertId === alert.id)).toHaveLength(1);

    // The first collection slot is served by a Temporal execution (e.g. a backfilled run still
    // waiting for a worker), the others by ledger rows; invoice slots all by ledger rows but one.
    const workflowId = `collect-orders:${link.id}-backfill-test`;
    startedWorkflows.push(workflowId);
    await temporal.client.workflow.start('collectOrders', {
      taskQueue: `${temporal.taskQueue}-nobody`,
      workflowId,
      args: [{ mallLinkId: link.id }],
      typedSearchAttributes: [
        { key: MallIdKey, value: link.mall_id },
        { key: SlotAtKey, value: expected[0]! },
      ],
    });
    for (const [i, slot] of expected.slice(1).entries()) {
      await startCollectionRun(database.db, { mallLinkId: link.id, workflowId: `c-${i}`, runId: 'r', trigger: 'schedule', slotAt: slot.toISOString(), window: null, status: 'skipped', outcome: 'test' });
    }
    for (const [i, slot] of expected.slice(0, -1).entries()) {
      await database.db.insertInto('invoice_sync_runs').values({ mall_link_id: link.id, workflow_id: `i-${i}`, run_id: 'r', trigger: 'schedule', slot_at: slot, status: 'completed', outcome: 'test' }).execute();
    }
    await expect.poll(async () => (await findMissedSlots(deps, link, { from: kstInstant('2026-11-26', '12:00'), to: kstInstant('2026-11-26', '17:50') })).map((m) => [m.job, m.slots]), { timeout: 10_000, interval: 200 }).toEqual([
      ['collect-orders', []],
      ['sync-invoices', [expected.at(-1)]],
    ]);
    await evaluate(now);
    const [collect, invoices] = scheduleJobNames.map((job) => opened.find((a) => a.subject === job)!);
    expect((await alertsOf(database.db, link.id, 'missed_slot')).map((a) => [a.id, a.status, a.details])).toEqual([
      [collect!.id, 'closed', { slots: expected.map((slot) => slot.toISOString()) }],
      [invoices!.id, 'open', { slots: [expected.at(-1)!.toISOString()] }],
    ]);
    expect(deps.lines.filter((line) => line.event === 'alert.closed' && line.alertId === collect!.id)).toHaveLength(1);

    await database.db.insertInto('invoice_sync_runs').values({ mall_link_id: link.id, workflow_id: 'i-last', run_id: 'r', trigger: 'manual', slot_at: expected.at(-1)!, status: 'completed', outcome: 'test' }).execute();
    await evaluate(now);
    expect(await open(link, 'missed_slot')).toEqual([]);
  });

  it('missed_slot: none for a link that is not active (manual, disabled or awaiting authorization)', async () => {
    const now = kstInstant('2026-11-26', '18:00');
    const links = [
      await insertTestMallLink(database.db, { collection_method: 'manual', link_start_date: '2026-11-01' }),
      await insertTestMallLink(database.db, { enabled: false, link_start_date: '2026-11-01' }),
      await insertTestMallLink(database.db, { cafe24_auth_status: 'not_installed', link_start_date: '2026-11-01' }),
    ];
    for (const link of links) await database.db.updateTable('mall_links').set({ updated_at: kstInstant('2026-11-26', '12:00') }).where('id', '=', link.id).execute();
    await evaluate(now);
    for (const link of links) expect(await alertsOf(database.db, link.id, 'missed_slot')).toEqual([]);
  });
});
