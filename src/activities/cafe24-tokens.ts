import type { Cafe24Connection } from '../clients/cafe24/connection.js';
import type { Cafe24TokenActivities } from '../temporal/tokens.js';
import { asActivityFailure } from './activity-failure.js';

export interface Cafe24ActivityDeps {
  cafe24: Cafe24Connection;
}

export function createCafe24TokenActivities({ cafe24 }: Cafe24ActivityDeps): Cafe24TokenActivities {
  return {
    /** Counts only: no tokens leave. */
    async refreshExpiringCafe24Tokens() {
      try {
        return await cafe24.tokens.refreshExpiring();
      } catch (error) {
        throw asActivityFailure(error);
      }
    },
  };
}
