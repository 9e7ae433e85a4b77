import { mkdtemp, rm, chmod, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { loadDevStackConfig, searchPath } from '../../src/config/env.js';
import { ensureBrowserPackages } from '../../src/dev/browser.js';
import { toolsDir } from '../../src/dev/paths.js';
import { freePort } from '../../src/dev/ports.js';
import { startEmbeddedPostgres } from '../../src/dev/postgres.js';
import { resolveTemporalCli } from '../../src/dev/temporal-cli.js';
import { startTemporalDevServer } from '../../src/dev/temporal-server.js';
import { workflowsPath } from '../../src/worker/workflows-source.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the `postgres` maintenance database; tests create their own databases from it. */
    postgresAdminUrl: string;
    temporalAddress: string;
    temporalNamespace: string;
    /** The dev server's web UI (test/integration/operations/temporal-ui.test.ts drives it). */
    temporalUiUrl: string;
    /**
     * The workflow bundle, built once per run from src/workflows: workers in test files and the
     * worker processes tests start load it (WORKFLOW_BUNDLE_PATH, as production workers do).
     */
    workflowBundlePath: string;
  }
}

const quietBundler = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * One real PostgreSQL and one real Temporal dev server for the whole integration run, on free
 * ports, and the workflow bundle; torn down afterwards even when tests fail. Never skipped: what
 * it needs it installs.
 * The bench starts the same stack with extra PostgreSQL settings (pg_stat_statements).
 */
export default async function setup(project: TestProject, options: { postgresSettings?: Record<string, string> } = {}) {
  const workDir = await mkdtemp(path.join(tmpdir(), 'c2f-test-'));
  // The postgres OS user (when we run as root) must traverse into the data directory.
  await chmod(workDir, 0o777);
  const stops: (() => Promise<void>)[] = [];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => process.stderr.write(`teardown: ${String(error)}\n`));
    await rm(workDir, { recursive: true, force: true });
  };

  // Bundled while the servers start (most of their start is waiting on them).
  const bundling = bundleWorkflowCode({ workflowsPath, logger: quietBundler });
  bundling.catch(() => {}); // awaited below, unless a server fails to start first
  try {
    const [pgPort, temporalPort, temporalUiPort] = [await freePort(), await freePort(), await freePort()];
    const postgres = await startEmbeddedPostgres({
      dataDir: path.join(workDir, 'pg'),
      port: pgPort,
      database: 'postgres',
      logFile: path.join(workDir, 'postgres.log'),
      ...(options.postgresSettings ? { settings: options.postgresSettings } : {}),
    });
    stops.push(postgres.stop);

    const log = (m: string) => process.stdout.write(`[test setup] ${m}\n`);
    const config = loadDevStackConfig();
    const cli = resolveTemporalCli({ configuredPath: config.TEMPORAL_CLI_PATH, searchPath: searchPath(), toolsDir, log });
    // The Temporal UI test drives the system Chromium; as with the CLI, what is missing is installed
    // (apt-get, as root) rather than the test skipped.
    ensureBrowserPackages({ configuredPath: config.CHROMIUM_PATH, searchPath: searchPath(), log });
    const startTemporal = (port: number, uiPort: number, attempt: number) =>
      startTemporalDevServer({ cli, port, uiPort, dbFile: null, namespace: 'default', logFile: path.join(workDir, `temporal-${attempt}.log`) });
    // The dev server picks more ports of its own at random beside ours; once, a start exited with
    // code 2 (a Go panic) and the next ran clean. One more try on fresh ports, saying why.
    const temporal = await startTemporal(temporalPort, temporalUiPort, 1).catch(async (error: unknown) => {
      log(`the Temporal dev server did not start, trying once more on fresh ports: ${String(error)}`);
      return startTemporal(await freePort(), await freePort(), 2);
    });
    stops.push(temporal.stop);

    const workflowBundlePath = path.join(workDir, 'workflow-bundle.js');
    await writeFile(workflowBundlePath, (await bundling).code);

    project.provide('postgresAdminUrl', postgres.databaseUrl);
    project.provide('temporalAddress', temporal.address);
    project.provide('temporalNamespace', 'default');
    project.provide('temporalUiUrl', temporal.uiUrl!);
    project.provide('workflowBundlePath', workflowBundlePath);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
