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
 * The input a continued execution starts with: the same link, slot and trigger, and the start's
 * `attributesSetAtStart`, so every execution of the run upserts alike.
 */
export function continuedSlotInput(input: SlotInput & { mallLinkId: string }, slotAt: string, trigger: RunTrigger) {
  return { mallLinkId: input.mallLinkId, slotAt, trigger, ...(input.attributesSetAtStart ? { attributesSetAtStart: true as const } : {}) };
}

/** What a run records as search attributes, besides its mall. */
export interface RunAttributes {
  trigger: RunTrigger;
  slotAt: string;
  /** Whether this execution starts with the local first step (not continued, not pre-patch). */
  startLocally: boolean;
}

/**
 * Before the plan: a run that neither starts locally nor had its attributes set at start (a run
 * from before the local first step, or a continued run of one started without the flag) records
 * its trigger and slot at once, as those histories do.
 */
export function recordEarlyRunAttributes(input: SlotInput, run: RunAttributes): void {
  if (!run.startLocally && !input.attributesSetAtStart) upsertSearchAttributes([{ key: TriggerKey, value: run.trigger }, { key: SlotAtKey, value: new Date(run.slotAt) }]);
}

/**
 * Once the plan names the mall. A run whose start set its search attributes
 * (`attributesSetAtStart`: schedules and the API, carried across continue-as-new) upserts only
 * those the start lacks, usually none: a small mall's run is 8 events, not 9; a scheduled or
 * backfilled run's slot is the server's `TemporalScheduledStartTime`, which stands in for
 * `SlotAt`. Runs started without the flag upsert as their recorded histories do (all four with
 * the local first step, else the mall): replay needs a command for every upsert event.
 */
export function recordRunAttributes(input: SlotInput, run: RunAttributes, plan: { mallId: string | null; cstCd: string | null }): void {
  const identity = plan.mallId === null ? [] : [{ key: MallIdKey, value: plan.mallId }, { key: CstCdKey, value: plan.cstCd! }];
  const all: SearchAttributeUpdatePair[] = [{ key: TriggerKey, value: run.trigger }, { key: SlotAtKey, value: new Date(run.slotAt) }, ...identity];
  if (input.attributesSetAtStart) {
    const current = workflowInfo().typedSearchAttributes;
    const missing = all.filter(({ key, value }) => {
      if (key === SlotAtKey && current.get(TemporalScheduledStartTimeKey)?.getTime() === (value as Date).getTime()) return false;
      const held: unknown = current.get(key);
      return held instanceof Date && value instanceof Date ? held.getTime() !== value.getTime() : held !== value;
    });
    if (missing.length > 0) upsertSearchAttributes(missing);
  } else if (run.startLocally) upsertSearchAttributes(all);
  else if (identity.length > 0) upsertSearchAttributes(identity);
}
