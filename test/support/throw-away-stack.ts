import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type { Db } from '../../src/db/database.js';
import setup from './global-setup.js';
import { createScratchDatabase } from './scratch-database.js';

export interface ThrowAwayStack {
  db: Db;
  client: Client;
  temporalAddress: string;
  nativeConnection: NativeConnection;
  workflowBundle: WorkflowBundle;
}

/**
 * Runs `work` outside vitest (fixture recordings, benchmarks) on a throw-away PostgreSQL database
 * (migrated) and Temporal dev server, started as the test setup starts them and torn down after.
 */
export async function withThrowAwayStack<T>(work: (stack: ThrowAwayStack) => Promise<T>): Promise<T> {
  const provided: Record<string, string> = {};
  const teardown = await setup({ provide: (key: string, value: string) => (provided[key] = value) } as never);
  try {
    const { db } = await createScratchDatabase(provided.postgresAdminUrl!, `scratch_${randomBytes(4).toString('hex')}`);
    const connection = await Connection.connect({ address: provided.temporalAddress });
    const nativeConnection = await NativeConnection.connect({ address: provided.temporalAddress });
    try {
      return await work({
        db,
        client: new Client({ connection }),
        temporalAddress: provided.temporalAddress!,
        nativeConnection,
        workflowBundle: { code: await readFile(provided.workflowBundlePath!, 'utf8') },
      });
    } finally {
      await connection.close();
      await nativeConnection.close();
      await db.destroy();
    }
  } finally {
    await teardown();
  }
}
