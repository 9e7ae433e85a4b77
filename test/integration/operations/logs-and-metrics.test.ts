import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTsChild, type ManagedChild } from '../../../src/dev/child-process.js';
import { repoRoot } from '../../../src/dev/paths.js';
import { freePort } from '../../../src/dev/ports.js';
import { manualCollectWorkflowId, systemCheckWorkflowId, workflowTypes } from '../../../src/temporal/names.js';
import { startCollection } from '../../support/collection-runs.js';
import { createInstalledLink, startEndToEnd, type EndToEnd } from '../../support/end-to-end.js';
import { readLog, until } from '../../support/wait.js';

/** The JSON lines of a pino log file. */
const logLines = (file: string): Record<string, unknown>[] =>
  readLog(file)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** The value of the first Prometheus sample `name{…labels…} value`, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Starts a service process and waits for its start-up log line. */
async function startService(name: string, entry: string, env: Record<string, string>, logFile: string, started: string): Promise<ManagedChild> {
  const child = startTsChild(name, path.join(repoRoot, entry), { env, logFile });
  let exited: string | null = null;
  void child.exited.then((how) => (exited = how));
  await until(() => exited !== null || readLog(logFile).includes(`"msg":"${started}"`), `${name} to start`, 60_000);
  expect(exited, readLog(logFile)).toBeNull();
  return child;
}

/**
 * What an operator reads. The reproduction — a worker whose TOKEN_ENCRYPTION_KEY differs
 * from the key that stored the Cafe24 tokens — must log each failed fetch with the error's type,
 * message and cause; the worker's SDK metrics and the API's request metrics are scraped from
 * their own ports, apart from the public API.
 */
describe('operations: failure logs carry the cause; worker and API metrics on their own ports', () => {
  let e2e: EndToEnd;
  const logDir = mkdtempSync(path.join(tmpdir(), 'c2f-ops-'));
  const children: ManagedChild[] = [];

  beforeAll(async () => {
    e2e = await startEndToEnd();
  });

  afterAll(async () => {
    for (const child of children) await child.stop(10_000);
    await e2e?.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('a worker with the wrong key logs "Activity failed" with type, message and cause chain (no token), and serves SDK metrics', async () => {
    const link = await createInstalledLink(e2e, { cst_cd: 'OBS01', link_start_date: '2026-11-20', collection_range_days: 1, collection_method: 'manual' });
    const metricsPort = await freePort();
    const workerLog = path.join(logDir, 'worker.log');
    const env = { ...e2e.workerEnv, TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'), METRICS_HOST: '127.0.0.1', WORKER_METRICS_PORT: String(metricsPort) };
    children.push(await startService('worker', 'src/worker/main.ts', env, workerLog, 'worker started'));
    expect(logLines(workerLog).find((l) => l.msg === 'worker started')).toMatchObject({ metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` });

    const collection = await startCollection(e2e.temporal.client, e2e.temporal.taskQueue, { mallLinkId: link.id, slotAt: '2026-11-27T05:40:00.000Z', trigger: 'manual' }, manualCollectWorkflowId(link.id));
    await until(() => logLines(workerLog).some((l) => l.msg === 'Activity failed'), 'a failed activity in the worker log', 30_000);
    const failed = logLines(workerLog).find((l) => l.msg === 'Activity failed')!;
    expect(failed).not.toHaveProperty('error');
    expect(failed).toMatchObject({
      level: 40,
      sdk: true,
      activityType: expect.any(String),
      err: {
        type: 'TokenUnreadableError',
        message: expect.stringContaining('TOKEN_ENCRYPTION_KEY differs'),
        stack: expect.any(String),
        cause: { type: 'Error', message: 'Unsupported state or unable to authenticate data' },
      },
    });
    const stored = await e2e.database.db.selectFrom('cafe24_tokens').select(['access_token_enc', 'refresh_token_enc']).where('mall_link_id', '=', link.id).executeTakeFirstOrThrow();
    const text = readLog(workerLog);
    for (const secret of [stored.access_token_enc, stored.refresh_token_enc, env.TOKEN_ENCRYPTION_KEY, e2e.workerEnv.TOKEN_ENCRYPTION_KEY!, e2e.workerEnv.FMS_API_KEY!]) {
      expect(text).not.toContain(secret);
    }
    await collection.terminate('test done');

    // A workflow that completes, beside the failing activity, so both kinds of series exist.
    await e2e.temporal.client.workflow.execute(workflowTypes.systemCheck, { taskQueue: e2e.temporal.taskQueue, workflowId: systemCheckWorkflowId(`ops-${Date.now()}`) });
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    let scraped = '';
    await until(
      async () => {
        scraped = await (await fetch(metricsUrl)).text();
        // The failing step is collectOrders' first, a local activity (startCollection).
        return (sample(scraped, 'temporal_workflow_completed', { workflow_type: workflowTypes.systemCheck }) ?? 0) >= 1 && (sample(scraped, 'temporal_local_activity_execution_failed') ?? 0) >= 1;
      },
      'the worker metrics to show the completed workflow and the failed activity',
      15_000,
    );
    expect(sample(scraped, 'temporal_local_activity_execution_failed', { task_queue: e2e.temporal.taskQueue })).toBeGreaterThanOrEqual(1);
    expect(scraped).toContain('temporal_activity_execution_latency');
  });

  it('the API counts requests by route template, method and status on its metrics port', async () => {
    const [apiPort, metricsPort] = [await freePort(), await freePort()];
    const env = { ...e2e.workerEnv, API_HOST: '127.0.0.1', API_PORT: String(apiPort), METRICS_HOST: '127.0.0.1', API_METRICS_PORT: String(metricsPort) };
    const apiLog = path.join(logDir, 'api.log');
    children.push(await startService('api', 'src/api/main.ts', env, apiLog, 'api listening'));
    await until(() => readLog(apiLog).includes('"msg":"api metrics listening"'), 'the API metrics endpoint', 10_000);
    const api = `http://127.0.0.1:${apiPort}`;
    for (let i = 0; i < 3; i++) expect((await fetch(`${api}/healthz`)).status).toBe(200);
    expect((await fetch(`${api}/v1/mall-links/00000000-0000-4000-8000-000000000000`)).status).toBe(401);
    expect((await fetch(`${api}/no/such/route/${Date.now()}`)).status).toBe(404);

    const scraped = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(sample(scraped, 'http_requests_total', { method: 'GET', route: '/healthz', status: '200' })).toBe(3);
    expect(sample(scraped, 'http_requests_total', { method: 'GET', route: '/v1/mall-links/:id', status: '401' })).toBe(1);
    expect(sample(scraped, 'http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(sample(scraped, 'http_request_duration_seconds_count', { method: 'GET', route: '/healthz', status: '200' })).toBe(3);
    expect(scraped).toContain('process_cpu_seconds_total');
    // The public API does not serve them.
    expect((await fetch(`${api}/metrics`)).status).toBe(404);
  });
});
