/** What reconciling one schedule did to it on the server. */
export type ScheduleOutcome = 'created' | 'updated' | 'unchanged' | 'deleted' | 'absent';

/** The result of `reconcileSchedules`: counts only (no ids of failed links in history). */
export interface ReconcileAllResult extends Record<ScheduleOutcome, number> {
  /** False when another reconcile held the lock and this one did nothing. */
  ran: boolean;
  links: number;
  failedLinks: number;
}

/** The activity behind `reconcileSchedules`. */
export interface ScheduleActivities {
  /** Every link's schedules in line with PostgreSQL. */
  reconcileAllSchedules(): Promise<ReconcileAllResult>;
}
