/** How a run was started: by its schedule, or by a person through the API. */
export type RunTrigger = 'schedule' | 'manual';

/** What every run-starting input may carry: the slot, set by the API for runs it starts. */
export interface SlotInput {
  /** ISO 8601 instant of the timetable slot this run serves. */
  slotAt?: string;
  /**
   * Set by schedules and the API, which give a run its search attributes at start: the run then
   * upserts only what its start lacks. A run started without it upserts them all, as every run
   * did before (their histories hold that upsert, so their replays must issue it). Carried
   * across continue-as-new.
   */
  attributesSetAtStart?: true;
}
