import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadDevStackConfig, searchPath } from '../config/env.js';
import { createDb } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { findActiveApiKeyByHash, insertApiKey } from '../db/repositories/api-keys.js';
import { generateApiKey, hashApiKey } from '../domain/api-keys.js';
import { demoMall, importDemoCatalogue, startDevCafe24 } from './cafe24-demo.js';
import { startTsChild, type ManagedChild } from './child-process.js';
import { seedDemoCatalogue } from './demo-catalogue.js';
import { startDevFmsSimulator } from './fms-simulator.js';
import { acquireStackLock } from './lock.js';
import { dataDir, devCredentialsFile, repoRoot, toolsDir } from './paths.js';
import { isListening } from './ports.js';
import { startEmbeddedPostgres } from './postgres.js';
import { resolveTemporalCli } from './temporal-cli.js';
import { startTemporalDevServer } from './temporal-server.js';
import { systemCheckWorkflowId, workflowTypes } from '../temporal/names.js';

/**
 * `npm start`: the whole system on one machine — embedded PostgreSQL, Temporal dev server with
 * UI, migrations, API and worker — with its state under .data/ and its logs under .data/logs/.
 */

const say = (message: string) => process.stdout.write(`[start] ${message}\n`);
const database = 'cafe24_fms_link';
const namespace = 'default';
const taskQueue = 'cafe24-fms-link';

let config;
try {
  config = loadDevStackConfig();
} catch (error) {
  if (error instanceof ConfigError) for (const p of error.problems) process.stderr.write(`config error: ${p}\n`);
  process.exit(1);
}

await fs.mkdir(path.join(dataDir, 'logs'), { recursive: true });
const releaseLock = await acquireStackLock(path.join(dataDir, 'stack.pid'));

const stops: { name: string; stop: () => Promise<void> }[] = [];
let shuttingDown = false;
async function shutdown(reason: string, exitCode: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  say(`stopping (${reason})`);
  // Reverse start order: API and worker drain before the servers they use go away.
  for (const { name, stop } of stops.reverse()) {
    try {
      await stop();
      say(`${name} stopped`);
    } catch (error) {
      say(`${name} did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  await releaseLock();
  process.exit(exitCode);
}
process.once('SIGINT', () => void shutdown('SIGINT', 0));
process.once('SIGTERM', () => void shutdown('SIGTERM', 0));

async function requireFreePort(port: number, what: string, variable: string) {
  if (await isListening(port)) throw new Error(`port ${port} (${what}) is already in use; free it or set ${variable}`);
}

/** The dev token-encryption key, generated once and kept with the data it protects. */
async function devEncryptionKey(): Promise<string> {
  const file = path.join(dataDir, 'token-encryption-key');
  if (!existsSync(file)) await fs.writeFile(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  return (await fs.readFile(file, 'utf8')).trim();
}

/** The demo admin key: reused while it is still valid, so scripts keep working across restarts. */
async function demoAdminKey(db: ReturnType<typeof createDb>): Promise<string> {
  if (existsSync(devCredentialsFile)) {
    const previous = JSON.parse(readFileSync(devCredentialsFile, 'utf8')) as { apiKey?: string };
    if (previous.apiKey && (await findActiveApiKeyByHash(db, hashApiKey(previous.apiKey)))) return previous.apiKey;
  }
  const key = generateApiKey();
  await insertApiKey(db, { name: 'demo admin (npm start)', scope: { role: 'admin', cstCd: null }, displayPrefix: key.displayPrefix, hash: key.hash });
  return key.plaintext;
}

async function waitFor(what: string, child: ManagedChild, probe: () => Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let exited: string | null = null;
  void child.exited.then((how) => (exited = how));
  while (!(await probe().catch(() => false))) {
    if (exited) throw new Error(`${child.name} exited (${exited}) before ${what}; see .data/logs/${child.name}.log`);
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s; see .data/logs/${child.name}.log`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

try {
  const started = performance.now();
  await requireFreePort(config.DEV_POSTGRES_PORT, 'PostgreSQL', 'DEV_POSTGRES_PORT');
  await requireFreePort(config.DEV_TEMPORAL_PORT, 'Temporal', 'DEV_TEMPORAL_PORT');
  await requireFreePort(config.DEV_TEMPORAL_UI_PORT, 'Temporal UI', 'DEV_TEMPORAL_UI_PORT');
  await requireFreePort(config.API_PORT, 'API', 'API_PORT');
  await requireFreePort(config.DEV_FMS_SIM_PORT, 'FMS simulator', 'DEV_FMS_SIM_PORT');
  await requireFreePort(config.DEV_CAFE24_SIM_PORT, 'Cafe24 simulator', 'DEV_CAFE24_SIM_PORT');

  say('starting PostgreSQL');
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    port: config.DEV_POSTGRES_PORT,
    database,
    logFile: path.join(dataDir, 'logs', 'postgres.log'),
  });
  stops.push({ name: 'PostgreSQL', stop: postgres.stop });

  const cli = resolveTemporalCli({ configuredPath: config.TEMPORAL_CLI_PATH, searchPath: searchPath(), toolsDir, log: say });
  say(`starting Temporal dev server (${cli.kind === 'binary' ? `${cli.path}, from ${cli.source}` : 'downloaded by the SDK'})`);
  const temporalServer = await startTemporalDevServer({
    cli,
    port: config.DEV_TEMPORAL_PORT,
    uiPort: config.DEV_TEMPORAL_UI_PORT,
    dbFile: path.join(dataDir, 'temporal.sqlite'),
    namespace,
    logFile: path.join(dataDir, 'logs', 'temporal.log'),
  });
  stops.push({ name: 'Temporal', stop: temporalServer.stop });

  const fmsSimulator = await startDevFmsSimulator({ port: config.DEV_FMS_SIM_PORT });
  stops.push({ name: 'FMS simulator', stop: fmsSimulator.stop });

  const db = createDb(postgres.databaseUrl, { maxConnections: 2 });
  await migrateToLatest(db);
  const apiKey = await demoAdminKey(db);
  await db.destroy();

  const apiUrl = `http://localhost:${config.API_PORT}`;
  const tokenEncryptionKey = await devEncryptionKey();
  say('starting the Cafe24 simulator and authorizing the demo mall');
  const cafe24 = await startDevCafe24({ port: config.DEV_CAFE24_SIM_PORT, databaseUrl: postgres.databaseUrl, encryptionKey: tokenEncryptionKey, publicBaseUrl: apiUrl });
  stops.push({ name: 'Cafe24 simulator', stop: cafe24.stop });
  await seedDemoCatalogue({ databaseUrl: postgres.databaseUrl, cafe24SimUrl: cafe24.url, mallId: cafe24.demoMallId, mallLinkId: cafe24.demoMallLinkId, cstCd: demoMall.cstCd, fms: fmsSimulator.control });
  const env = {
    NODE_ENV: 'development',
    LOG_LEVEL: config.LOG_LEVEL,
    DATABASE_URL: postgres.databaseUrl,
    TEMPORAL_ADDRESS: temporalServer.address,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_UI_URL: temporalServer.uiUrl ?? '',
    API_PORT: String(config.API_PORT),
    PUBLIC_BASE_URL: apiUrl,
    TOKEN_ENCRYPTION_KEY: tokenEncryptionKey,
    CAFE24_CLIENT_ID: cafe24.clientId,
    CAFE24_CLIENT_SECRET: cafe24.clientSecret,
    CAFE24_API_BASE_URL: cafe24.apiBaseUrlTemplate,
    ...fmsSimulator.env,
  };
  const worker = startTsChild('worker', path.join(repoRoot, 'src/worker/main.ts'), { env, logFile: path.join(dataDir, 'logs', 'worker.log') });
  stops.push({ name: 'worker', stop: () => worker.stop() });
  const api = startTsChild('api', path.join(repoRoot, 'src/api/main.ts'), { env, logFile: path.join(dataDir, 'logs', 'api.log') });
  stops.push({ name: 'API', stop: () => api.stop() });

  await waitFor('the API answered /readyz', api, async () => (await fetch(`${apiUrl}/readyz`)).ok);
  // Ready means a worker has run a workflow end to end, not merely that processes exist.
  const connection = await Connection.connect({ address: temporalServer.address });
  try {
    const client = new Client({ connection, namespace });
    await waitFor('the worker ran the system check', worker, async () => {
      await client.workflow.execute(workflowTypes.systemCheck, { taskQueue, workflowId: systemCheckWorkflowId(String(Date.now())), workflowExecutionTimeout: '20 seconds' });
      return true;
    });
    say('importing the demo mall\'s Cafe24 catalogue');
    const imported = await importDemoCatalogue({ databaseUrl: postgres.databaseUrl, temporal: client, taskQueue, mallLinkId: cafe24.demoMallLinkId });
    say(`imported ${imported.variantsSeen} variants of ${imported.productsSeen} products (GET /v1/mall-links/${cafe24.demoMallLinkId}/cafe24-items)`);
  } finally {
    await connection.close();
  }

  // If a child dies later, take the whole stack down rather than run half of it.
  for (const child of [api, worker]) void child.exited.then((how) => shutdown(`${child.name} exited: ${how}; see .data/logs/${child.name}.log`, 1));

  const credentials = {
    apiUrl,
    apiKey,
    docsUrl: `${apiUrl}/docs`,
    openapiUrl: `${apiUrl}/openapi.json`,
    temporalAddress: temporalServer.address,
    temporalNamespace: namespace,
    temporalTaskQueue: taskQueue,
    temporalUiUrl: temporalServer.uiUrl,
    databaseUrl: postgres.databaseUrl,
    fmsUrl: fmsSimulator.url,
    fmsControlUrl: fmsSimulator.controlUrl,
    cafe24Simulator: {
      url: cafe24.url,
      apiBaseUrl: cafe24.apiBaseUrlTemplate,
      controlUrl: `${cafe24.url}/__control`,
      demoMallId: cafe24.demoMallId,
      demoMallLinkId: cafe24.demoMallLinkId,
    },
  };
  await fs.writeFile(devCredentialsFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });

  say(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(
    [
      '',
      `  API docs      ${credentials.docsUrl}`,
      `  OpenAPI       ${credentials.openapiUrl}`,
      `  Temporal UI   ${credentials.temporalUiUrl}`,
      `  FMS sim       ${credentials.fmsUrl} (control: ${credentials.fmsControlUrl})`,
      `  Cafe24 sim    ${cafe24.url} (demo mall ${cafe24.demoMallId}, authorized)`,
      `  Credentials   ${path.relative(process.cwd(), devCredentialsFile)} (demo admin API key inside)`,
      `  Logs          ${path.relative(process.cwd(), path.join(dataDir, 'logs'))}/`,
      '',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
} catch (error) {
  process.stderr.write(`[start] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await shutdown('start-up failed', 1);
}
