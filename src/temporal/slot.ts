/** How a run was started: by its schedule, or by a person through the API. */
export type RunTrigger = 'schedule' | 'manual';

/** What every run-starting input may carry: the slot, set by the API for runs it starts. */
export interface SlotInput {
  /** ISO 8601 instant of the timetable slot this run serves. */
  slotAt?: string;
}
