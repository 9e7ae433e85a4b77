import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { insertApiKey } from '../src/db/repositories/api-keys.js';
import { generateApiKey } from '../src/domain/api-keys.js';
import { startChild } from '../src/dev/child-process.js';
import { repoRoot } from '../src/dev/paths.js';
import { freePort } from '../src/dev/ports.js';
import { apiSettledLine, benchPollColumn, cpuSeconds, ownAndReapedCpuSeconds, postgresCpuSeconds, type BenchStack, type StatementStat } from './stack.js';

/**
 * D: the config API (`npm run api`) under open-loop load from a second process — GET …/status,
 * PATCH (minutesAfterPayment 10 or 20: in the order sent, about a third are real changes with their
 * schedule sync), POST …/collections — spread over 20 small malls of its own, and a bare Hono route in a
 * process of its own as the baseline, at the same offered rates. PostgreSQL's top statements by
 * total time (pg_stat_statements) are kept for each config API load. At 500 req/s once more with
 * two API processes taking the requests in turn, as replicas behind a load balancer would.
 */

export interface ConfigApiMeasure {
  target: string;
  offeredRate: number;
  achievedRate: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  statuses: Record<string, number>;
  p99OverBare: number | null;
  /** Per endpoint of the mix (the config API only). */
  byEndpoint?: Record<string, LoadResult>;
  /** PostgreSQL statements by total time during this load (the config API only). */
  topStatements?: StatementStat[];
  /**
   * CPU seconds each part of the stack used during this load (the config API only): the POSTs'
   * runs and the PATCHes' schedule changes load the worker, Temporal and PostgreSQL on the same cores.
   */
  cpuSeconds?: LoadCpu;
}

export interface LoadCpu {
  api: number[];
  worker: number;
  temporal: number | null;
  postgres: number;
  /** The load generator and the bench process with the simulators. */
  loadAndSimulators: number;
}

/** CPU seconds used so far by each part of the stack. */
function cpuNow(stack: BenchStack, apiPids: number[], workerPids: number[]): LoadCpu {
  return {
    api: apiPids.map(cpuSeconds),
    worker: workerPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
    temporal: stack.temporalPid === null ? null : cpuSeconds(stack.temporalPid),
    postgres: postgresCpuSeconds(stack.postgresPid),
    loadAndSimulators: ownAndReapedCpuSeconds(),
  };
}

function cpuSince(before: LoadCpu, after: LoadCpu): LoadCpu {
  return {
    api: after.api.map((seconds, i) => seconds - before.api[i]!),
    worker: after.worker - before.worker,
    temporal: after.temporal === null || before.temporal === null ? null : after.temporal - before.temporal,
    postgres: after.postgres - before.postgres,
    loadAndSimulators: after.loadAndSimulators - before.loadAndSimulators,
  };
}

/**
 * One endpoint alone on one API process, at a rate the machine keeps up with: what a request costs
 * each part of the stack. A POST's costs run until every run it started has finished.
 */
export interface EndpointCost {
  endpoint: string;
  offeredRate: number;
  achievedRate: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
  /** CPU milliseconds per request: API, worker, Temporal, PostgreSQL, load generator and simulators. */
  cpuMsPerRequest: { api: number; worker: number; temporal: number | null; postgres: number; loadAndSimulators: number };
  /** PostgreSQL statements per request (pg_stat_statements calls, the bench's own polls left out). */
  statementsPerRequest: number;
}

type LoadResult = Pick<ConfigApiMeasure, 'achievedRate' | 'p50Ms' | 'p99Ms' | 'errors' | 'statuses'>;

const run = promisify(execFile);

async function load(plan: object): Promise<LoadResult & { byLabel: Record<string, LoadResult> }> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench/load.ts'), JSON.stringify(plan)], { cwd: repoRoot, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

export async function benchConfigApi(
  stack: BenchStack,
  options: { quick: boolean; linkIds: string[]; workerPids: number[] },
): Promise<{ loads: ConfigApiMeasure[]; endpointCosts: EndpointCost[] }> {
  const key = generateApiKey();
  await insertApiKey(stack.db, { name: 'bench', scope: { role: 'admin', cstCd: null }, displayPrefix: key.displayPrefix, hash: key.hash });
  const apiUrls: string[] = [];
  const apiPids: number[] = [];
  for (const name of ['api-d', 'api-d2']) {
    const port = await freePort();
    const api = await stack.startProcess(name, 'src/api/main.ts', apiSettledLine, { API_PORT: String(port), API_HOST: '127.0.0.1' });
    apiPids.push(api.process.pid!);
    apiUrls.push(`http://127.0.0.1:${port}`);
  }
  const barePort = await freePort();
  const bare = startChild('bare', process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench/bare-hono.ts'), String(barePort)], { logFile: path.join(stack.workDir, 'bare.log') });
  try {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const seconds = options.quick ? 5 : 15;
    const results: ConfigApiMeasure[] = [];
    const bareMix = [{ label: 'bare', weight: 1, method: 'GET', path: '/status' }];
    const apiMix = options.linkIds.flatMap((id) => [
      { label: 'GET status', weight: 32, method: 'GET', path: `/v1/mall-links/${id}/status` },
      ...[10, 20].map((minutesAfterPayment) => ({ label: 'PATCH', weight: 3, method: 'PATCH', path: `/v1/mall-links/${id}`, body: { minutesAfterPayment } })),
      { label: 'POST collections', weight: 2, method: 'POST', path: `/v1/mall-links/${id}/collections`, body: {} },
    ]);
    const apiHeaders = { authorization: `Bearer ${key.plaintext}` };
    // Warm-up, not measured: JIT, lazily loaded modules and the pools' connections.
    const bareUrls = [`http://127.0.0.1:${barePort}`];
    await load({ baseUrls: bareUrls, rate: 100, seconds: 3, headers: {}, mix: bareMix });
    await load({ baseUrls: apiUrls, rate: 100, seconds: 3, headers: apiHeaders, mix: apiMix });
    // 100 and 500 req/s on one API process, then 500 shared by two (requests in turn).
    for (const [rate, processes] of [[100, 1], [500, 1], [500, 2]] as const) {
      const { byLabel: _, ...bareResult } = await load({ baseUrls: bareUrls, rate, seconds, headers: {}, mix: bareMix });
      results.push({ target: 'bare Hono route', offeredRate: rate, ...bareResult, p99OverBare: null });
      await stack.statements.reset();
      const cpuBefore = cpuNow(stack, apiPids.slice(0, processes), options.workerPids);
      const { byLabel, ...api } = await load({ baseUrls: apiUrls.slice(0, processes), rate, seconds, headers: apiHeaders, mix: apiMix });
      const cpu = cpuSince(cpuBefore, cpuNow(stack, apiPids.slice(0, processes), options.workerPids));
      results.push({
        target: `config API, ${processes === 1 ? 'one process' : `${processes} processes`} (80% GET status, 15% PATCH, 5% POST collections)`,
        offeredRate: rate,
        ...api,
        p99OverBare: api.p99Ms / bareResult.p99Ms,
        byEndpoint: byLabel,
        topStatements: await stack.statements.top(10),
        cpuSeconds: cpu,
      });
    }
    const endpointCosts: EndpointCost[] = [];
    for (const [endpoint, rate] of [['GET status', 200], ['PATCH', 50], ['POST collections', 25]] as const) {
      const mix = apiMix.filter((m) => m.label === endpoint);
      await stack.statements.reset();
      const started = new Date();
      const cpuBefore = cpuNow(stack, apiPids.slice(0, 1), options.workerPids);
      const { byLabel: _, ...result } = await load({ baseUrls: apiUrls.slice(0, 1), rate, seconds: options.quick ? 3 : 10, headers: apiHeaders, mix });
      await untilRunsFinished(stack, options.linkIds, started, result.statuses['202'] ?? 0);
      const cpu = cpuSince(cpuBefore, cpuNow(stack, apiPids.slice(0, 1), options.workerPids));
      const requests = Object.values(result.statuses).reduce((sum, n) => sum + n, 0);
      const perRequest = (seconds: number) => (seconds * 1000) / requests;
      endpointCosts.push({
        endpoint,
        offeredRate: rate,
        achievedRate: result.achievedRate,
        p50Ms: result.p50Ms,
        p99Ms: result.p99Ms,
        statuses: result.statuses,
        cpuMsPerRequest: {
          api: perRequest(cpu.api[0]!),
          worker: perRequest(cpu.worker),
          temporal: cpu.temporal === null ? null : perRequest(cpu.temporal),
          postgres: perRequest(cpu.postgres),
          loadAndSimulators: perRequest(cpu.loadAndSimulators),
        },
        statementsPerRequest: (await stack.statements.count()) / requests,
      });
    }
    return { loads: results, endpointCosts };
  } finally {
    await bare.stop(5_000);
  }
}

/** Waits until the links have `runs` collection runs started since `since` and finished. */
async function untilRunsFinished(stack: BenchStack, linkIds: string[], since: Date, runs: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const row = await stack.db
      .selectFrom('collection_runs')
      .select((eb) => eb.fn.countAll<string>().as(benchPollColumn))
      .where('mall_link_id', 'in', linkIds)
      .where('started_at', '>=', new Date(since.getTime() - 1_000))
      .where('finished_at', 'is not', null)
      .executeTakeFirstOrThrow();
    if (Number(row.finished) >= runs) return;
    if (Date.now() > deadline) throw new Error(`${row.finished} of ${runs} runs the POSTs started finished within 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
