import { readFileSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { customSearchAttributes } from '../temporal/search-attributes.js';
import { startChild } from './child-process.js';
import type { TemporalCli } from './temporal-cli.js';

export interface TemporalDevServerHandle {
  address: string;
  uiUrl: string | null;
  stop(): Promise<void>;
}

export interface TemporalDevServerOptions {
  cli: TemporalCli;
  port: number;
  /** null: no UI (tests). */
  uiPort: number | null;
  /** SQLite file that keeps workflows and schedules across restarts; null: in memory. */
  dbFile: string | null;
  namespace: string;
  /** Where the server's output goes. */
  logFile: string;
}

/**
 * How many workflows the schedules of one namespace may start per second. Temporal's default, 30,
 * spreads a slot's starts out: 500 malls' runs of one slot took 17 s just to start (3,000 would take
 * 100 s). deploy/temporal/dynamicconfig sets the same for the docker-compose server.
 */
export const scheduleStartsPerSecond = 1000;
const dynamicConfigArgs = ['--dynamic-config-value', `worker.schedulerNamespaceStartWorkflowRPS=${scheduleStartsPerSecond}`];

const cliTypeNames = { KEYWORD: 'Keyword', DATETIME: 'Datetime', TEXT: 'Text', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', KEYWORD_LIST: 'KeywordList' } as const;

/** Starts `temporal server start-dev` with our search attributes and waits until it serves the namespace. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServerHandle> {
  const address = `127.0.0.1:${options.port}`;
  const uiUrl = options.uiPort === null ? null : `http://localhost:${options.uiPort}`;
  if (options.cli.kind === 'sdk-download') {
    // Last resort for machines with internet: the SDK downloads and runs the same CLI.
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        ip: '127.0.0.1',
        port: options.port,
        ui: options.uiPort !== null,
        ...(options.uiPort !== null ? { uiPort: options.uiPort } : {}),
        ...(options.dbFile ? { dbFilename: options.dbFile } : {}),
        namespace: options.namespace,
        searchAttributes: [...customSearchAttributes],
        extraArgs: dynamicConfigArgs,
      },
    });
    return { address, uiUrl, stop: () => env.teardown() };
  }

  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--namespace', options.namespace,
    '--log-level', 'warn',
    ...dynamicConfigArgs,
    ...(options.uiPort === null ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    ...customSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${cliTypeNames[key.type]}`]),
  ];
  const child = startChild('temporal', options.cli.path, args, { logFile: options.logFile });
  let exited: string | null = null;
  void child.exited.then((how) => (exited = how));
  const stop = () => child.stop(10_000);

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`temporal server start-dev stopped (${exited}) before serving ${address}; the end of ${options.logFile}:\n${logTail(options.logFile)}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: options.namespace });
        return { address, uiUrl, stop };
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`temporal server start-dev did not become ready on ${address}`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** The last lines of a log, so an early exit says why even where the log is removed with its directory. */
function logTail(logFile: string, lines = 20): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}
