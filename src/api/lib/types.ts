import type { Client } from '@temporalio/client';
import type { Cafe24Connection } from '../../clients/cafe24/connection.js';
import type { TemporalProbe } from '../../clients/temporal.js';
import type { Config } from '../../config/env.js';
import type { Db } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import type { FmsGoodsSource } from '../../services/fms-goods.js';
import type { ScheduleSync } from '../../schedules/schedule-sync.js';
import type { ApiMetrics } from '../metrics.js';
import type { ApiKeyLookup } from './api-key-lookup.js';

/** What the API needs from the outside world; tests pass their own. */
export interface ApiDeps {
  config: Config;
  db: Db;
  temporal: Client;
  /** Answers /readyz's Temporal check without retries. */
  temporalProbe: TemporalProbe;
  log: Logger;
  /** Brings a link's Temporal schedules in line with its committed configuration. */
  schedules: ScheduleSync;
  /** Cafe24 OAuth client and token store (install callback, launch). */
  cafe24: Cafe24Connection;
  /** Request metrics, when API_METRICS_PORT exposes them. */
  metrics?: ApiMetrics;
  /** FMS's goods API, behind the cached goods list (fms-goods). */
  fmsGoods: FmsGoodsSource;
  /** The active key of a hash, for the auth middleware (cached in the API process). */
  apiKeys: ApiKeyLookup;
}

/** Who is calling: an admin key, or a key bound to one FMS customer code. */
export type Principal = { keyId: string; role: 'admin'; cstCd: null } | { keyId: string; role: 'customer'; cstCd: string };

export interface AppEnv {
  Variables: {
    deps: ApiDeps;
    /** Set by requireApiKey on /v1 routes. */
    principal: Principal;
    log: Logger;
    requestId: string;
  };
}
