import { fileURLToPath } from 'node:url';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { withThrowAwayStack } from '../../test/support/throw-away-stack.js';
import { cpuSeconds, devServerPid } from '../stack.js';

/**
 * T: what the Temporal dev server alone needs for a slot's runs on this machine. 500 schedules of a
 * workflow that does nothing, triggered at once as a slot starts them, with a worker that completes
 * them; and the same 500 runs started by the client without schedules. Timed from the trigger (or
 * the first start) to the last run completed; the server's CPU seconds over the same span.
 */
export async function benchTemporalFloor(runs: number): Promise<Record<string, string>> {
  return withThrowAwayStack(async ({ client, nativeConnection, temporalAddress }) => {
    const taskQueue = 'bench-temporal-floor';
    const serverPid = devServerPid(temporalAddress);
    const ids = Array.from({ length: runs }, (_, i) => `bench-empty-${i}`);
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(
        ids.slice(i, i + 50).map((scheduleId) =>
          client.schedule.create({
            scheduleId,
            // A slot that never comes during the bench: only the trigger starts runs.
            spec: { calendars: [{ month: 'JANUARY', dayOfMonth: 1, hour: 3 }] },
            action: { type: 'startWorkflow', workflowType: 'emptyRun', taskQueue, args: [] },
            policies: { overlap: ScheduleOverlapPolicy.SKIP },
          }),
        ),
      );
    }
    const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)) });
    const completed = async (total: number) => {
      for (;;) {
        if ((await client.workflow.count(`WorkflowType = 'emptyRun' AND ExecutionStatus = 'Completed'`)).count >= total) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const measure = async (start: () => Promise<unknown>, total: number) => {
      const cpuBefore = serverPid === null ? null : cpuSeconds(serverPid);
      const started = performance.now();
      await start();
      await completed(total);
      const seconds = (performance.now() - started) / 1000;
      return `${seconds.toFixed(1)} s, ${(runs / seconds).toFixed(0)} runs/s, server ${cpuBefore === null ? 'n/a' : `${(cpuSeconds(serverPid!) - cpuBefore).toFixed(1)} CPU s`}`;
    };
    return worker.runUntil(async () => ({
      [`${runs} schedules triggered at once`]: await measure(() => Promise.all(ids.map((id) => client.schedule.getHandle(id).trigger(ScheduleOverlapPolicy.SKIP))), runs),
      [`${runs} runs started by the client`]: await measure(
        () => Promise.all(ids.map((id) => client.workflow.start('emptyRun', { workflowId: `${id}-direct`, taskQueue }))),
        2 * runs,
      ),
    }));
  });
}
