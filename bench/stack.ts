import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { startChild, type ManagedChild } from '../src/dev/child-process.js';
import { repoRoot } from '../src/dev/paths.js';
import type { Db } from '../src/db/database.js';
import { startCafe24Simulator, type Cafe24Simulator } from '../src/sim/cafe24/index.js';
import { startFmsSimulator, type RunningFmsSimulator } from '../src/sim/fms/server.js';
import { testEncryptionKey } from '../test/support/cafe24.js';
import setup from '../test/support/global-setup.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';

/**
 * The embedded stack a bench runs on: PostgreSQL and the Temporal dev server as the test setup
 * starts them, both simulators in this process with a network latency per call, a prebuilt
 * workflow bundle (as in production), and `npm run worker` / `npm run api` as child processes
 * whose RSS and CPU time are read from /proc.
 */

export interface BenchStack {
  db: Db;
  databaseUrl: string;
  temporal: Client;
  temporalAddress: string;
  /** The Temporal dev server's process, for its CPU seconds; null when it cannot be found. */
  temporalPid: number | null;
  /** The bench PostgreSQL server's postmaster, the parent of every backend. */
  postgresPid: number;
  taskQueue: string;
  cafe24: Cafe24Simulator;
  fms: RunningFmsSimulator;
  /** Environment of a worker or API process on this stack. */
  env: Record<string, string>;
  workDir: string;
  /** PostgreSQL's statement statistics (pg_stat_statements) of the bench database. */
  statements: StatementStats;
  startProcess(name: string, entry: 'src/worker/main.ts' | 'src/api/main.ts', ready: string, env?: Record<string, string>): Promise<ManagedChild>;
  close(): Promise<void>;
}

/** One normalised statement as pg_stat_statements counts it. */
export interface StatementStat {
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
}

export interface StatementStats {
  reset(): Promise<void>;
  /** The statements with the most total execution time since the last reset. */
  top(limit: number): Promise<StatementStat[]>;
  /** Statements executed since the last reset, the bench's own polls for finished runs left out. */
  count(): Promise<number>;
}

function statementStats(db: Db): StatementStats {
  return {
    async reset() {
      await sql`select pg_stat_statements_reset()`.execute(db);
    },
    async top(limit) {
      const { rows } = await sql<StatementStat>`
        select query, calls::float8 as calls, total_exec_time as "totalMs", mean_exec_time as "meanMs", rows::float8 as rows
        from pg_stat_statements
        where dbid = (select oid from pg_database where datname = current_database())
        order by total_exec_time desc
        limit ${limit}`.execute(db);
      return rows;
    },
    async count() {
      const { rows } = await sql<{ calls: number }>`
        select coalesce(sum(calls), 0)::float8 as calls
        from pg_stat_statements
        where dbid = (select oid from pg_database where datname = current_database())
          and query not like ${`%as "${benchPollColumn}"%`}
          and query not like '%pg_stat_statements%'`.execute(db);
      return rows[0]!.calls;
    },
  };
}

/**
 * What an API process logs once its start-up sync of every link's schedules is over: until then
 * it reads and syncs every link beside serving, which a measure would count as its own.
 */
export const apiSettledLine = 'schedules of every link synced at start-up';

/** The column the bench's poll for finished runs names, so the statement count can leave the polls out. */
export const benchPollColumn = 'finished';

/** The worker's V8 heap cap (package.json `worker`, docker-compose.yml): 1 GiB also keeps the SDK's workflow cache at ~500 runs. */
const workerHeapFlag = '--max-old-space-size=1024';

export async function startBenchStack(options: { latencyMs: number; profileDir?: string; keepLogs?: boolean }): Promise<BenchStack> {
  const provided: Record<string, string> = {};
  const teardown = await setup({ provide: (key: string, value: string) => (provided[key] = value) } as never, {
    // Room for every distinct statement of a full run, so none is evicted with its count.
    postgresSettings: { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.max': '20000' },
  });
  const workDir = mkdtempSync(path.join(tmpdir(), 'c2f-bench-'));
  const children: ManagedChild[] = [];
  try {
    const { url: databaseUrl, db } = await createScratchDatabase(provided.postgresAdminUrl!, `bench_${Date.now().toString(36)}`);
    await sql`create extension if not exists pg_stat_statements`.execute(db);
    const { rows: backend } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
    const postgresPid = parentPid(backend[0]!.pid);
    const connection = await Connection.connect({ address: provided.temporalAddress });
    const temporal = new Client({ connection });
    const cafe24 = await startCafe24Simulator({ seed: 'bench', latencyMs: options.latencyMs });
    const fms = await startFmsSimulator({ seed: 'bench' });
    fms.control.updateSettings({ faults: { latencyMs: options.latencyMs } });
    const taskQueue = 'bench';
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: provided.temporalAddress!,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: taskQueue,
      PUBLIC_BASE_URL: 'http://api.bench',
      TOKEN_ENCRYPTION_KEY: testEncryptionKey,
      CAFE24_CLIENT_ID: cafe24.clientId,
      CAFE24_CLIENT_SECRET: cafe24.clientSecret,
      CAFE24_API_BASE_URL: cafe24.apiBaseUrlTemplate,
      FMS_BASE_URL: fms.url,
      FMS_API_CD: fms.apiCd,
      FMS_API_KEY: fms.apiKey,
      WORKFLOW_BUNDLE_PATH: provided.workflowBundlePath!,
      WORKER_SHUTDOWN_GRACE_MS: '5000',
    };
    return {
      db,
      databaseUrl,
      temporal,
      temporalAddress: provided.temporalAddress!,
      temporalPid: devServerPid(provided.temporalAddress!),
      postgresPid,
      taskQueue,
      cafe24,
      fms,
      env,
      workDir,
      statements: statementStats(db),
      async startProcess(processName, entry, ready, extraEnv = {}) {
        const logFile = path.join(workDir, `${processName}.log`);
        // --cpu-prof writes the profile when the process exits (the stop drains and exits normally),
        // one per thread (tsx's loader runs on a thread of its own), so each process gets a folder.
        const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(options.profileDir, processName)}`] : [];
        // As `npm run worker` starts it: a heap cap that makes V8 collect before RSS passes 400 MiB.
        const heap = entry === 'src/worker/main.ts' ? [workerHeapFlag] : [];
        const child = startChild(processName, process.execPath, [...heap, ...profile, '--import', 'tsx', path.join(repoRoot, entry)], { env: { ...env, ...extraEnv }, logFile });
        children.push(child);
        let exited: string | null = null;
        void child.exited.then((how) => (exited = how));
        const deadline = Date.now() + 180_000;
        while (!readLog(logFile).includes(ready)) {
          if (exited !== null || Date.now() > deadline) throw new Error(`${processName} did not start (${exited ?? 'timeout'}):\n${readLog(logFile).slice(-3000)}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return child;
      },
      async close() {
        for (const child of children.reverse()) await child.stop(10_000);
        await fms.stop();
        await cafe24.stop();
        await connection.close();
        await db.destroy();
        await teardown();
        if (options.keepLogs) process.stdout.write(`[bench] logs kept in ${workDir}\n`);
        else rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const child of children) await child.stop(1_000);
    await teardown();
    throw error;
  }
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The `temporal server start-dev` process serving `address` (the global setup starts it and does not hand over its pid). */
export function devServerPid(address: string): number | null {
  const port = address.split(':').at(-1)!;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (args.includes('start-dev') && args[args.indexOf('--port') + 1] === port) return Number(entry);
  }
  return null;
}

const statFields = (pid: number | string) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // After "pid (comm) ": state, ppid, …; utime, stime, cutime and cstime (stat fields 14–17) at 11–14.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
};

const parentPid = (pid: number) => Number(statFields(pid)[1]);

/** CPU seconds (user + system) a process has used, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A process's own CPU seconds and those of its children that have exited and been waited for. */
const withReapedChildren = (fields: string[]) => (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;

/** CPU seconds of this process and of the children it has waited for (e.g. a load generator run to its end). */
export const ownAndReapedCpuSeconds = () => withReapedChildren(statFields(process.pid));

/**
 * CPU seconds of the PostgreSQL server now: the postmaster's and each backend's own, and the
 * postmaster's exited children's (a backend that ends during a measure keeps counting).
 */
export function postgresCpuSeconds(postmasterPid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(entry);
      if (Number(entry) !== postmasterPid && Number(fields[1]) !== postmasterPid) continue;
      total += withReapedChildren(fields);
    } catch {
      // Gone between the listing and the read.
    }
  }
  return total;
}

/** Resident set size in MiB now, from /proc (0 once the process is gone). */
export function rssMiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the peak RSS of processes every 100 ms until stopped. */
export function watchPeakRss(pids: number[]): { stop(): number[] } {
  const peaks = pids.map(() => 0);
  const sample = () => pids.forEach((pid, i) => (peaks[i] = Math.max(peaks[i]!, rssMiB(pid))));
  sample();
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}
