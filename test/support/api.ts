import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import { createApp } from '../../src/api/app.js';
import { uncachedApiKeyLookup } from '../../src/api/lib/api-key-lookup.js';
import { createCafe24Connection, type Cafe24Connection } from '../../src/clients/cafe24/connection.js';
import { createFmsClient, fmsClientOptions } from '../../src/clients/fms/fms-client.js';
import { temporalProbeOver, type TemporalProbe } from '../../src/clients/temporal.js';
import { loadConfig, type Config } from '../../src/config/env.js';
import type { Db } from '../../src/db/database.js';
import { noScheduleSync, type ScheduleSync } from '../../src/schedules/schedule-sync.js';
import type { FmsGoodsSource } from '../../src/services/fms-goods.js';

/** The real Hono app over a test database; requests go through app.request (no socket needed). */
export function createTestApp(options: {
  db: Db;
  temporal: Client;
  /** /readyz's Temporal check; by default over the given client's connection. */
  temporalProbe?: TemporalProbe;
  schedules?: ScheduleSync;
  /** Extra variables for the default test configuration. */
  env?: Record<string, string>;
  config?: Config;
  cafe24?: Cafe24Connection;
  /** FMS's goods API; by default a client of the configured FMS_BASE_URL. */
  fmsGoods?: FmsGoodsSource;
}) {
  const config = options.config ?? loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_BASE_URL: 'http://api.test', ...options.env });
  const log = pino({ level: 'silent' });
  const cafe24 = options.cafe24 ?? createCafe24Connection(config, { db: options.db, log });
  const fmsGoods =
    options.fmsGoods ?? createFmsClient(fmsClientOptions(config));
  const temporalProbe = options.temporalProbe ?? temporalProbeOver(options.temporal.connection);
  return createApp({ config, db: options.db, temporal: options.temporal, temporalProbe, log, schedules: options.schedules ?? noScheduleSync, cafe24, fmsGoods, apiKeys: uncachedApiKeyLookup(options.db) });
}

/**
 * A Temporal client whose server is not there. It has no gRPC retry interceptor: retrying a server that
 * is absent proves nothing, and the SDK's retry timers throw once the connection is closed.
 */
export function unreachableTemporal(): { client: Client; close: () => Promise<void> } {
  const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500, interceptors: [] });
  return { client: new Client({ connection }), close: () => connection.close() };
}

/** A response body as loosely typed JSON, for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = async (res: Response): Promise<any> => res.json();
