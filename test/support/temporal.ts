import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { inject } from 'vitest';
import { workflowsPath } from '../../src/worker/workflows-source.js';

export interface TestTemporal {
  client: Client;
  nativeConnection: NativeConnection;
  namespace: string;
  /** A task queue no other test file uses. */
  taskQueue: string;
  close(): Promise<void>;
}

/** Connects to the shared test server, or to the server at `address`. */
export async function connectTestTemporal(address = inject('temporalAddress')): Promise<TestTemporal> {
  const namespace = inject('temporalNamespace');
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  return {
    client: new Client({ connection, namespace }),
    nativeConnection,
    namespace,
    taskQueue: `test-${randomBytes(4).toString('hex')}`,
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The real workflow bundle, built once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
  return bundle;
}
