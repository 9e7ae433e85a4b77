import { Client, Connection, type ConnectionLike } from '@temporalio/client';
import type { Config } from '../config/env.js';

/** A Temporal client for the configured namespace; connecting is lazy, so start-up does not wait for the server. */
export function createTemporalClient(config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>): Client {
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
}

/** Asks whether the Temporal frontend answers, for /readyz. */
export interface TemporalProbe {
  /** Resolves when the frontend answered within timeoutMs; rejects with the reason otherwise. */
  check(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A probe on its own connection without the SDK's gRPC retry interceptor. A readiness answer must be
 * immediate, and the retrying client would keep up to ten retries on timers after the probe answered;
 * those timers throw "Channel has been shut down" when they fire after the connection was closed.
 */
export function createTemporalProbe(config: Pick<Config, 'TEMPORAL_ADDRESS'>): TemporalProbe {
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS, interceptors: [] });
  return temporalProbeOver(connection);
}

/** A probe over an existing connection (tests reuse the suite's healthy one). */
export function temporalProbeOver(connection: ConnectionLike): TemporalProbe {
  return {
    async check(timeoutMs) {
      await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
    },
    close: () => connection.close(),
  };
}
