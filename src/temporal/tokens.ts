/** What one pass of the daily Cafe24 token refresh did: counts only, no tokens and no mall ids. */
export interface ExpiringTokenRefreshSummary {
  checked: number;
  refreshed: number;
  reauthRequired: number;
  failed: number;
}

/** The activity behind `refreshExpiringTokens`. */
export interface Cafe24TokenActivities {
  /** Renews every refresh token that expires within 7 days, so idle and manual-mode malls never lapse. */
  refreshExpiringCafe24Tokens(): Promise<ExpiringTokenRefreshSummary>;
}
