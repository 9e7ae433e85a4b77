import { proxyActivities } from '@temporalio/workflow';
import type { Cafe24TokenActivities, ExpiringTokenRefreshSummary } from '../temporal/tokens.js';

const { refreshExpiringCafe24Tokens } = proxyActivities<Cafe24TokenActivities>({
  // One pass over every mall; each refresh is one short call to Cafe24.
  startToCloseTimeout: '30 minutes',
  retry: { maximumAttempts: 3, initialInterval: '1 minute' },
});

/** Daily (schedule `cafe24-token-refresh`): keeps every mall's Cafe24 refresh token from lapsing. */
export async function refreshExpiringTokens(): Promise<ExpiringTokenRefreshSummary> {
  return refreshExpiringCafe24Tokens();
}
