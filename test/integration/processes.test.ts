import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTsChild as startUntrackedTsChild, type ChildOptions, type ManagedChild } from '../../src/dev/child-process.js';
import { freePort } from '../../src/dev/ports.js';
import { repoRoot } from '../../src/dev/paths.js';
import { scheduleIdFor, scheduleJobNames } from '../../src/temporal/names.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertTestMallLink } from '../support/mall-link-fixtures.js';
import { readLog, until } from '../support/wait.js';

const logDir = mkdtempSync(path.join(tmpdir(), 'c2f-proc-'));


// Children run in their own process group: stop every one after its test, also when it failed.
const children: ManagedChild[] = [];
function startTsChild(name: string, entry: string, options: ChildOptions): ManagedChild {
  const child = startUntrackedTsChild(name, entry, options);
  children.push(child);
  return child;
}
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.stop(10_000)));
});

describe('the api and worker processes', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    database = await createTestDatabase();
    env = {
      NODE_ENV: 'development',
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: `proc-${Date.now()}`,
      LOG_LEVEL: 'info',
    };
  });
  afterAll(async () => database?.drop());

  it('npm run worker: SIGTERM drains the worker and exits 0', async () => {
    const logFile = path.join(logDir, 'worker.log');
    const worker = startTsChild('worker', path.join(repoRoot, 'src/worker/main.ts'), { env, logFile });
    await until(() => readLog(logFile).includes('"msg":"worker started"'), 'worker start');
    await worker.stop(30_000);
    expect(await worker.exited).toBe('exit code 0');
    expect(readFileSync(logFile, 'utf8')).toContain('worker drained and stopped');
  });

  it('npm run worker: a SIGTERM that arrives during start-up still stops it cleanly with exit 0', async () => {
    const logFile = path.join(logDir, 'worker-early.log');
    const worker = startTsChild('worker', path.join(repoRoot, 'src/worker/main.ts'), { env, logFile });
    // The config is parsed first; signal while the worker is still connecting and bundling.
    await until(() => readLog(logFile).includes('"service":"worker"'), 'the first worker log line');
    expect(readLog(logFile)).not.toContain('"msg":"worker started"');
    await worker.stop(30_000);
    expect(await worker.exited).toBe('exit code 0');
  });

  it('npm run api: serves /healthz and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const api = startTsChild('api', path.join(repoRoot, 'src/api/main.ts'), { env: { ...env, API_PORT: String(port) }, logFile: path.join(logDir, 'api.log') });
    await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok === true, 'api /healthz');
    await api.stop();
    expect(await api.exited).toBe('exit code 0');
  });

  it('npm run api: at start-up it syncs every link’s schedules, so a change committed by an API that died before syncing it takes effect', async () => {
    // A link as an API killed between commit and schedule sync leaves it: committed, no schedules.
    const link = await insertTestMallLink(database.db);
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    const temporal = new Client({ connection });
    const scheduleIds = scheduleJobNames.map((job) => scheduleIdFor(job, link.id));
    try {
      const port = await freePort();
      const api = startTsChild('api', path.join(repoRoot, 'src/api/main.ts'), { env: { ...env, API_PORT: String(port) }, logFile: path.join(logDir, 'api-sync.log') });
      await until(async () => (await Promise.all(scheduleIds.map((id) => temporal.schedule.getHandle(id).describe().then(() => true, () => false)))).every(Boolean), 'the link’s schedules');
      await api.stop();
      expect(await database.db.selectFrom('mall_links').select('schedule_state').where('id', '=', link.id).executeTakeFirstOrThrow()).toEqual({ schedule_state: 'synced' });
    } finally {
      for (const id of scheduleIds) await temporal.schedule.getHandle(id).delete().catch(() => {});
      await connection.close();
    }
  });

  it('in production, missing configuration stops start-up with one line per variable', async () => {
    const logFile = path.join(logDir, 'api-prod.log');
    const api = startTsChild('api', path.join(repoRoot, 'src/api/main.ts'), {
      // Blank values count as unset, so this is a production environment with nothing configured.
      env: { NODE_ENV: 'production', DATABASE_URL: '', TEMPORAL_ADDRESS: '', PUBLIC_BASE_URL: '', TOKEN_ENCRYPTION_KEY: '', FMS_BASE_URL: '', FMS_API_CD: '', FMS_API_KEY: '', CAFE24_CLIENT_ID: '', CAFE24_CLIENT_SECRET: '' },
      logFile,
    });
    expect(await api.exited).toBe('exit code 1');
    const lines = readFileSync(logFile, 'utf8').trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^config error: DATABASE_URL is required: expected a postgres:\/\/ connection URL$/),
      expect.stringMatching(/^config error: TEMPORAL_ADDRESS is required/),
      expect.stringMatching(/^config error: PUBLIC_BASE_URL is required/),
      expect.stringMatching(/^config error: TOKEN_ENCRYPTION_KEY is required/),
      expect.stringMatching(/^config error: FMS_BASE_URL is required/),
      expect.stringMatching(/^config error: FMS_API_CD is required/),
      expect.stringMatching(/^config error: FMS_API_KEY is required/),
      expect.stringMatching(/^config error: CAFE24_CLIENT_ID is required/),
      expect.stringMatching(/^config error: CAFE24_CLIENT_SECRET is required/),
    ]);
  });
});
