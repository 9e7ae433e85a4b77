import { Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createActivities } from '../../../src/activities/index.js';
import { kstInstant } from '../../../src/domain/kst.js';
import { replaceProductLink } from '../../../src/db/repositories/product-links.js';
import { reconcileLink } from '../../../src/schedules/reconcile.js';
import type { RawOrderPurgeResult } from '../../../src/temporal/retention.js';
import { evaluateAlerts } from '../../../src/services/alerts.js';
import { rawOrderPurgeScheduleId, scheduleIdFor, scheduleJobNames, workflowTypes } from '../../../src/temporal/names.js';
import { createRemotePorts } from '../../../src/worker/remote-ports.js';
import type { MallLinkRow } from '../../../db/schema.js';
import { alertDepsFor } from '../../support/alerts.js';
import { createTestApp, json, unreachableTemporal } from '../../support/api.js';
import { connectCafe24, linkableVariantCodes } from '../../support/cafe24.js';
import { runCollection } from '../../support/collection-runs.js';
import { createInstalledLink, fmsRequestsPerOrdNo, ordNoOf, startEndToEnd, type EndToEnd } from '../../support/end-to-end.js';
import { runInvoiceSync } from '../../support/invoices.js';
import { adminScope, apiCaller, createTestApiKey, customerScope, type TestApiKey } from '../../support/mall-link-api.js';
import { reconcileDepsFor } from '../../support/schedules.js';
import { workflowBundle } from '../../support/temporal.js';

/**
 * Operations after an outage, end to end (real PostgreSQL and Temporal, both simulators over HTTP):
 * slots pass with no worker polling, missed-slot alerts open and the reconciliation report shows
 * the day's orders missing, a schedule backfill runs those slots, and the alerts close, the report
 * shows none missing and FMS one request per order; the report's categories, its CSV form and tenancy; the raw-order retention purge.
 */
describe('backfill, reconciliation and retention', () => {
  let e2e: EndToEnd;
  let call: ReturnType<typeof apiCaller>;
  let admin: TestApiKey;
  let worker: { stop(): Promise<void> } | undefined;

  /** An in-process worker with the real ports, the retention activity included (as src/worker/main.ts builds it). */
  async function startWorker() {
    const cafe24 = connectCafe24(e2e.cafe24Sim, e2e.database.db);
    const remote = createRemotePorts(e2e.config, { db: e2e.database.db, cafe24, log: pino({ level: 'silent' }) });
    const running = await Worker.create({
      connection: e2e.temporal.nativeConnection,
      namespace: e2e.temporal.namespace,
      taskQueue: e2e.temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities({ db: e2e.database.db, cafe24, collection: remote.collection, invoices: remote.invoices, retentionDays: 30 }),
    });
    const run = running.run();
    return {
      async stop() {
        running.shutdown();
        await run;
        await remote.close();
        await cafe24.close();
      },
    };
  }

  /** A link with the first linkable variants linked to G001…; returns them (index → variant code). */
  async function linkWithProducts(cstCd: string, settings: Parameters<typeof createInstalledLink>[1] = {}): Promise<{ link: MallLinkRow; variants: string[] }> {
    const link = await createInstalledLink(e2e, { cst_cd: cstCd, link_start_date: '2026-11-20', collection_method: 'auto', collection_range_days: 1, minutes_after_payment: 10, ...settings });
    const variants = (await linkableVariantCodes(e2e.cafe24Control, link.mall_id)).slice(0, 4);
    for (const [i, variantCode] of variants.slice(0, 3).entries()) await replaceProductLink(e2e.database.db, link.id, variantCode, [{ cstGodCd: `G00${i + 1}`, quantity: 1 }]);
    return { link, variants };
  }

  const report = async (link: MallLinkRow, date: string, key: TestApiKey = admin) => {
    const res = await call('GET', `/v1/mall-links/${link.id}/reconciliation?date=${date}`, { key });
    expect(res.status, await res.clone().text()).toBe(200);
    return json(res);
  };
  const completedRuns = (link: MallLinkRow) =>
    e2e.database.db.selectFrom('collection_runs').select(['slot_at', 'trigger', 'status']).where('mall_link_id', '=', link.id).where('status', '=', 'completed').orderBy('slot_at').execute();

  beforeAll(async () => {
    e2e = await startEndToEnd();
    call = apiCaller(createTestApp({ db: e2e.database.db, temporal: e2e.temporal.client, cafe24: e2e.cafe24, config: e2e.config }));
    admin = await createTestApiKey(e2e.database.db, adminScope);
  });

  afterAll(async () => {
    await worker?.stop();
    for await (const schedule of e2e.temporal.client.schedule.list()) await e2e.temporal.client.schedule.getHandle(schedule.scheduleId).delete().catch(() => undefined);
    await e2e?.close();
  });

  // Thursday 2026-11-26, a business day: slots 09:10, 09:30 and 10:10 KST lie in the range.
  const outageDay = '2026-11-26';
  const range = { from: '2026-11-26T09:10:00+09:00', durationMinutes: 60 };
  const rangeEnd = '2026-11-26T10:10:00+09:00';
  const expectedSlots = ['09:10', '09:30', '10:10'].map((time) => `${outageDay}T${time}:00+09:00`);
  let outage: { link: MallLinkRow; orderIds: string[] };

  // The alert evaluation's clock: just after the outage, once the 10:10 slot is past its grace.
  const evaluatedAt = kstInstant(outageDay, '10:30');
  const missedSlotAlerts = async (link: MallLinkRow) => {
    const res = await call('GET', `/v1/alerts?kind=missed_slot&mallLinkId=${link.id}`, { key: admin });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await json(res);
    expect(body.nextCursor).toBeNull();
    return (body.items as { subject: string; status: string; since: string; details: unknown; closedAt: string | null }[]).sort((a, b) => a.subject.localeCompare(b.subject));
  };

  it('slots passed with no worker: missed-slot alerts open and the orders are missing; a backfill runs every slot once, in turn, and then the alerts close, none is missing and FMS holds one request per order', { timeout: 120_000 }, async () => {
    const { link, variants } = await linkWithProducts('BACKFILL1');
    // The link was last changed that morning, before the worker stopped (the test creates it on today's clock).
    await e2e.database.db.updateTable('mall_links').set({ updated_at: kstInstant(outageDay, '09:00') }).where('id', '=', link.id).execute();
    await reconcileLink(reconcileDepsFor(e2e.database.db, e2e.temporal.client, e2e.temporal.taskQueue), link.id);
    // Paid 09:00, 09:20 and 10:00 KST: due at 09:10, 09:30 and 10:10 respectively.
    const added = await e2e.cafe24Control.addOrders(
      link.mall_id,
      ['2026-11-26T00:00:00.000Z', '2026-11-26T00:20:00.000Z', '2026-11-26T01:00:00.000Z'].map((paidAt, i) => ({ paidAt, lines: [{ variantCode: variants[i]!, quantity: 1 }] })),
    );
    outage = { link, orderIds: added.map((o) => o.order_id) };

    const before = await report(link, outageDay);
    expect(before.counts).toMatchObject({ missing: 3, requested: 0 });
    expect(before.orders.map((o: { orderId: string; category: string; reason: string }) => [o.orderId, o.category, o.reason])).toEqual(outage.orderIds.map((id) => [id, 'missing', 'never_fetched']));

    // The operator learns of the outage from the alerts: one per schedule job, listing its missed slots.
    const alertDeps = alertDepsFor(e2e.database.db, e2e.temporal.client, e2e.temporal.taskQueue);
    await evaluateAlerts(alertDeps, evaluatedAt);
    const slotsUtc = expectedSlots.map((slot) => new Date(slot).toISOString());
    expect(await missedSlotAlerts(link)).toEqual(
      scheduleJobNames.map((job) => expect.objectContaining({ subject: job, status: 'open', since: slotsUtc[0], details: { slots: slotsUtc }, closedAt: null })),
    );

    // No worker polls yet: the backfill of both jobs is accepted and buffered on the server.
    const res = await call('POST', `/v1/mall-links/${link.id}/backfill`, { key: admin, body: { ...range, jobs: scheduleJobNames } });
    expect(res.status, await res.clone().text()).toBe(202);
    expect(await json(res)).toEqual({
      mallLinkId: link.id,
      from: range.from,
      to: rangeEnd,
      overlap: 'BUFFER_ALL',
      schedules: scheduleJobNames.map((job) => ({ job, scheduleId: scheduleIdFor(job, link.id), slots: expectedSlots })),
    });
    expect(await completedRuns(link)).toEqual([]);

    worker = await startWorker();
    await vi.waitFor(async () => expect(await completedRuns(link)).toHaveLength(expectedSlots.length), { timeout: 60_000, interval: 250 });
    // Each run served its own slot, as the schedule started it.
    expect((await completedRuns(link)).map((r) => [r.slot_at.getTime(), r.trigger])).toEqual(expectedSlots.map((slot) => [new Date(slot).getTime(), 'schedule']));

    const after = await report(link, outageDay);
    expect(after.counts).toEqual({ requested: 3, shipped_not_synced: 0, cancelled: 0, rejected: 0, unlinked: 0, not_eligible: 0, missing: 0 });
    expect(after.orders.every((o: { slipNo: string | null }) => o.slipNo !== null)).toBe(true);
    expect(Object.fromEntries(fmsRequestsPerOrdNo(e2e, 'BACKFILL1'))).toEqual(Object.fromEntries(outage.orderIds.map((id) => [ordNoOf(link, id), 1])));

    // Every slot of both jobs has its run: the next evaluation closes both alerts.
    const invoiceRuns = () => e2e.database.db.selectFrom('invoice_sync_runs').select('slot_at').where('mall_link_id', '=', link.id).where('status', '=', 'completed').orderBy('slot_at').execute();
    await vi.waitFor(async () => expect((await invoiceRuns()).map((r) => r.slot_at.toISOString())).toEqual(slotsUtc), { timeout: 60_000, interval: 250 });
    await evaluateAlerts(alertDeps, evaluatedAt);
    expect(await missedSlotAlerts(link)).toEqual(scheduleJobNames.map((job) => expect.objectContaining({ subject: job, status: 'closed', closedAt: expect.any(String) })));

    // Backfilling a slot that already ran is harmless: it runs again and requests nothing twice.
    // A length of 0 minutes is the slot at `from` alone.
    const created = e2e.fms.control.stats().createdOutbounds;
    const rerun = await call('POST', `/v1/mall-links/${link.id}/backfill`, { key: admin, body: { from: rangeEnd, durationMinutes: 0 } });
    expect((await json(rerun)).schedules[0].slots).toEqual([rangeEnd]);
    await vi.waitFor(async () => expect(await completedRuns(link)).toHaveLength(expectedSlots.length + 1), { timeout: 60_000, interval: 250 });
    const rerunResult = await e2e.database.db.selectFrom('collection_runs').select('counts').where('mall_link_id', '=', link.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(rerunResult.counts).toEqual({ already_requested: 3 });
    expect(e2e.fms.control.stats().createdOutbounds).toBe(created);
    expect((await report(link, outageDay)).counts).toMatchObject({ requested: 3, missing: 0 });
  });

  it('backfill: admin only (403 for the owning customer), a length of 0 minutes to 7 days, in the past (422 naming the field), 404 for an unknown link, 503 without Temporal', async () => {
    const { link } = outage;
    const owner = await createTestApiKey(e2e.database.db, customerScope('BACKFILL1'));
    const post = (body: unknown, key = admin) => call('POST', `/v1/mall-links/${link.id}/backfill`, { key, body });
    expect((await post(range, owner)).status).toBe(403);
    const nowMinus = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const problems: [unknown, string][] = [
      [{ from: range.from, durationMinutes: -1 }, 'durationMinutes'],
      [{ from: '2026-11-10T00:00:00+09:00', durationMinutes: 7 * 24 * 60 + 1 }, 'durationMinutes'],
      [{ from: range.from, durationMinutes: 30.5 }, 'durationMinutes'],
      // The end of the range in the future: the length is what reaches there.
      [{ from: nowMinus(60), durationMinutes: 120 }, 'durationMinutes'],
      [{ from: '2099-01-01T00:00:00+09:00', durationMinutes: 60 }, 'from'],
      [{ from: 'yesterday', durationMinutes: 60 }, 'from'],
      [{ from: range.from }, 'durationMinutes'],
      // The former two-instant form is refused by name, not half-read.
      [{ from: range.from, to: rangeEnd }, 'to'],
      [{ ...range, jobs: ['nightly'] }, 'jobs'],
    ];
    for (const [body, field] of problems) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const paths: string[] = (await json(res)).errors.map((e: { path: string }) => e.path);
      expect(paths.some((path) => path === field || path.startsWith(`${field}.`)), `${JSON.stringify(body)}: ${paths.join(', ')}`).toBe(true);
    }
    expect((await call('POST', '/v1/mall-links/00000000-0000-4000-8000-000000000000/backfill', { key: admin, body: range })).status).toBe(404);

    const down = unreachableTemporal();
    try {
      const callDown = apiCaller(createTestApp({ db: e2e.database.db, temporal: down.client, cafe24: e2e.cafe24, config: { ...e2e.config, SCHEDULE_SYNC_TIMEOUT_MS: 300 } }));
      const res = await callDown('POST', `/v1/mall-links/${link.id}/backfill`, { key: admin, body: range });
      expect(res.status).toBe(503);
      expect(await json(res)).toMatchObject({ type: '/problems/temporal-unavailable' });
    } finally {
      await down.close();
    }
  });

  it('reconciliation: requested, shipped-not-synced, cancelled, unlinked, not eligible and missing in one day, no personal data, CSV, tenancy', { timeout: 60_000 }, async () => {
    worker ??= await startWorker();
    const cstCd = 'RECON01';
    const { link, variants } = await linkWithProducts(cstCd, { invoice_sync_enabled: false });
    const names = ['REQUESTED', 'SHIPPED', 'CANCELLED', 'UNLINKED', 'WRONG_STATUS'] as const;
    // 09:00 KST on Friday 2026-11-27; variant 3 has no product link.
    const lines = { REQUESTED: 0, SHIPPED: 1, CANCELLED: 2, UNLINKED: 3, WRONG_STATUS: 0 };
    const added = await e2e.cafe24Control.addOrders(link.mall_id, names.map((name) => ({ paidAt: '2026-11-27T00:00:00.000Z', lines: [{ variantCode: variants[lines[name]]!, quantity: 1 }] })));
    const id = Object.fromEntries(names.map((name, i) => [name, added[i]!.order_id])) as Record<(typeof names)[number], string>;
    await e2e.cafe24Control.setItemStatus(link.mall_id, id.WRONG_STATUS, 'N20');

    await runCollection(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: '2026-11-27T05:40:00.000Z', trigger: 'schedule' });
    const slipOf = (orderId: string) => e2e.fms.control.outbounds(cstCd).find((o) => o.ordNo === ordNoOf(link, orderId))!.slipNo;
    e2e.fms.control.shipNow(cstCd, slipOf(id.SHIPPED));
    await e2e.cafe24Control.setItemStatus(link.mall_id, id.CANCELLED, 'C40');
    // Invoice registration is off for the link: the run reads FMS progress and cancels in FMS, registers nothing.
    await runInvoiceSync(e2e, link);
    // Paid the same morning, but Cafe24 lists it only now: no run fetched it.
    const [late] = await e2e.cafe24Control.addOrders(link.mall_id, [{ paidAt: '2026-11-27T00:30:00.000Z', lines: [{ variantCode: variants[0]!, quantity: 1 }] }]);

    const body = await report(link, '2026-11-27');
    expect(body.counts).toEqual({ requested: 1, shipped_not_synced: 1, cancelled: 1, rejected: 0, unlinked: 1, not_eligible: 1, missing: 1 });
    const byId = new Map(body.orders.map((o: { orderId: string }) => [o.orderId, o]));
    expect(byId.get(id.REQUESTED)).toMatchObject({ category: 'requested', slipNo: slipOf(id.REQUESTED), reason: null, items: [{ cafe24Status: 'N10', lastOutcome: 'requested' }] });
    expect(byId.get(id.SHIPPED)).toMatchObject({ category: 'shipped_not_synced', slipNo: slipOf(id.SHIPPED), fmsStatus: 'DONE', fmsStatusSeenAt: expect.any(String) });
    expect(byId.get(id.CANCELLED)).toMatchObject({ category: 'cancelled', reason: 'cancelled_in_fms', items: [{ cafe24Status: 'C40' }] });
    expect(byId.get(id.UNLINKED)).toMatchObject({ category: 'unlinked', reason: 'no_link', slipNo: null, items: [{ reason: 'no_link', variantCode: variants[3] }] });
    expect(byId.get(id.WRONG_STATUS)).toMatchObject({ category: 'not_eligible', reason: 'wrong_status', items: [{ lastOutcome: 'not_eligible:wrong_status' }] });
    expect(byId.get(late!.order_id)).toMatchObject({ category: 'missing', reason: 'never_fetched' });

    // Ids, codes and statuses only: no buyer or receiver from the raw orders.
    const raw = await e2e.database.db.selectFrom('collected_orders').select('raw').where('mall_link_id', '=', link.id).execute();
    const text = JSON.stringify(body);
    for (const { raw: order } of raw as { raw: { receiver: { name: string; address1: string | null }; buyer: { name: string } } }[]) {
      expect(text).not.toContain(order.receiver.name);
      expect(text).not.toContain(order.buyer.name);
      if (order.receiver.address1) expect(text).not.toContain(order.receiver.address1);
    }

    const csv = await call('GET', `/v1/mall-links/${link.id}/reconciliation?date=2026-11-27`, { key: admin, headers: { accept: 'text/csv' } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const csvLines = (await csv.text()).trimEnd().split('\r\n');
    expect(csvLines[0]!.split(',')).toEqual(['order_id', 'shop_no', 'paid_at', 'category', 'reason', 'slip_no', 'fms_status', 'fms_status_seen_at', 'order_item_code', 'variant_code', 'cafe24_status', 'item_reason', 'last_outcome', 'invoice_status']);
    expect(csvLines).toHaveLength(1 + 6);
    expect(csvLines.find((line) => line.startsWith(`${id.UNLINKED},`))!.split(',').slice(3, 5)).toEqual(['unlinked', 'no_link']);

    // The owning customer sees it; another customer's key gets 404; no key 401; a bad date 422.
    expect((await report(link, '2026-11-27', await createTestApiKey(e2e.database.db, customerScope(cstCd)))).counts.missing).toBe(1);
    const stranger = await createTestApiKey(e2e.database.db, customerScope('OTHER01'));
    expect((await call('GET', `/v1/mall-links/${link.id}/reconciliation?date=2026-11-27`, { key: stranger })).status).toBe(404);
    expect((await call('GET', `/v1/mall-links/${link.id}/reconciliation?date=2026-11-27`)).status).toBe(401);
    for (const date of ['2026-11-31', '27-11-2026', '2099-01-01']) {
      const res = await call('GET', `/v1/mall-links/${link.id}/reconciliation?date=${date}`, { key: admin });
      expect(res.status, date).toBe(422);
      expect(await res.text()).toContain('date');
    }
  });

  it('retention: the daily purge strips personal data from raw orders not fetched for RETENTION_DAYS only; ledgers stay, and a later collection does not request them again', { timeout: 60_000 }, async () => {
    worker ??= await startWorker();
    const { link, orderIds } = outage;
    const db = e2e.database.db;
    const fresh = await db.selectFrom('collected_orders').select(['mall_link_id', 'order_id']).where('mall_link_id', '!=', link.id).execute();
    expect(fresh.length).toBeGreaterThan(0);
    await db.updateTable('collected_orders').set({ last_fetched_at: new Date(Date.now() - 31 * 86_400_000) }).where('mall_link_id', '=', link.id).execute();
    const trailBefore = await db.selectFrom('order_trail').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow();

    const result = (await e2e.temporal.client.workflow.execute(workflowTypes.purgeRawOrders, { taskQueue: e2e.temporal.taskQueue, workflowId: `${rawOrderPurgeScheduleId}-test` })) as RawOrderPurgeResult;
    expect(result).toMatchObject({ retentionDays: 30, purged: orderIds.length });

    const purged = await db.selectFrom('collected_orders').selectAll().where('mall_link_id', '=', link.id).execute();
    for (const row of purged) {
      expect(row.raw_purged_at).not.toBeNull();
      expect(row.raw).toMatchObject({ orderId: row.order_id, receiver: null, buyer: null });
      expect(row.slip_no).not.toBeNull();
    }
    const kept = await db.selectFrom('collected_orders').select(['raw', 'raw_purged_at']).where('mall_link_id', '!=', link.id).execute();
    expect(kept.every((row) => row.raw_purged_at === null && (row.raw as { receiver: unknown }).receiver !== null)).toBe(true);
    expect(await db.selectFrom('order_trail').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).toEqual(trailBefore);
    // The order's trail is still served from ids and codes.
    expect((await call('GET', `/v1/mall-links/${link.id}/orders/${orderIds[0]}`, { key: admin })).status).toBe(200);

    // A later slot fetches the same orders again: already requested, nothing new at FMS, the raw order stored afresh.
    const created = e2e.fms.control.stats().createdOutbounds;
    const { result: again } = await runCollection(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: '2026-11-26T05:40:00.000Z', trigger: 'schedule' });
    expect(again.counts).toEqual({ already_requested: orderIds.length });
    expect(e2e.fms.control.stats().createdOutbounds).toBe(created);
    const refetched = await db.selectFrom('collected_orders').select(['raw', 'raw_purged_at']).where('mall_link_id', '=', link.id).execute();
    expect(refetched.every((row) => row.raw_purged_at === null && (row.raw as { receiver: unknown }).receiver !== null)).toBe(true);
    expect((await report(link, outageDay)).counts).toMatchObject({ requested: 3, missing: 0 });
  });
});
