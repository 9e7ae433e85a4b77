import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadDevStackConfig, searchPath } from '../../src/config/env.js';
import { toolsDir } from '../../src/dev/paths.js';
import { freePort } from '../../src/dev/ports.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/dev/postgres.js';
import { resolveTemporalCli } from '../../src/dev/temporal-cli.js';
import { startTemporalDevServer, type TemporalDevServerHandle } from '../../src/dev/temporal-server.js';

/**
 * A PostgreSQL and a Temporal dev server of a test's own (the shared ones must stay up), which
 * the test stops and starts again mid-run: each restart reuses the port and the data (PostgreSQL's
 * data directory, Temporal's SQLite file), so clients reconnect to the same state.
 */
export interface RestartableServers {
  postgresAdminUrl: string;
  temporalAddress: string;
  /** Stops the server; the returned function starts it again on the same port and data. */
  stopPostgres(): Promise<() => Promise<void>>;
  stopTemporal(): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export async function startRestartableServers(): Promise<RestartableServers> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'c2f-restartable-'));
  // The postgres OS user (when we run as root) must traverse into the data directory.
  await chmod(workDir, 0o777);
  const config = loadDevStackConfig();
  const cli = resolveTemporalCli({ configuredPath: config.TEMPORAL_CLI_PATH, searchPath: searchPath(), toolsDir, log: () => {} });
  const postgresOptions = { dataDir: path.join(workDir, 'pg'), port: await freePort(), database: 'postgres', logFile: path.join(workDir, 'postgres.log') };
  const temporalOptions = { cli, port: await freePort(), uiPort: null, dbFile: path.join(workDir, 'temporal.db'), namespace: 'default', logFile: path.join(workDir, 'temporal.log') };
  let postgres: EmbeddedPostgresHandle | null = await startEmbeddedPostgres(postgresOptions);
  let temporal: TemporalDevServerHandle | null = await startTemporalDevServer(temporalOptions);
  return {
    postgresAdminUrl: postgres.databaseUrl,
    temporalAddress: temporal.address,
    async stopPostgres() {
      await postgres?.stop();
      postgres = null;
      return async () => void (postgres = await startEmbeddedPostgres(postgresOptions));
    },
    async stopTemporal() {
      await temporal?.stop();
      temporal = null;
      return async () => void (temporal = await startTemporalDevServer(temporalOptions));
    },
    async close() {
      await temporal?.stop();
      await postgres?.stop();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
