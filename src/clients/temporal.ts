import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config/env.js';

/** A Temporal client for the configured namespace; connecting is lazy, so start-up does not wait for the server. */
export function createTemporalClient(config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>): Client {
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
}
