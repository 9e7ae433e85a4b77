import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceProductLink } from '../../src/db/repositories/product-links.js';
import type { MallLinkRow } from '../../db/schema.js';
import type { CollectOrdersResult } from '../../src/temporal/collection.js';
import { runCollection } from '../support/collection-runs.js';
import { createInstalledLink, ordNoOf, startEndToEnd, startRealPortsWorker, type EndToEnd } from '../support/end-to-end.js';
import { until } from '../support/wait.js';
import { workerProcesses } from '../support/worker-processes.js';
import type { ManagedChild } from '../../src/dev/child-process.js';

/**
 * `npm run test:faults`: collection over the real stack (PostgreSQL, Temporal dev server, both
 * simulators over HTTP, the worker's real ports) under one fault kind per scenario, each with
 * hundreds of orders across several malls and two shops each, and a ledger checked at the end.
 * Each scenario prints one line; pass = no order duplicated and none lost.
 */

const slot = '2026-11-27T05:40:00.000Z';
const mallCount = 3;
const shops = [1, 2];
const ordersPerShop = 40;
/** A run that fails (faults outlasting its retries) is run again, as the next slot would. */
const runsPerLink = 3;

interface Ledger {
  scenario: string;
  orders: number;
  faults: number;
  requested: number;
  duplicated: number;
  lost: number;
  unresolved: number;
}

interface Mall {
  link: MallLinkRow;
  orders: { orderId: string; shopNo: number }[];
}

interface Scenario {
  name: string;
  /** Injects the faults (before the runs) and returns how many; `during` acts while the runs go on. */
  arrange(e2e: EndToEnd, malls: Mall[]): Promise<number>;
  during?(e2e: EndToEnd, malls: Mall[]): Promise<void>;
  cleanup?(e2e: EndToEnd): Promise<void>;
}

let cstSequence = 0;

describe('fault suite: collection ledger under faults in every component', () => {
  let e2e: EndToEnd;
  let worker: { stop(): Promise<void> };
  const ledgers: Ledger[] = [];
  const processes = workerProcesses(() => e2e);
  let killable: ManagedChild | undefined;

  beforeAll(async () => {
    e2e = await startEndToEnd();
    worker = await startRealPortsWorker(e2e);
  });

  afterAll(async () => {
    const total = ledgers.reduce(
      (sum, l) => ({ ...sum, orders: sum.orders + l.orders, faults: sum.faults + l.faults, requested: sum.requested + l.requested, duplicated: sum.duplicated + l.duplicated, lost: sum.lost + l.lost, unresolved: sum.unresolved + l.unresolved }),
      { scenario: 'TOTAL', orders: 0, faults: 0, requested: 0, duplicated: 0, lost: 0, unresolved: 0 },
    );
    console.info(format(total));
    await processes.stopAll();
    await worker?.stop();
    await e2e?.close();
  });

  const format = (l: Ledger) =>
    `${l.scenario.padEnd(44)} orders ${String(l.orders).padStart(4)}  faults ${String(l.faults).padStart(3)}  requested ${String(l.requested).padStart(4)}  duplicated ${l.duplicated}  lost ${l.lost}  unresolved ${l.unresolved}`;

  async function mallsWithOrders(): Promise<Mall[]> {
    const malls: Mall[] = [];
    for (let m = 0; m < mallCount; m += 1) {
      cstSequence += 1;
      const link = await createInstalledLink(e2e, { cst_cd: `FS${String(cstSequence).padStart(4, '0')}`, link_start_date: '2026-11-20', collection_range_days: 1 }, shops.slice(1));
      const variantCode = (await e2e.cafe24Control.products(link.mall_id))[0]!.variants[0]!.variant_code;
      await replaceProductLink(e2e.database.db, link.id, variantCode, [{ cstGodCd: 'G001', quantity: 1 }]);
      const from = new Date('2026-11-26T23:00:00.000Z').getTime(); // 08:00 KST
      const orders = [];
      for (const shopNo of shops) {
        const added = await e2e.cafe24Control.addOrders(
          link.mall_id,
          Array.from({ length: ordersPerShop }, (_, i) => ({ shopNo, paidAt: new Date(from + i * 20_000 + shopNo * 5_000).toISOString(), lines: [{ variantCode, quantity: 1 }] })),
        );
        orders.push(...added.map((o) => ({ orderId: o.order_id, shopNo })));
      }
      malls.push({ link, orders });
    }
    return malls;
  }

  /** Runs each link's collection (again after a failed run) and checks every order against FMS and the ledger. */
  async function collectAndCheck(name: string, malls: Mall[], faults: number, during?: Promise<void>): Promise<Ledger> {
    const runs = malls.map(async ({ link }) => {
      for (let run = 1; run <= runsPerLink; run += 1) {
        const { result } = await runCollection(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: slot, trigger: run === 1 ? 'schedule' : 'manual' });
        if ((result as CollectOrdersResult).status === 'completed') return;
      }
    });
    await Promise.all([...runs, during]);
    const ledger: Ledger = { scenario: name, orders: 0, faults, requested: 0, duplicated: 0, lost: 0, unresolved: 0 };
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
    ledgers.push(ledger);
    console.info(format(ledger));
    return ledger;
  }

  const cafe24Fault = (kind: 'rate_limit' | 'server_error' | 'latency' | 'drop' | 'malformed', count: number, extra: { latencyMs?: number; route?: string } = {}): Scenario['arrange'] => async (e2e, malls) => {
    for (const { link } of malls) await e2e.cafe24Control.injectFault({ kind, count, mallId: link.mall_id, ...extra });
    return count * malls.length;
  };

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
    {
      name: 'FMS shortage answers',
      arrange: async (e2e, malls) => {
        for (const { link } of malls) e2e.fms.control.updateGoods(link.cst_cd, 'G001', { outOfStock: true });
        return malls.length;
      },
    },
    {
      name: 'two workers on one task queue',
      arrange: async () => 1,
    },
    {
      name: 'worker SIGKILLed mid-batch',
      arrange: async (e2e) => {
        // FMS answers slowly, so a create is most likely in flight when the worker dies.
        e2e.fms.control.updateSettings({ faults: { latencyMs: 20 } });
        return 1;
      },
      async during(e2e, malls) {
        const created = () => malls.reduce((sum, { link }) => sum + e2e.fms.control.outbounds(link.cst_cd).length, 0);
        await until(() => created() >= 60, 'the first FMS requests', 120_000);
        process.kill(-killable!.process.pid!, 'SIGKILL');
        expect(await killable!.exited).toBe('signal SIGKILL');
        e2e.fms.control.updateSettings({ faults: { latencyMs: 0 } });
        worker = await startRealPortsWorker(e2e);
      },
    },
  ];

  for (const scenario of scenarios) {
    it(scenario.name, { timeout: 300_000 }, async () => {
      const malls = await mallsWithOrders();
      const faults = await scenario.arrange(e2e, malls);
      // A second worker: a worker process beside the in-process one (one process may run one worker per task queue).
      const second = scenario.name.startsWith('two workers') ? await processes.start('second-worker') : null;
      if (scenario.name.startsWith('worker SIGKILLed')) {
        // Only a worker process runs until the kill; the in-process worker takes over after it.
        await worker.stop();
        killable = await processes.start('fault-worker');
      }
      try {
        const ledger = await collectAndCheck(scenario.name, malls, faults, scenario.during?.(e2e, malls));
        expect({ duplicated: ledger.duplicated, lost: ledger.lost }).toEqual({ duplicated: 0, lost: 0 });
      } finally {
        await second?.stop(10_000);
        await scenario.cleanup?.(e2e);
        await e2e.cafe24Control.clearFaults();
      }
    });
  }
});
