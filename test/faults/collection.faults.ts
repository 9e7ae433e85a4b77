import { ServiceError, type WorkflowHandle } from '@temporalio/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceProductLink } from '../../src/db/repositories/product-links.js';
import type { MallLinkRow } from '../../db/schema.js';
import { freePort } from '../../src/dev/ports.js';
import { repoRoot } from '../../src/dev/paths.js';
import { startTsChild, type ManagedChild } from '../../src/dev/child-process.js';
import { loadCalendarInputs } from '../../src/schedules/inputs.js';
import { scheduleDrift } from '../../src/schedules/reconcile.js';
import { buildLinkSchedules, buildScheduleSpec } from '../../src/schedules/spec.js';
import type { CollectOrdersResult } from '../../src/temporal/collection.js';
import type { SyncInvoicesResult } from '../../src/temporal/invoices.js';
import { adminScope, createTestApiKey } from '../support/mall-link-api.js';
import { startCollection } from '../support/collection-runs.js';
import { createInstalledLink, ordNoOf, startEndToEnd, startRealPortsWorker, type EndToEnd } from '../support/end-to-end.js';
import { invoiceSlot, startInvoiceSync, trackingNumbersPerItem } from '../support/invoices.js';
import { startRestartableServers, type RestartableServers } from '../support/restartable-servers.js';
import { readLog, until } from '../support/wait.js';
import { workerProcesses } from '../support/worker-processes.js';

/**
 * `npm run test:faults`: collection and invoice sync over the real stack (PostgreSQL, Temporal dev
 * server, both simulators over HTTP, the worker's real ports) under one fault kind per scenario,
 * each with hundreds of orders across several malls and two shops each, and a ledger checked at
 * the end. Each scenario prints one line; pass = nothing duplicated and nothing lost.
 */

const slot = '2026-11-27T05:40:00.000Z';
const mallCount = 3;
const shops = [1, 2];
const ordersPerShop = 40;
/** A run that fails (faults outlasting its retries) is run again, as the next slot would. */
const runsPerLink = 3;

interface Ledger {
  scenario: string;
  /** Collection counts orders requested in FMS; invoice sync counts tracking numbers registered on Cafe24. */
  kind: 'collection' | 'invoices';
  orders: number;
  faults: number;
  requested: number;
  duplicated: number;
  lost: number;
  unresolved: number;
}

interface Mall {
  link: MallLinkRow;
  orders: { orderId: string; shopNo: number; orderItemCodes: string[] }[];
}

/** Which workers run the scenario: the in-process one, with a worker process beside it, or processes only. */
type Workers = 'in-process' | 'in-process + process' | 'process to kill' | 'two processes';

interface Scenario {
  name: string;
  /** 'restartable': on a PostgreSQL and Temporal of its own, which `during` stops and starts. */
  servers?: 'restartable';
  workers?: Workers;
  /** Injects the faults (before the runs) and returns how many; `during` acts while the runs go on. */
  arrange(e2e: EndToEnd, malls: Mall[]): Promise<number>;
  during?(e2e: EndToEnd, malls: Mall[]): Promise<void>;
  /** What must hold besides the ledger, given each link's run statuses in order. */
  verify?(e2e: EndToEnd, malls: Mall[], statuses: string[][]): Promise<void>;
  cleanup?(e2e: EndToEnd): Promise<void>;
}

let cstSequence = 0;

/** A workflow's result, asked again while Temporal is unreachable (a restart of the server). */
async function resultAcrossOutages<T>(handle: WorkflowHandle): Promise<T> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      return (await handle.result()) as T;
    } catch (error) {
      if (!(error instanceof ServiceError) || Date.now() > deadline) throw error;
    }
  }
}

describe('fault suite: collection and invoice ledgers under faults in every component', () => {
  let shared: EndToEnd;
  let worker: { stop(): Promise<void> };
  /** The stack whose servers a scenario restarts, started for the first such scenario. */
  let restartable: { servers: RestartableServers; e2e: EndToEnd; worker: { stop(): Promise<void> } } | undefined;
  const ledgers: Ledger[] = [];
  let stackOfScenario: EndToEnd;
  const processes = workerProcesses(() => stackOfScenario);
  let killable: ManagedChild | undefined;

  beforeAll(async () => {
    shared = await startEndToEnd();
    worker = await startRealPortsWorker(shared);
  });

  afterAll(async () => {
    const total = ledgers.reduce(
      (sum, l) => ({ ...sum, orders: sum.orders + l.orders, faults: sum.faults + l.faults, requested: sum.requested + l.requested, duplicated: sum.duplicated + l.duplicated, lost: sum.lost + l.lost, unresolved: sum.unresolved + l.unresolved }),
      { scenario: 'TOTAL', kind: 'collection' as const, orders: 0, faults: 0, requested: 0, duplicated: 0, lost: 0, unresolved: 0 },
    );
    console.info(format(total));
    await processes.stopAll();
    await worker?.stop();
    await shared?.close();
    await restartable?.worker.stop();
    await restartable?.e2e.close();
    await restartable?.servers.close();
  });

  const format = (l: Ledger) => {
    const [unit, done, missing] = l.kind === 'collection' ? ['orders', 'requested ', 'lost   '] : ['items ', 'registered', 'missing'];
    return `${l.scenario.padEnd(58)} ${unit} ${String(l.orders).padStart(4)}  faults ${String(l.faults).padStart(3)}  ${done} ${String(l.requested).padStart(4)}  duplicated ${l.duplicated}  ${missing} ${l.lost}  unresolved ${l.unresolved}`;
  };

  async function useRestartableStack() {
    if (!restartable) {
      const servers = await startRestartableServers();
      const e2e = await startEndToEnd({ postgresAdminUrl: servers.postgresAdminUrl, temporalAddress: servers.temporalAddress });
      restartable = { servers, e2e, worker: await startRealPortsWorker(e2e) };
    }
    return restartable;
  }

  async function mallsWithOrders(e2e: EndToEnd): Promise<Mall[]> {
    const malls: Mall[] = [];
    for (let m = 0; m < mallCount; m += 1) {
      cstSequence += 1;
      const link = await createInstalledLink(e2e, { cst_cd: `FS${String(cstSequence).padStart(4, '0')}`, link_start_date: '2026-11-20', collection_range_days: 1 }, shops.slice(1));
      const variantCode = (await e2e.cafe24Control.products(link.mall_id))[0]!.variants[0]!.variant_code;
      await replaceProductLink(e2e.database.db, link.id, variantCode, [{ cstGodCd: 'G001', quantity: 1 }]);
      const from = new Date('2026-11-26T23:00:00.000Z').getTime(); // 08:00 KST
      const orders: Mall['orders'] = [];
      for (const shopNo of shops) {
        const added = await e2e.cafe24Control.addOrders(
          link.mall_id,
          Array.from({ length: ordersPerShop }, (_, i) => ({ shopNo, paidAt: new Date(from + i * 20_000 + shopNo * 5_000).toISOString(), lines: [{ variantCode, quantity: 1 }] })),
        );
        orders.push(...added.map((o) => ({ orderId: o.order_id, shopNo, orderItemCodes: o.items.map((item) => item.order_item_code) })));
      }
      malls.push({ link, orders });
    }
    return malls;
  }

  /** Runs each link's collection (again after a failed run); returns each link's run statuses. */
  async function collect(e2e: EndToEnd, malls: Mall[]): Promise<string[][]> {
    return Promise.all(
      malls.map(async ({ link }) => {
        const statuses: string[] = [];
        for (let run = 1; run <= runsPerLink; run += 1) {
          const handle = await startCollection(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: slot, trigger: run === 1 ? 'schedule' : 'manual' });
          statuses.push((await resultAcrossOutages<CollectOrdersResult>(handle)).status);
          if (statuses.at(-1) === 'completed') break;
        }
        return statuses;
      }),
    );
  }

  /** Checks every order against FMS and the collection ledger. */
  async function collectionLedger(e2e: EndToEnd, name: string, malls: Mall[], faults: number): Promise<Ledger> {
    const ledger: Ledger = { scenario: name, kind: 'collection', orders: 0, faults, requested: 0, duplicated: 0, lost: 0, unresolved: 0 };
    for (const { link, orders } of malls) {
      const inFms = new Map<string, string[]>();
      for (const o of e2e.fms.control.outbounds(link.cst_cd)) inFms.set(o.ordNo, [...(inFms.get(o.ordNo) ?? []), o.slipNo]);
      const recorded = new Map(
        (await e2e.database.db.selectFrom('collected_orders').select(['order_id', 'slip_no']).where('mall_link_id', '=', link.id).execute()).map((r) => [r.order_id, r.slip_no]),
      );
      for (const { orderId, shopNo } of orders) {
        ledger.orders += 1;
        const slips = inFms.get(ordNoOf(link, orderId, shopNo)) ?? [];
        if (slips.length > 1) ledger.duplicated += 1;
        else if (slips.length === 1 && recorded.get(orderId) === slips[0]) ledger.requested += 1;
        // Known to the ledger but not (or not consistently) requested: an open per-order outcome.
        else if (recorded.has(orderId)) ledger.unresolved += 1;
        else ledger.lost += 1;
      }
    }
    return ledger;
  }

  /**
   * Every shipped item against Cafe24's shipments: its FMS tracking number registered once
   * (registered), more than once or more than one number (duplicated), held or rejected with a
   * reason in the registration ledger (unresolved), or nowhere (missing).
   */
  async function invoiceLedger(e2e: EndToEnd, name: string, malls: Mall[], faults: number): Promise<Ledger> {
    const ledger: Ledger = { scenario: name, kind: 'invoices', orders: 0, faults, requested: 0, duplicated: 0, lost: 0, unresolved: 0 };
    for (const { link, orders } of malls) {
      const perItem = trackingNumbersPerItem(await e2e.cafe24Control.shipments(link.mall_id));
      const fmsInvoices = new Map(e2e.fms.control.outbounds(link.cst_cd).map((o) => [o.ordNo, o.invoiceNos]));
      const settled = new Set(
        (await e2e.database.db.selectFrom('invoice_registrations').select('order_item_code').where('mall_link_id', '=', link.id).where('status', 'in', ['held', 'rejected']).execute()).map((r) => r.order_item_code),
      );
      for (const { orderId, shopNo, orderItemCodes } of orders) {
        for (const item of orderItemCodes) {
          ledger.orders += 1;
          const registered = perItem.get(item) ?? [];
          if (registered.length > 1) ledger.duplicated += 1;
          else if (registered.length === 1 && fmsInvoices.get(ordNoOf(link, orderId, shopNo))?.includes(registered[0]!)) ledger.requested += 1;
          else if (settled.has(item)) ledger.unresolved += 1;
          else ledger.lost += 1;
        }
      }
    }
    return ledger;
  }

  function record(ledger: Ledger) {
    ledgers.push(ledger);
    console.info(format(ledger));
    expect({ duplicated: ledger.duplicated, lost: ledger.lost }).toEqual({ duplicated: 0, lost: 0 });
  }

  /** Stops the in-process worker while the scenario's own workers run; returns what puts it back. */
  async function startScenarioWorkers(kind: Workers): Promise<() => Promise<void>> {
    if (kind === 'in-process') return async () => {};
    if (kind === 'in-process + process') {
      // One process may run one worker per task queue: the second worker is a process.
      const second = await processes.start('second-worker');
      return () => second.stop(10_000);
    }
    await worker.stop();
    if (kind === 'process to kill') {
      // Only a worker process runs until the kill; `during` starts the in-process worker after it.
      killable = await processes.start(`fault-worker-${Date.now()}`);
      return async () => {};
    }
    const both = await Promise.all([processes.start('token-worker-1'), processes.start('token-worker-2')]);
    return async () => {
      for (const child of both) await child.stop(10_000);
      worker = await startRealPortsWorker(shared);
    };
  }

  /** SIGKILLs the worker process started for the scenario and brings the in-process worker back. */
  async function killWorkerProcess(e2e: EndToEnd) {
    process.kill(-killable!.process.pid!, 'SIGKILL');
    expect(await killable!.exited).toBe('signal SIGKILL');
    worker = await startRealPortsWorker(e2e);
  }

  const cafe24Fault = (kind: 'rate_limit' | 'server_error' | 'latency' | 'drop' | 'malformed', count: number, extra: { latencyMs?: number; route?: string } = {}): Scenario['arrange'] => async (e2e, malls) => {
    for (const { link } of malls) await e2e.cafe24Control.injectFault({ kind, count, mallId: link.mall_id, ...extra });
    return count * malls.length;
  };
  const orderCount = (malls: Mall[]) => malls.reduce((sum, { orders }) => sum + orders.length, 0);
  const fmsRequests = (e2e: EndToEnd, malls: Mall[]) => malls.reduce((sum, { link }) => sum + e2e.fms.control.outbounds(link.cst_cd).length, 0);
  /**
   * A server of the scenario's own stack stopped and started again (same port and data) while the
   * runs go on. FMS answers slowly (each create takes most of the tests' 1 s FMS timeout), so orders
   * are still to be requested when the outage begins; they are counted then, not after the stop: a
   * run's first pages are one local activity, which goes on in the worker while Temporal is down
   * (it needs the server only to record its result). No workflow can finish during the outage; each
   * finishes after it, from what the servers kept on disk (the ledger and run statuses).
   */
  const restartedMidRun = (name: string, stop: () => Promise<() => Promise<void>>): Scenario => ({
    name,
    servers: 'restartable',
    arrange: async (e2e) => {
      e2e.fms.control.updateSettings({ faults: { latencyMs: 800 } });
      return 1;
    },
    async during(e2e, malls) {
      await until(() => fmsRequests(e2e, malls) >= 40, 'the first FMS requests', 120_000);
      expect(fmsRequests(e2e, malls)).toBeLessThan(orderCount(malls));
      const start = await stop();
      await start();
      e2e.fms.control.updateSettings({ faults: { latencyMs: 0 } });
    },
  });

  const scenarios: Scenario[] = [
    { name: 'no faults (baseline)', arrange: async () => 0 },
    { name: 'Cafe24 429 storm', arrange: cafe24Fault('rate_limit', 8) },
    { name: 'Cafe24 5xx burst', arrange: cafe24Fault('server_error', 6) },
    { name: 'Cafe24 latency past the client timeout', arrange: cafe24Fault('latency', 2, { latencyMs: 6_000 }) },
    { name: 'Cafe24 dropped connections', arrange: cafe24Fault('drop', 4) },
    { name: 'Cafe24 malformed bodies', arrange: cafe24Fault('malformed', 3, { route: 'GET /orders' }) },
    {
      name: 'Cafe24 access token expiring mid-run',
      arrange: async (_e2e, malls) => malls.length,
      async during(e2e, malls) {
        await until(() => malls.some(({ link }) => e2e.fms.control.outbounds(link.cst_cd).length > 0), 'the first FMS requests', 120_000);
        for (const { link } of malls) await e2e.cafe24Control.expireAccessTokens(link.mall_id);
      },
    },
    {
      name: 'Cafe24 token refreshed by two workers at once',
      workers: 'two processes',
      arrange: async (e2e, malls) => {
        // Every link's access token is inside the refresh margin, so each worker's first Cafe24 call
        // refreshes it; the token endpoint answers slowly, so the second worker's refresh overlaps the first.
        await e2e.database.db.updateTable('cafe24_tokens').set({ access_token_expires_at: new Date(Date.now() + 60_000) }).where('mall_link_id', 'in', malls.map((m) => m.link.id)).execute();
        for (const { link } of malls) await e2e.cafe24Control.injectFault({ kind: 'latency', latencyMs: 1_000, target: 'token', mallId: link.mall_id, count: 2 });
        refreshesBefore = new Map(await Promise.all(malls.map(async ({ link }) => [link.mall_id, (await e2e.cafe24Control.stats(link.mall_id))!] as const)));
        return malls.length;
      },
      async verify(e2e, malls, statuses) {
        // No run failed and no link lost its authorization: one refresh per mall reached Cafe24, and no
        // rotated-out refresh token was ever sent.
        expect(statuses).toEqual(malls.map(() => ['completed']));
        for (const { link } of malls) {
          const before = refreshesBefore.get(link.mall_id)!;
          const after = (await e2e.cafe24Control.stats(link.mall_id))!;
          expect({ refreshes: after.tokenRefreshes - before.tokenRefreshes, rejected: after.refreshRejected - before.refreshRejected, reused: after.rotatedRefreshTokenReuse - before.rotatedRefreshTokenReuse }, link.mall_id).toEqual({
            refreshes: 1,
            rejected: 0,
            reused: 0,
          });
          const stored = await e2e.database.db.selectFrom('mall_links').select('cafe24_auth_status').where('id', '=', link.id).executeTakeFirstOrThrow();
          expect(stored.cafe24_auth_status).toBe('authorized');
        }
      },
    },
    {
      name: 'FMS 5xx burst',
      arrange: async (e2e) => {
        e2e.fms.control.failNext('serverError', 8);
        return 8;
      },
    },
    ...(['reject', 'duplicate'] as const).map(
      (duplicateOrdNo): Scenario => ({
        name: `FMS committed-but-lost answers (${duplicateOrdNo})`,
        arrange: async (e2e) => {
          e2e.fms.control.updateSettings({ duplicateOrdNo });
          e2e.fms.control.failNext('lostResponse', 4, 'create');
          return 4;
        },
        cleanup: async (e2e) => void e2e.fms.control.updateSettings({ duplicateOrdNo: 'reject' }),
      }),
    ),
    // The same lost answers against the other forms FMS and Cafe24 may answer in (the rows above
    // use FASSTO's codes, the simulators' default): recovery reads each form's look-up answer.
    ...(
      [
        { form: 'status words, text numbers', duplicateOrdNo: 'duplicate', fms: { status: 'word', carrier: 'letters', date: 'YYYY-MM-DD' }, cafe24: { numbers: 'string', dates: 'offset' } },
        { form: 'carrier names, wall-clock times', duplicateOrdNo: 'reject', fms: { status: 'code', carrier: 'nameOnly', date: 'YYYY-MM-DD' }, cafe24: { numbers: 'string', dates: 'wallClock' } },
      ] as const
    ).map(
      ({ form, duplicateOrdNo, fms, cafe24 }): Scenario => ({
        name: `FMS lost answers, ${form}`,
        arrange: async (e2e) => {
          e2e.fms.control.updateSettings({ duplicateOrdNo, answerForm: fms });
          await e2e.cafe24Control.setAnswerForm(cafe24);
          e2e.fms.control.failNext('lostResponse', 4, 'create');
          return 4;
        },
        cleanup: async (e2e) => {
          e2e.fms.control.updateSettings({ duplicateOrdNo: 'reject', answerForm: { status: 'code', carrier: 'code', date: 'yyyyMMdd' } });
          await e2e.cafe24Control.setAnswerForm({ numbers: 'number', dates: 'offset' });
        },
      }),
    ),
    {
      name: 'FMS shortage answers',
      arrange: async (e2e, malls) => {
        for (const { link } of malls) e2e.fms.control.updateGoods(link.cst_cd, 'G001', { outOfStock: true });
        return malls.length;
      },
    },
    { name: 'two workers on one task queue', workers: 'in-process + process', arrange: async () => 1 },
    {
      name: 'worker SIGKILLed mid-batch',
      workers: 'process to kill',
      arrange: async (e2e) => {
        // FMS answers slowly, so a create is most likely in flight when the worker dies.
        e2e.fms.control.updateSettings({ faults: { latencyMs: 20 } });
        return 1;
      },
      async during(e2e, malls) {
        await until(() => fmsRequests(e2e, malls) >= 60, 'the first FMS requests', 120_000);
        await killWorkerProcess(e2e);
        e2e.fms.control.updateSettings({ faults: { latencyMs: 0 } });
      },
    },
    restartedMidRun('Temporal dev server restarted mid-run (same db file)', () => restartable!.servers.stopTemporal()),
    restartedMidRun('PostgreSQL restarted mid-run', () => restartable!.servers.stopPostgres()),
    {
      name: 'API killed and restarted during config writes',
      arrange: async () => apiKills,
      during: (e2e, malls) => configWritesAcrossApiKills(e2e, malls),
    },
  ];

  let refreshesBefore = new Map<string, { tokenRefreshes: number; refreshRejected: number; rotatedRefreshTokenReuse: number }>();

  for (const scenario of scenarios) {
    it(scenario.name, { timeout: 300_000 }, async () => {
      const e2e = scenario.servers === 'restartable' ? (await useRestartableStack()).e2e : shared;
      stackOfScenario = e2e;
      const malls = await mallsWithOrders(e2e);
      const faults = await scenario.arrange(e2e, malls);
      const restoreWorkers = await startScenarioWorkers(scenario.workers ?? 'in-process');
      try {
        const [statuses] = await Promise.all([collect(e2e, malls), scenario.during?.(e2e, malls)]);
        await scenario.verify?.(e2e, malls, statuses);
        record(await collectionLedger(e2e, scenario.name, malls, faults));
      } finally {
        await restoreWorkers();
        await scenario.cleanup?.(e2e);
        await e2e.cafe24Control.clearFaults();
      }
    });
  }

  // ---- the API restarted during config writes --------------------------------------------------

  const apiKills = 2;

  /**
   * Every link is PATCHed over and over (collection method, start date) and the timetable replaced,
   * through an `npm run api` process that is SIGKILLed mid-writes and started again, twice. Then
   * every link's schedules must come to match what PostgreSQL committed, without another write.
   */
  async function configWritesAcrossApiKills(e2e: EndToEnd, malls: Mall[]) {
    const key = await createTestApiKey(e2e.database.db, adminScope);
    const port = await freePort();
    const logDir = mkdtempSync(path.join(tmpdir(), 'c2f-faults-api-'));
    const logFile = path.join(logDir, 'api.log');
    const env = { ...e2e.workerEnv, API_HOST: '127.0.0.1', API_PORT: String(port) };
    const startApi = async () => {
      const api = startTsChild('api', path.join(repoRoot, 'src/api/main.ts'), { env, logFile });
      await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok === true, 'the api to listen', 60_000);
      return api;
    };
    let answered = 0;
    let writing = true;
    const send = async (method: string, route: string, body: unknown) => {
      const res = await fetch(`http://127.0.0.1:${port}${route}`, { method, headers: { authorization: `Bearer ${key.plaintext}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => null);
      if (res) {
        expect(res.status, `${method} ${route}: ${await res.clone().text()}`).toBe(200);
        answered += 1;
      } else {
        // The API is down: wait for it rather than spin.
        await until(async () => !writing || (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok === true, 'the api back', 60_000);
      }
      await res?.arrayBuffer().catch(() => {});
    };
    const writers = [
      ...malls.map(async ({ link }) => {
        for (let i = 0; writing; i += 1) {
          await send('PATCH', `/v1/mall-links/${link.id}`, { collectionMethod: i % 2 === 0 ? 'manual' : 'auto', linkStartDate: i % 2 === 0 ? '2026-11-19' : '2026-11-20' });
        }
      }),
      (async () => {
        for (let i = 0; writing; i += 1) {
          const business = i % 2 === 0 ? ['09:00', '13:00', '16:00'] : ['10:00', '14:00'];
          await send('PUT', '/v1/timetable', { slots: { business, saturday: ['10:00'], sunday_holiday: [] } });
        }
      })(),
    ];
    let api = await startApi();
    try {
      for (let kill = 1; kill <= apiKills; kill += 1) {
        const before = answered;
        await until(() => answered >= before + 10, 'config writes answered', 60_000);
        process.kill(-api.process.pid!, 'SIGKILL');
        expect(await api.exited).toBe('signal SIGKILL');
        api = await startApi();
      }
      writing = false;
      await Promise.all(writers);
      // Only the restarted API (no worker start, no daily reconcile) can bring the schedules in line.
      await until(async () => (await schedulesDrift(e2e, malls)).length === 0, 'every link’s schedules to match its committed configuration', 60_000).catch(async (error: unknown) => {
        throw new Error(`${String(error)}: ${(await schedulesDrift(e2e, malls)).join('; ')}\n${readLog(logFile).slice(-2_000)}`);
      });
      // Leave the links collecting automatically, through the API as an operator would.
      for (const { link } of malls) await send('PATCH', `/v1/mall-links/${link.id}`, { collectionMethod: 'auto' });
    } finally {
      writing = false;
      await api.stop(10_000);
      rmSync(logDir, { recursive: true, force: true });
    }
  }

  /** Each link schedule that differs from what its committed configuration (and the timetable) make. */
  async function schedulesDrift(e2e: EndToEnd, malls: Mall[]): Promise<string[]> {
    const inputs = await loadCalendarInputs(e2e.database.db);
    const settings = { taskQueue: e2e.temporal.taskQueue, catchupWindowMs: e2e.config.SCHEDULE_CATCHUP_WINDOW_MINUTES * 60_000 };
    const drifts: string[] = [];
    for (const { link } of malls) {
      const committed = await e2e.database.db.selectFrom('mall_links').selectAll().where('id', '=', link.id).executeTakeFirstOrThrow();
      for (const desired of buildLinkSchedules(committed, buildScheduleSpec({ ...inputs, startDate: committed.link_start_date, now: new Date() }), settings)) {
        const drift = await scheduleDrift(e2e.temporal.client, desired);
        if (drift) drifts.push(`${desired.scheduleId}: ${drift}`);
      }
    }
    return drifts;
  }

  // ---- invoice sync (송장등록) under faults ------------------------------------------------------

  interface InvoiceScenario {
    name: string;
    workers?: Workers;
    /** Injects the faults once every order is requested and shipped in FMS; returns how many. */
    arrange(e2e: EndToEnd, malls: Mall[]): Promise<number>;
    during?(e2e: EndToEnd, malls: Mall[]): Promise<void>;
  }

  const registered = async (e2e: EndToEnd, malls: Mall[]) => (await Promise.all(malls.map(async ({ link }) => (await e2e.cafe24Control.shipments(link.mall_id)).length))).reduce((a, b) => a + b, 0);

  const invoiceScenarios: InvoiceScenario[] = [
    {
      name: 'invoice sync: Cafe24 5xx, 429, lost answers on shipments',
      arrange: async (e2e, malls) => {
        // One fault kind per mall, so the malls' retry delays run side by side rather than one after another.
        const faults = [
          { kind: 'server_error', count: 2 },
          { kind: 'rate_limit', count: 1 },
          { kind: 'lost_answer', count: 2 },
        ] as const;
        for (const [i, { link }] of malls.entries()) await e2e.cafe24Control.injectFault({ ...faults[i % faults.length]!, mallId: link.mall_id, route: 'POST /shipments' });
        return malls.reduce((sum, _mall, i) => sum + faults[i % faults.length]!.count, 0);
      },
    },
    {
      name: 'invoice sync: worker SIGKILLed between Cafe24 calls',
      workers: 'process to kill',
      arrange: async (e2e, malls) => {
        // Cafe24 answers each registration slowly, so a call is most likely in flight when the worker dies.
        for (const { link } of malls) await e2e.cafe24Control.injectFault({ kind: 'latency', latencyMs: 1_500, mallId: link.mall_id, route: 'POST /shipments', count: 2 });
        return 1;
      },
      async during(e2e, malls) {
        await until(async () => (await registered(e2e, malls)) >= ordersPerShop, 'the first Cafe24 registrations', 120_000);
        await killWorkerProcess(e2e);
        expect(await registered(e2e, malls)).toBeLessThan(orderCount(malls));
      },
    },
  ];

  for (const scenario of invoiceScenarios) {
    it(scenario.name, { timeout: 300_000 }, async () => {
      const e2e = shared;
      stackOfScenario = e2e;
      const malls = await mallsWithOrders(e2e);
      expect(await collect(e2e, malls)).toEqual(malls.map(() => ['completed']));
      for (const { link } of malls) for (const outbound of e2e.fms.control.outbounds(link.cst_cd)) e2e.fms.control.shipNow(link.cst_cd, outbound.slipNo);
      const faults = await scenario.arrange(e2e, malls);
      const restoreWorkers = await startScenarioWorkers(scenario.workers ?? 'in-process');
      try {
        const syncs = malls.map(async ({ link }) => {
          for (let run = 1; run <= runsPerLink; run += 1) {
            const handle = await startInvoiceSync(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: invoiceSlot, trigger: run === 1 ? 'schedule' : 'manual' });
            if ((await resultAcrossOutages<SyncInvoicesResult>(handle)).status === 'completed') return;
          }
        });
        await Promise.all([...syncs, scenario.during?.(e2e, malls)]);
        record(await invoiceLedger(e2e, scenario.name, malls, faults));
      } finally {
        await restoreWorkers();
        await e2e.cafe24Control.clearFaults();
      }
    });
  }
});
