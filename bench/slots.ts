import { ScheduleOverlapPolicy } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { pino } from 'pino';
import { createActivities } from '../src/activities/index.js';
import { replaceProductLink } from '../src/db/repositories/product-links.js';
import { insertTimetableVersion } from '../src/db/repositories/timetable.js';
import { addCounts } from '../src/domain/collection-accounting.js';
import { collectPage, type CollectionPageSteps } from '../src/domain/collection-page.js';
import { chunk } from '../src/domain/grouping.js';
import { addDays, dayMs, kstDate, kstInstant } from '../src/domain/kst.js';
import { reconcileAll } from '../src/schedules/reconcile.js';
import { scheduleSettings } from '../src/schedules/temporal-schedule-sync.js';
import { cafe24SimControl } from '../src/sim/cafe24/index.js';
import type { CollectionActivities, FetchedPage } from '../src/temporal/collection.js';
import { alertScheduleId, scheduleIdFor } from '../src/temporal/names.js';
import { createRemotePorts } from '../src/worker/remote-ports.js';
import type { MallLinkRow } from '../db/schema.js';
import { authorizeLink, configFor, connectCafe24, createLink, linkableVariantCodes } from '../test/support/cafe24.js';
import { until } from '../test/support/wait.js';
import type { ManagedChild } from '../src/dev/child-process.js';
import { benchPollColumn, cpuSeconds, postgresCpuSeconds, watchPeakRss, type BenchStack, type StatementStat } from './stack.js';

/**
 * Whole slots on the embedded stack: malls with paid, linked orders in the Cafe24 simulator,
 * their schedules triggered all at once (as a slot starts them), timed from the trigger to the
 * last outcome recorded; and the same work with the same activities called in-process without
 * Temporal (--direct) for the durability overhead.
 */

export const cafe24PageSize = 500;
export const fmsBatchSize = 100;
/** Cafe24's bucket: 40 deep, 2 calls/s drained, per mall. */
const bucket = { depth: 40, perSecond: 2 };

export interface Mall {
  link: MallLinkRow;
  orders: number;
}

export interface SlotMeasure {
  case: string;
  malls: number;
  orders: number;
  wallSeconds: number;
  ordersPerSecond: number;
  cafe24Calls: number;
  cafe24Least: number;
  fmsCalls: number;
  fmsCreateCalls: number;
  fmsLeast: number;
  historyEvents: number | null;
  eventsPerOrder: number | null;
  workerPeakRssMiB: number[];
  apiPeakRssMiB: number | null;
  workerCpuSeconds: number[];
  /** The Temporal dev server's CPU seconds during the slot (null: --direct, or its process not found). */
  temporalCpuSeconds: number | null;
  /** PostgreSQL's CPU seconds during the slot, every backend's. */
  postgresCpuSeconds: number;
  /** PostgreSQL statements per run (pg_stat_statements; the bench's own polls left out). */
  statementsPerRun: number;
  /** PostgreSQL's statements of the slot by total time. */
  topStatements: StatementStat[];
  /** From the trigger to the last run's start as Temporal records it: how long Temporal took to start them all. */
  lastStartSeconds: number | null;
  benchCpuSeconds: number;
  floorSeconds: number;
  overFloor: number;
  duplicates: number;
  missing: number;
}

/** Mall links with `orders` paid orders each of one linked variant, installed against the simulator. */
export async function createMalls(stack: BenchStack, prefix: string, count: number, orders: number): Promise<Mall[]> {
  const cafe24 = connectCafe24(stack.cafe24, stack.db);
  const control = cafe24SimControl(stack.cafe24.url);
  const start = addDays(kstDate(new Date()), -3);
  const malls: Mall[] = [];
  try {
    for (const group of chunk(
      Array.from({ length: count }, (_, i) => i),
      16,
    )) {
      malls.push(
        ...(await Promise.all(
          group.map(async (i) => {
            const created = await createLink(stack.db, `${prefix}${String(i).padStart(4, '0')}`);
            await authorizeLink(stack.cafe24, cafe24, created);
            const link = await stack.db
              .updateTable('mall_links')
              .set({ cst_cd: `${prefix.toUpperCase()}${String(i).padStart(4, '0')}`, sender_name: '벤치상점', sender_phone: '02-555-0100', link_start_date: start, collection_range_days: 3 })
              .where('id', '=', created.id)
              .returningAll()
              .executeTakeFirstOrThrow();
            const variant = (await linkableVariantCodes(control, link.mall_id))[0]!;
            await replaceProductLink(stack.db, link.id, variant, [{ cstGodCd: 'G001', quantity: 1 }]);
            // Paid over the two KST days before today, up to 20 minutes before midnight (past any
            // payment wait), inside the window of a slot now (three days), at any hour the bench
            // runs: each date holds half of a mall's orders, under the 15,000 one date-only Cafe24
            // query can page through (A's 20,000 on one date fail `Cafe24WindowTooLarge`), and
            // every mall's orders span the same two dates.
            const from = kstInstant(addDays(kstDate(new Date()), -2)).getTime();
            const step = Math.floor((2 * dayMs - 20 * 60_000) / orders);
            for (const part of chunk(
              Array.from({ length: orders }, (_, n) => n),
              1_000,
            )) {
              await control.addOrders(
                link.mall_id,
                part.map((n) => ({ paidAt: new Date(from + n * step).toISOString(), lines: [{ variantCode: variant, quantity: 1 }] })),
              );
            }
            return { link, orders };
          }),
        )),
      );
    }
  } finally {
    await cafe24.close();
  }
  return malls;
}

/** Creates (or updates) every link's schedules, as the worker's start-up reconcile would. */
/**
 * The link schedules, on a timetable of one slot 12 hours from now: a timetable slot during the
 * bench would start every mall's run beside the triggered ones, and those would find the mall's
 * lease taken and end skipped (another_run_in_progress).
 */
export async function reconcileSchedules(stack: BenchStack): Promise<void> {
  const away = new Date(Date.now() + 12 * 3_600_000 + 9 * 3_600_000);
  const slot = `${String(away.getUTCHours()).padStart(2, '0')}:00`;
  await insertTimetableVersion(stack.db, { business: [slot], saturday: [slot], sunday_holiday: [slot] }, null);
  await reconcileAll({ db: stack.db, temporal: stack.temporal, log: pino({ level: 'silent' }), settings: scheduleSettings({ TEMPORAL_TASK_QUEUE: stack.taskQueue, SCHEDULE_CATCHUP_WINDOW_MINUTES: 10 }) });
}

/**
 * Starts a worker process and awaits its start-up tasks, which end with an alert evaluation it
 * triggers (every link's schedules checked, every link's alerts evaluated): a slot measured while
 * they run would measure them too.
 */
export async function startWorker(stack: BenchStack, name: string): Promise<ManagedChild> {
  const evaluations = stack.temporal.schedule.getHandle(alertScheduleId);
  const recentEvaluations = async () => (await evaluations.describe()).info.recentActions;
  // Before the first worker the schedule does not exist yet.
  const before = await recentEvaluations().then((actions) => actions.length, () => 0);
  const worker = await stack.startProcess(name, 'src/worker/main.ts', 'alert evaluation schedule in place');
  let workflowId: string | undefined;
  await until(async () => (workflowId = (await recentEvaluations()).slice(before).at(-1)?.action.workflow.workflowId) !== undefined, `${name}'s start-up alert evaluation`, 120_000);
  await stack.temporal.workflow.getHandle(workflowId!).result();
  return worker;
}

/** The least time the calls can take: per mall, its sequential calls at the simulated latency plus bucket waits; malls in parallel. */
export function slotFloorSeconds(malls: Mall[], latencyMs: number, callsOf: (orders: number) => { cafe24: number; fms: number }): number {
  return Math.max(
    ...malls.map((m) => {
      const calls = callsOf(m.orders);
      return ((calls.cafe24 + calls.fms) * latencyMs) / 1000 + Math.max(0, calls.cafe24 - bucket.depth) / bucket.perSecond;
    }),
  );
}

/** The least calls a mall's collection needs: Cafe24's order count (it decides whether one offset window reaches every order) and pages of 500; FMS creates of 100. */
export const collectionCalls = (orders: number) => ({ cafe24: 1 + Math.ceil(orders / cafe24PageSize), fms: Math.ceil(orders / fmsBatchSize) });

function cafe24Requests(stack: BenchStack, malls: Mall[]): number {
  return malls.reduce((sum, m) => sum + stack.cafe24.state.mall(m.link.mall_id).stats.requests, 0);
}

/**
 * The slot's runs as Temporal lists them: their history events (continue-as-new included) and when
 * the last of them started (a workflow's first execution: Temporal's start, before any worker sees it).
 */
async function runsSince(stack: BenchStack, workflowType: string, since: Date, minimumRuns: number): Promise<{ events: number; lastStart: Date } | null> {
  // Visibility catches up a little after the runs close.
  for (let attempt = 0; attempt < 50; attempt++) {
    let events = 0;
    const firstStarts = new Map<string, number>();
    for await (const execution of stack.temporal.workflow.list({ query: `WorkflowType = '${workflowType}' AND StartTime >= '${since.toISOString()}' AND ExecutionStatus != 'Running'` })) {
      events += execution.historyLength;
      firstStarts.set(execution.workflowId, Math.min(firstStarts.get(execution.workflowId) ?? Infinity, execution.startTime.getTime()));
    }
    if (firstStarts.size >= minimumRuns) return { events, lastStart: new Date(Math.max(...firstStarts.values())) };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return null;
}

/** Every mall's FMS requests: ordNos requested more than once, and orders without a request. */
function fmsDuplicatesAndMissing(stack: BenchStack, malls: Mall[]): { duplicates: number; missing: number } {
  let duplicates = 0;
  let missing = 0;
  for (const m of malls) {
    const outbounds = stack.fms.control.outbounds(m.link.cst_cd);
    const distinct = new Set(outbounds.map((o) => o.ordNo)).size;
    duplicates += outbounds.length - distinct;
    missing += m.orders - distinct;
  }
  return { duplicates, missing };
}

/**
 * Triggers `job`'s schedule of every mall at once and waits until each has a finished run of
 * that job recorded in `table`; measured from the trigger to the last finish.
 */
export async function runSlot(
  stack: BenchStack,
  options: {
    name: string;
    malls: Mall[];
    job: 'collect-orders' | 'sync-invoices';
    workerPids: number[];
    apiPid: number | null;
    latencyMs: number;
    least: (orders: number) => { cafe24: number; fms: number };
    check: () => Promise<{ duplicates: number; missing: number }> | { duplicates: number; missing: number };
  },
): Promise<SlotMeasure> {
  const { malls, job } = options;
  const table = job === 'collect-orders' ? 'collection_runs' : 'invoice_sync_runs';
  const ids = malls.map((m) => m.link.id);
  const cafe24Before = cafe24Requests(stack, malls);
  const fmsBefore = stack.fms.control.stats();
  const cpuBefore = options.workerPids.map(cpuSeconds);
  const temporalCpuBefore = stack.temporalPid === null ? null : cpuSeconds(stack.temporalPid);
  const benchCpuBefore = process.cpuUsage();
  await stack.statements.reset();
  const postgresCpuBefore = postgresCpuSeconds(stack.postgresPid);
  const rss = watchPeakRss([...options.workerPids, ...(options.apiPid ? [options.apiPid] : [])]);
  const started = new Date();
  // With the schedules' own overlap policy, as their slot would start them (trigger() alone means ALLOW_ALL).
  await Promise.all(ids.map((id) => stack.temporal.schedule.getHandle(scheduleIdFor(job, id)).trigger(ScheduleOverlapPolicy.SKIP)));
  let last: Date | null = null;
  for (;;) {
    const row = await stack.db
      .selectFrom(table)
      .select((eb) => [eb.fn.countAll<string>().as(benchPollColumn), eb.fn.max('finished_at').as('last')])
      .where('mall_link_id', 'in', ids)
      .where('finished_at', 'is not', null)
      .where('started_at', '>=', new Date(started.getTime() - 1_000))
      .executeTakeFirstOrThrow();
    if (Number(row.finished) >= ids.length) {
      last = row.last as Date;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const wallSeconds = (last.getTime() - started.getTime()) / 1000;
  const postgresCpu = postgresCpuSeconds(stack.postgresPid) - postgresCpuBefore;
  const statements = await stack.statements.count();
  const topStatements = await stack.statements.top(12);
  const peaks = rss.stop();
  const temporalCpuSeconds = temporalCpuBefore === null ? null : cpuSeconds(stack.temporalPid!) - temporalCpuBefore;
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const failed = await stack.db
    .selectFrom(table)
    .select(['status', 'outcome', 'error', (eb) => eb.fn.countAll<string>().as('runs')])
    .where('mall_link_id', 'in', ids)
    .where('started_at', '>=', new Date(started.getTime() - 1_000))
    .where('status', '!=', 'completed')
    .groupBy(['status', 'outcome', 'error'])
    .execute();
  if (failed.length > 0) throw new Error(`${options.name}: runs did not complete: ${JSON.stringify(failed.slice(0, 5))}`);
  const fmsAfter = stack.fms.control.stats();
  const orders = malls.reduce((n, m) => n + m.orders, 0);
  const least = malls.reduce((sum, m) => ({ cafe24: sum.cafe24 + options.least(m.orders).cafe24, fms: sum.fms + options.least(m.orders).fms }), { cafe24: 0, fms: 0 });
  const runs = await runsSince(stack, job === 'collect-orders' ? 'collectOrders' : 'syncInvoices', started, malls.length);
  const events = runs?.events ?? null;
  const floorSeconds = slotFloorSeconds(malls, options.latencyMs, options.least);
  return {
    case: options.name,
    malls: malls.length,
    orders,
    wallSeconds,
    ordersPerSecond: orders / wallSeconds,
    cafe24Calls: cafe24Requests(stack, malls) - cafe24Before,
    cafe24Least: least.cafe24,
    fmsCalls: fmsAfter.requests - fmsBefore.requests,
    fmsCreateCalls: fmsAfter.createCalls - fmsBefore.createCalls,
    fmsLeast: least.fms,
    historyEvents: events,
    eventsPerOrder: events === null ? null : events / orders,
    workerPeakRssMiB: peaks.slice(0, options.workerPids.length),
    apiPeakRssMiB: options.apiPid ? peaks.at(-1)! : null,
    workerCpuSeconds: options.workerPids.map((pid, i) => cpuSeconds(pid) - cpuBefore[i]!),
    temporalCpuSeconds,
    postgresCpuSeconds: postgresCpu,
    statementsPerRun: statements / malls.length,
    topStatements,
    lastStartSeconds: runs === null ? null : (runs.lastStart.getTime() - started.getTime()) / 1000,
    benchCpuSeconds: (benchCpu.user + benchCpu.system) / 1e6,
    floorSeconds,
    overFloor: wallSeconds / floorSeconds,
    ...(await options.check()),
  };
}

export const collectionCheck = (stack: BenchStack, malls: Mall[]) => () => fmsDuplicatesAndMissing(stack, malls);

/**
 * The collection of every mall with the same activities called in-process, in the order the
 * workflow calls them, all malls at once: what the slot costs without Temporal.
 */
export async function runDirect(stack: BenchStack, name: string, malls: Mall[], latencyMs: number): Promise<SlotMeasure> {
  const config = configFor(stack.cafe24, { FMS_BASE_URL: stack.fms.url, FMS_API_CD: stack.fms.apiCd, FMS_API_KEY: stack.fms.apiKey, DATABASE_URL: stack.databaseUrl });
  const cafe24 = connectCafe24(stack.cafe24, stack.db);
  const remote = createRemotePorts(config, { db: stack.db, cafe24, log: pino({ level: 'silent' }) });
  const activities = createActivities({ db: stack.db, cafe24, collection: remote.collection }) as unknown as CollectionActivities;
  const cafe24Before = cafe24Requests(stack, malls);
  const fmsBefore = stack.fms.control.stats();
  const cpuBefore = process.cpuUsage();
  await stack.statements.reset();
  const postgresCpuBefore = postgresCpuSeconds(stack.postgresPid);
  const rss = watchPeakRss([process.pid]);
  const started = performance.now();
  try {
    await Promise.all(malls.map((m) => collectDirect(activities, m.link.id, new Date().toISOString())));
  } finally {
    await remote.close();
    await cafe24.close();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const postgresCpu = postgresCpuSeconds(stack.postgresPid) - postgresCpuBefore;
  const statements = await stack.statements.count();
  const topStatements = await stack.statements.top(12);
  const cpu = process.cpuUsage(cpuBefore);
  const fmsAfter = stack.fms.control.stats();
  const orders = malls.reduce((n, m) => n + m.orders, 0);
  const floorSeconds = slotFloorSeconds(malls, latencyMs, collectionCalls);
  return {
    case: name,
    malls: malls.length,
    orders,
    wallSeconds,
    ordersPerSecond: orders / wallSeconds,
    cafe24Calls: cafe24Requests(stack, malls) - cafe24Before,
    cafe24Least: malls.reduce((n, m) => n + collectionCalls(m.orders).cafe24, 0),
    fmsCalls: fmsAfter.requests - fmsBefore.requests,
    fmsCreateCalls: fmsAfter.createCalls - fmsBefore.createCalls,
    fmsLeast: malls.reduce((n, m) => n + collectionCalls(m.orders).fms, 0),
    historyEvents: null,
    eventsPerOrder: null,
    workerPeakRssMiB: rss.stop(),
    apiPeakRssMiB: null,
    workerCpuSeconds: [(cpu.user + cpu.system) / 1e6],
    temporalCpuSeconds: null,
    postgresCpuSeconds: postgresCpu,
    statementsPerRun: statements / malls.length,
    topStatements,
    lastStartSeconds: null,
    benchCpuSeconds: (cpu.user + cpu.system) / 1e6,
    floorSeconds,
    overFloor: wallSeconds / floorSeconds,
    ...fmsDuplicatesAndMissing(stack, malls),
  };
}

/** collectOrders' steps for one mall (no continue-as-new), each activity called directly. */
async function collectDirect(activities: CollectionActivities, mallLinkId: string, slotAt: string): Promise<void> {
  const env = new MockActivityEnvironment();
  const call = <I, O>(activity: (input: I) => Promise<O>, input: I) => env.run(activity, input) as Promise<O>;
  const lease = { workflowId: `direct:${mallLinkId}`, runId: 'direct' };
  const { plan, collected } = await call(activities.startCollection, { mallLinkId, slotAt, trigger: 'manual' as const, lease });
  if (plan.kind !== 'ready' || !collected) throw new Error(`direct run of ${mallLinkId} skipped`);
  if (collected.next === null) return;
  const run = { mallLinkId, collectionRunId: plan.collectionRunId, lease };
  const steps: CollectionPageSteps = {
    loadProductLinks: (variantCodes) => call(activities.loadProductLinks, { mallLinkId, variantCodes }),
    requestShipments: (orders) => call(activities.requestShipments, { ...run, orders }),
    recordOutcomes: (records, unlinked, changedOrderIds) => call(activities.recordOutcomes, { ...run, records, unlinked, changedOrderIds }),
  };
  const seen = new Set(collected.orderIds);
  let { counts, ordersFetched, itemsFetched } = collected;
  for (let shopIndex = collected.next.shopIndex, cursor = collected.next.cursor; shopIndex < plan.shops.length; shopIndex += 1, cursor = null) {
    do {
      const page: FetchedPage = await call(activities.fetchOrderPage, { ...run, shopNo: plan.shops[shopIndex]!, window: plan.window, cursor });
      const fresh = page.orders.filter((o) => !seen.has(o.orderId));
      for (const o of fresh) seen.add(o.orderId);
      ordersFetched += fresh.length;
      itemsFetched += fresh.reduce((n, o) => n + o.items.length, 0);
      if (fresh.length > 0) counts = addCounts(counts, await collectPage(fresh, new Set(page.requestedOrderIds), plan.rules, slotAt, steps));
      cursor = page.nextCursor;
    } while (cursor !== null);
  }
  await call(activities.finishCollection, { ...run, window: plan.window, status: 'completed', outcome: 'collected', counts, ordersFetched, itemsFetched, error: null });
}
