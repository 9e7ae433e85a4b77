import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cafe24SimControl } from '../src/sim/cafe24/index.js';
import { repoRoot } from '../src/dev/paths.js';
import { freePort } from '../src/dev/ports.js';
import { benchAlertEvaluation } from './alert-evaluation.js';
import { benchCatalogueImport } from './catalogue-import.js';
import { benchConfigApi, type ConfigApiMeasure, type EndpointCost } from './config-api.js';
import { benchProductLinkUpload } from './product-link-upload.js';
import { benchTemporalFloor } from './temporal-floor/index.js';
import { collectionCalls, collectionCheck, createMalls, reconcileSchedules, runDirect, runSlot, startWorker, type SlotMeasure } from './slots.js';
import { apiSettledLine, startBenchStack } from './stack.js';

/**
 * `npm run bench [-- A B C D] [--quick] [--direct] [--latency 20]`: whole slots on the embedded
 * stack (see bench/slots.ts) and the config API under load (bench/config-api.ts). Prints a table
 * and writes bench/results/<time>.json.
 *   A  one mall × 20,000 eligible orders, its schedule triggered
 *   B  500 malls × 40 eligible orders, every schedule triggered at once; B2 the same with two workers
 *   C  invoice sync of B's 20,000 requests (all shipped) in one slot
 *   D  GET status / PATCH / POST collections from a second process, against a bare Hono route
 *   I  카페24 상품 가져오기 of a 5,000-variant catalogue (bench/catalogue-import.ts)
 *   U  a 5,000-row link sheet upload (bench/product-link-upload.ts)
 *   T  Temporal alone: B's 500 runs as empty workflows, schedule-triggered and client-started (bench/temporal-floor/)
 *   E  one alert evaluation over every link of the slot stack, and one describing every link's schedules (bench/alert-evaluation.ts)
 * --direct adds A and B with the same activities in-process without Temporal (durability overhead).
 * --quick: A 2,000 orders, B 50 malls. --profile: CPU profiles of the worker and API processes in bench/results/profiles/<process>/.
 * --keep-logs keeps the processes' logs.
 */

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { quick: { type: 'boolean', default: false }, direct: { type: 'boolean', default: false }, latency: { type: 'string', default: '20' }, profile: { type: 'boolean', default: false }, 'keep-logs': { type: 'boolean', default: false } },
});
const cases = new Set(positionals.length > 0 ? positionals.map((p) => p.toUpperCase()) : ['A', 'B', 'C', 'D', 'I', 'U', 'T', 'E']);
if (cases.has('C')) cases.add('B');
const latencyMs = Number(values.latency);
const sizes = values.quick ? { aOrders: 2_000, bMalls: 50, bOrders: 40 } : { aOrders: 20_000, bMalls: 500, bOrders: 40 };

const slots: SlotMeasure[] = [];
let configApi: ConfigApiMeasure[] = [];
let endpointCosts: EndpointCost[] = [];
// Product-linking cases run on stacks of their own, before the slot stack starts.
const startedAt = new Date();
const loadBefore = loadavg();
const productLinking: Record<string, Record<string, string>> = {};
if (cases.has('I')) productLinking['I: catalogue import of 5,000 variants'] = await benchCatalogueImport();
if (cases.has('U')) productLinking['U: a 5,000-row link sheet upload'] = await benchProductLinkUpload();
const temporalAlone = cases.has('T') ? await benchTemporalFloor(sizes.bMalls) : null;

// The slot stack (PostgreSQL, Temporal, simulators, worker and API processes) only for the cases that use it.
let alertEvaluation: Record<string, string> | null = null;
if (['A', 'B', 'C', 'D', 'E'].some((c) => cases.has(c))) {
  const stack = await startBenchStack({ latencyMs, keepLogs: values['keep-logs'], ...(values.profile ? { profileDir: path.join(repoRoot, 'bench/results/profiles') } : {}) });
  try {
    const log = (message: string) => process.stdout.write(`[bench] ${message}\n`);
    log(`stack up; latency ${latencyMs} ms per simulated call; creating malls`);
    const a = cases.has('A') ? await createMalls(stack, 'a', 1, sizes.aOrders) : [];
    const aDirect = cases.has('A') && values.direct ? await createMalls(stack, 'ad', 1, sizes.aOrders) : [];
    const b = cases.has('B') ? await createMalls(stack, 'b', sizes.bMalls, sizes.bOrders) : [];
    const b2 = cases.has('B') ? await createMalls(stack, 'bt', sizes.bMalls, sizes.bOrders) : [];
    const bDirect = cases.has('B') && values.direct ? await createMalls(stack, 'bd', sizes.bMalls, sizes.bOrders) : [];
    // D's requests address 20 small malls of their own: a POST on A's mall would collect 20,000
    // orders again beside the measured requests.
    const d = cases.has('D') ? await createMalls(stack, 'd', 20, 10) : [];
    // E alone evaluates as many links of its own as a full run holds (1,500).
    if (cases.has('E') && !cases.has('B')) await createMalls(stack, 'e', 3 * sizes.bMalls, 1);
    log('malls created; creating schedules');
    await reconcileSchedules(stack);
    const worker1 = await startWorker(stack, 'worker-1');
    const api = await stack.startProcess('api', 'src/api/main.ts', apiSettledLine, { API_PORT: String(await freePort()), API_HOST: '127.0.0.1' });
    const pids = { worker1: worker1.process.pid!, api: api.process.pid! };
    // Every worker on the task queue, for D's CPU seconds.
    const workerPids = [pids.worker1];

    if (cases.has('A')) {
      log('A: one mall');
      slots.push(await runSlot(stack, { name: 'A', malls: a, job: 'collect-orders', workerPids: [pids.worker1], apiPid: pids.api, latencyMs, least: collectionCalls, check: collectionCheck(stack, a) }));
      if (values.direct) slots.push(await runDirect(stack, 'A --direct', aDirect, latencyMs));
    }
    if (cases.has('B')) {
      log(`B: ${b.length} malls at once, one worker`);
      slots.push(await runSlot(stack, { name: 'B', malls: b, job: 'collect-orders', workerPids: [pids.worker1], apiPid: pids.api, latencyMs, least: collectionCalls, check: collectionCheck(stack, b) }));
      if (values.direct) slots.push(await runDirect(stack, 'B --direct', bDirect, latencyMs));
    }
    if (cases.has('C')) {
      log('C: invoice sync of B');
      for (const m of b) for (const outbound of stack.fms.control.outbounds(m.link.cst_cd)) stack.fms.control.shipNow(m.link.cst_cd, outbound.slipNo);
      const control = cafe24SimControl(stack.cafe24.url);
      slots.push(
        await runSlot(stack, {
          name: 'C',
          malls: b,
          job: 'sync-invoices',
          workerPids: [pids.worker1],
          apiPid: pids.api,
          latencyMs,
          // One delivery list from FMS, Cafe24 shipments 100 per call.
          least: (orders) => ({ cafe24: Math.ceil(orders / 100), fms: 1 }),
          check: async () => {
            let duplicates = 0;
            let missing = 0;
            for (const m of b) {
              const shipments = await control.shipments(m.link.mall_id);
              const distinct = new Set(shipments.map((s) => s.tracking_no)).size;
              duplicates += shipments.length - distinct;
              missing += m.orders - distinct;
            }
            return { duplicates, missing };
          },
        }),
      );
    }
    if (cases.has('B')) {
      const worker2 = await startWorker(stack, 'worker-2');
      workerPids.push(worker2.process.pid!);
      log(`B2: ${b2.length} malls at once, two workers`);
      slots.push(
        await runSlot(stack, { name: 'B2 (2 workers)', malls: b2, job: 'collect-orders', workerPids: [pids.worker1, worker2.process.pid!], apiPid: pids.api, latencyMs, least: collectionCalls, check: collectionCheck(stack, b2) }),
      );
    }
    if (cases.has('D')) {
      log('D: config API under load');
      ({ loads: configApi, endpointCosts } = await benchConfigApi(stack, { quick: values.quick, linkIds: d.map((m) => m.link.id), workerPids }));
    }
    if (cases.has('E')) {
      log('E: alert evaluation');
      alertEvaluation = await benchAlertEvaluation(stack);
    }
  } finally {
    await stack.close();
  }
}

const fmt = (n: number | null, digits = 1) => (n === null ? 'n/a' : n.toFixed(digits));
const rows = slots.map((s) => ({
  case: s.case,
  'malls×orders': `${s.malls}×${s.orders / s.malls}`,
  'wall s': fmt(s.wallSeconds),
  'last start s': fmt(s.lastStartSeconds),
  'orders/s': fmt(s.ordersPerSecond, 0),
  'floor s': fmt(s.floorSeconds, 2),
  'over floor': `${fmt(s.overFloor)}×`,
  'Cafe24 calls (least)': `${s.cafe24Calls} (${s.cafe24Least})`,
  'FMS calls, creates (least)': `${s.fmsCalls}, ${s.fmsCreateCalls} (${s.fmsLeast})`,
  'events/order': fmt(s.eventsPerOrder, 3),
  'worker RSS MiB': s.workerPeakRssMiB.map((r) => r.toFixed(0)).join('+'),
  'API RSS MiB': fmt(s.apiPeakRssMiB, 0),
  'worker CPU s': s.workerCpuSeconds.map((c) => c.toFixed(1)).join('+'),
  'Temporal CPU s': fmt(s.temporalCpuSeconds),
  'PG CPU s': fmt(s.postgresCpuSeconds),
  'statements/run': fmt(s.statementsPerRun),
  'dup/missing': `${s.duplicates}/${s.missing}`,
}));
for (const direct of slots.filter((s) => s.case.endsWith('--direct'))) {
  const temporal = slots.find((s) => s.case === direct.case.replace(' --direct', ''));
  if (temporal) rows.push({ ...Object.fromEntries(Object.keys(rows[0]!).map((k) => [k, ''])), case: `${temporal.case} durability overhead`, 'wall s': `${(temporal.wallSeconds / direct.wallSeconds).toFixed(2)}×` } as (typeof rows)[number]);
}
printTable(rows);
if (configApi.length > 0) {
  printTable(
    configApi.flatMap((d) =>
      [d, ...Object.entries(d.byEndpoint ?? {}).map(([endpoint, e]) => ({ ...e, target: `  ${endpoint}`, offeredRate: d.offeredRate, p99OverBare: null }))].map((r) => ({
        target: r.target,
        'offered req/s': String(r.offeredRate),
        'achieved req/s': r.achievedRate.toFixed(0),
        'p50 ms': r.p50Ms.toFixed(1),
        'p99 ms': r.p99Ms.toFixed(1),
        errors: String(r.errors),
        statuses: Object.entries(r.statuses)
          .map(([code, n]) => `${code}×${n}`)
          .join(' '),
        'p99 / bare': r.p99OverBare === null ? '' : `${r.p99OverBare.toFixed(1)}×`,
      })),
    ),
  );
  process.stdout.write('\nCPU seconds during each config API load (API, worker, Temporal, PostgreSQL, load generator and simulators):\n');
  for (const d of configApi.filter((m) => m.cpuSeconds)) {
    const cpu = d.cpuSeconds!;
    process.stdout.write(`  ${d.target} at ${d.offeredRate} req/s: ${cpu.api.map((c) => c.toFixed(1)).join(' + ')}, ${cpu.worker.toFixed(1)}, ${fmt(cpu.temporal)}, ${cpu.postgres.toFixed(1)}, ${cpu.loadAndSimulators.toFixed(1)}\n`);
  }
  if (endpointCosts.length > 0) {
    process.stdout.write('\nEach endpoint alone, one API process (per request: CPU ms of the API, worker, Temporal, PostgreSQL, load generator and simulators; PostgreSQL statements):\n');
    for (const e of endpointCosts) {
      const cpu = e.cpuMsPerRequest;
      process.stdout.write(
        `  ${e.endpoint} at ${e.offeredRate} req/s: p50 ${e.p50Ms.toFixed(1)} ms, p99 ${e.p99Ms.toFixed(1)} ms; CPU ms ${[cpu.api, cpu.worker, cpu.temporal, cpu.postgres, cpu.loadAndSimulators].map((c) => fmt(c, 2)).join(', ')}; statements ${e.statementsPerRequest.toFixed(1)}\n`,
      );
    }
  }
  const busiest = configApi.at(-1)?.topStatements ?? [];
  if (busiest.length > 0) {
    process.stdout.write(`\nPostgreSQL top statements by total time, config API at ${configApi.at(-1)!.offeredRate} req/s (pg_stat_statements):\n`);
    for (const s of busiest.slice(0, 5)) process.stdout.write(`  ${s.totalMs.toFixed(0).padStart(7)} ms ${String(s.calls).padStart(6)} calls ${s.meanMs.toFixed(2).padStart(7)} ms/call  ${s.query.replace(/\s+/g, ' ').slice(0, 110)}\n`);
  }
}
for (const [name, measure] of Object.entries({ ...productLinking, ...(temporalAlone ? { [`T: Temporal alone, ${sizes.bMalls} empty runs`]: temporalAlone } : {}), ...(alertEvaluation ? { 'E: alert evaluation': alertEvaluation } : {}) })) {
  process.stdout.write(`\n${name}\n`);
  for (const [key, value] of Object.entries(measure)) process.stdout.write(`  ${key}: ${value}\n`);
}
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: totalmem() / 2 ** 30, node: process.version, loadAverageBefore: loadBefore, loadAverageAfter: loadavg() };
process.stdout.write(`\nmachine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB.toFixed(0)} GiB, node ${machine.node}; load average before ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${machine.loadAverageAfter.map((l) => l.toFixed(1)).join(' ')}\n`);
const resultsDir = path.join(repoRoot, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ startedAt, options: { ...values, cases: [...cases], sizes, latencyMs }, machine, slots, configApi, configApiEndpointCosts: endpointCosts, productLinking, temporalAlone, alertEvaluation }, null, 2)}\n`);
process.stdout.write(`written ${path.relative(repoRoot, file)}\n`);

function printTable(table: Record<string, string>[]): void {
  if (table.length === 0) return;
  const keys = Object.keys(table[0]!);
  const widths = keys.map((k) => Math.max(k.length, ...table.map((r) => (r[k] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`\n${line(keys)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const r of table) process.stdout.write(`${line(keys.map((k) => r[k] ?? ''))}\n`);
}
