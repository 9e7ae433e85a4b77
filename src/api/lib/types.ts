import type { Client } from '@temporalio/client';
import type { Config } from '../../config/env.js';
import type { Db } from '../../db/database.js';
import type { Logger } from '../../logger.js';

/** What the API needs from the outside world; tests pass their own. */
export interface ApiDeps {
  config: Config;
  db: Db;
  temporal: Client;
  log: Logger;
}

export interface AppEnv {
  Variables: {
    deps: ApiDeps;
    log: Logger;
    requestId: string;
  };
}
