import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { expect } from 'vitest';
import { startTsChild, type ManagedChild } from '../../src/dev/child-process.js';
import { repoRoot } from '../../src/dev/paths.js';
import type { EndToEnd } from './end-to-end.js';
import { readLog, until } from './wait.js';

const activityStarted = proto.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;

/**
 * How soon after a SIGKILL a new worker carries on the killed work: the remote heartbeat timeout
 * (15 s, src/workflows/activity-options.ts) plus the first retry delay (5 s), counted from the
 * kill or, when later, from the new worker's start. It was over 2 minutes with the old heartbeat timeout.
 */
export const crashRecoveryBoundMs = 30_000;

/**
 * Milliseconds from the SIGKILL until an activity of the workflow runs on the new worker (its
 * identity is `pid@host`), printed with the new worker's start-up time so a run shows both. The
 * start-up (bundling the workflows) is the new process's own cost; the recovery is the rest.
 */
export async function recoveryAfterKill(handle: WorkflowHandle, worker: ManagedChild, times: { killedAt: number; startedAt: number }, what: string): Promise<number> {
  const identity = `${worker.process.pid}@`;
  await until(async () => (await handle.describe()).raw.pendingActivities?.some((a) => a.lastWorkerIdentity?.startsWith(identity) && a.state === activityStarted) ?? false, `an activity on ${worker.name}`, 120_000);
  const recoveredAt = Date.now();
  const recovery = recoveredAt - Math.max(times.killedAt, times.startedAt);
  console.info(`${what}: activity retried on the new worker ${recoveredAt - times.killedAt} ms after the SIGKILL (its start-up ${times.startedAt - times.killedAt} ms, recovery ${recovery} ms)`);
  return recovery;
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
