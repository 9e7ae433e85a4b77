import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { inject } from 'vitest';

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

let bundle: Promise<WorkflowBundle> | undefined;
/** The real workflow bundle, built once per run by the test setup. */
export function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= readFile(inject('workflowBundlePath'), 'utf8').then((code) => ({ code }));
  return bundle;
}
