/** What one pass of the daily raw-order purge did: counts and times only. */
export interface RawOrderPurgeResult {
  retentionDays: number;
  /** Raw orders last fetched before this instant (ISO 8601) lost their personal data. */
  purgedBefore: string;
  purged: number;
}

/** The activity behind `purgeRawOrders`. */
export interface RetentionActivities {
  /** Strips buyers' personal data from raw Cafe24 orders not fetched for RETENTION_DAYS. */
  purgeExpiredRawOrders(): Promise<RawOrderPurgeResult>;
}
