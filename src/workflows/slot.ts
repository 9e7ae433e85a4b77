import { workflowInfo } from '@temporalio/workflow';
import { TemporalScheduledStartTimeKey } from '../temporal/search-attributes.js';
import type { RunTrigger, SlotInput } from '../temporal/slot.js';

/**
 * The timetable slot a run serves: the API's explicit `slotAt`, else the schedule's nominal
 * (pre-jitter, backfill-aware) `TemporalScheduledStartTime`, else the run's start time.
 * Never `Date.now()`: a retried or late run must keep serving its own slot.
 */
export function runSlot(input: SlotInput): Date {
  if (input.slotAt !== undefined) {
    const explicit = new Date(input.slotAt);
    if (Number.isNaN(explicit.getTime())) throw new TypeError(`slotAt is not an instant: ${input.slotAt}`);
    return explicit;
  }
  const info = workflowInfo();
  return info.typedSearchAttributes.get(TemporalScheduledStartTimeKey) ?? info.startTime;
}

/** How the run was started: as its input says, else by a schedule when the server set the schedule's time. */
export function runTrigger(input: { trigger?: RunTrigger }): RunTrigger {
  return input.trigger ?? (workflowInfo().typedSearchAttributes.get(TemporalScheduledStartTimeKey) ? 'schedule' : 'manual');
}
