/**
 * What the API calls after every committed configuration change of a mall link: bring that
 * link's Temporal schedules in line with PostgreSQL. `pending` means Temporal could not be
 * reached; the periodic reconcile repairs it later.
 */
export interface ScheduleSync {
  syncLink(mallLinkId: string): Promise<'synced' | 'pending'>;
}

/**
 * Stand-in until the schedule reconcile lands: there are no schedules to sync yet, so every
 * link is trivially in sync.
 */
export const noScheduleSync: ScheduleSync = {
  async syncLink() {
    return 'synced';
  },
};
