import type { Cafe24Connection } from '../clients/cafe24/connection.js';
import type { ExpiringTokenRefreshSummary } from '../services/cafe24-tokens.js';
import { asActivityFailure } from './cafe24-failure.js';

export interface Cafe24ActivityDeps {
  cafe24: Cafe24Connection;
}

export function createCafe24TokenActivities({ cafe24 }: Cafe24ActivityDeps) {
  return {
    /** Renews every refresh token that expires within 7 days, so idle and manual-mode malls never lapse. Counts only: no tokens leave. */
    async refreshExpiringCafe24Tokens(): Promise<ExpiringTokenRefreshSummary> {
      try {
        return await cafe24.tokens.refreshExpiring();
      } catch (error) {
        throw asActivityFailure(error);
      }
    },
  };
}
