import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { startTsChild, type ManagedChild } from '../../src/dev/child-process.js';
import { repoRoot } from '../../src/dev/paths.js';
import type { EndToEnd } from './end-to-end.js';
import { readLog, until } from './wait.js';

/**
 * How soon after a SIGKILL a new worker carries on the killed work: the remote heartbeat timeout
 * (15 s, src/workflows/activity-options.ts) plus the first retry delay (5 s), with the new worker
 * already polling. It was over 2 minutes with the old heartbeat timeout.
 */
export const crashRecoveryBoundMs = 30_000;

/** Milliseconds since `killedAt`, printed so a run shows the recovery time. */
export function recoveredAfter(killedAt: number, what: string): number {
  const elapsed = Date.now() - killedAt;
  console.info(`${what}: carried on by the new worker ${elapsed} ms after the SIGKILL`);
  return elapsed;
}

/** `npm run worker` (src/worker/main.ts) processes on the test's task queue and simulators, for tests that kill one. */
export function workerProcesses(e2e: () => EndToEnd) {
  const logDir = mkdtempSync(path.join(tmpdir(), 'c2f-workers-'));
  const workers: ManagedChild[] = [];
  return {
    /** Starts a worker and waits until it says it started. */
    async start(name: string): Promise<ManagedChild> {
      const logFile = path.join(logDir, `${name}.log`);
      const worker = startTsChild(name, path.join(repoRoot, 'src/worker/main.ts'), { env: e2e().workerEnv, logFile });
      workers.push(worker);
      let exited: string | null = null;
      void worker.exited.then((how) => (exited = how));
      await until(() => exited !== null || readLog(logFile).includes('"msg":"worker started"'), `${name} to start`, 120_000);
      expect(exited, readLog(logFile)).toBeNull();
      return worker;
    },
    async stopAll(): Promise<void> {
      for (const worker of workers) await worker.stop(10_000);
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
