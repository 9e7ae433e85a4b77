import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import { createApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/config/env.js';
import type { Db } from '../../src/db/database.js';
import { noScheduleSync, type ScheduleSync } from '../../src/schedules/schedule-sync.js';

/** The real Hono app over a test database; requests go through app.request (no socket needed). */
export function createTestApp(options: { db: Db; temporal: Client; schedules?: ScheduleSync; env?: Record<string, string> }) {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_BASE_URL: 'http://api.test', ...options.env });
  return createApp({ config, db: options.db, temporal: options.temporal, log: pino({ level: 'silent' }), schedules: options.schedules ?? noScheduleSync });
}

/** A Temporal client whose server is not there, for readiness failures. */
export function unreachableTemporal(): { client: Client; close: () => Promise<void> } {
  const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
  return { client: new Client({ connection }), close: () => connection.close() };
}

/** A response body as loosely typed JSON, for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = async (res: Response): Promise<any> => res.json();
