import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { CstCdKey, MallIdKey, SlotAtKey, TemporalScheduledStartTimeKey, TriggerKey } from '../temporal/search-attributes.js';
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

/**
 * For a run whose start set its search attributes (`attributesSetAtStart`: schedules and the
 * API), upserts only those the start lacks, usually none: a small mall's run is 8 events, not 9.
 * A scheduled or backfilled run's slot is the server's `TemporalScheduledStartTime`, which stands
 * in for `SlotAt`. Runs started without the flag keep upserting all of them, as their recorded
 * histories do: replay needs a command for every upsert event.
 */
export function upsertMissingRunAttributes(trigger: RunTrigger, slotAt: string, identity: { mallId: string; cstCd: string } | null): void {
  const current = workflowInfo().typedSearchAttributes;
  const slot = new Date(slotAt);
  const wanted: SearchAttributeUpdatePair[] = [{ key: TriggerKey, value: trigger }];
  if (current.get(TemporalScheduledStartTimeKey)?.getTime() !== slot.getTime()) wanted.push({ key: SlotAtKey, value: slot });
  if (identity) wanted.push({ key: MallIdKey, value: identity.mallId }, { key: CstCdKey, value: identity.cstCd });
  const missing = wanted.filter(({ key, value }) => {
    const held: unknown = current.get(key);
    return held instanceof Date && value instanceof Date ? held.getTime() !== value.getTime() : held !== value;
  });
  if (missing.length > 0) upsertSearchAttributes(missing);
}
