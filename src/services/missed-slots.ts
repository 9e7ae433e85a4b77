import type { Client } from '@temporalio/client';
import type { MallLinkRow } from '../../db/schema.js';
import type { Db } from '../db/database.js';
import { missedSlots, slotsBetween } from '../domain/missed-slots.js';
import { loadCalendarInputs, type CalendarInputs } from '../schedules/inputs.js';
import { scheduleJobNames, scheduleJobs, type ScheduleJob } from '../temporal/names.js';
import { SlotAtKey, TemporalScheduledStartTimeKey } from '../temporal/search-attributes.js';

/** Run ledgers by schedule job: every run records the slot it served. */
const ledgerOf = { 'collect-orders': 'collection_runs', 'sync-invoices': 'invoice_sync_runs' } as const satisfies Record<ScheduleJob, string>;

export interface MissedSlotsOfJob {
  job: ScheduleJob;
  /** Slots in the range that no run served, ascending. */
  slots: Date[];
}

/**
 * The link's timetable slots in [from, to) that no run served, per schedule job. A slot counts
 * as served when Temporal has any execution of the job's workflow for the mall whose `SlotAt`
 * (or, before its first task ran, the schedule's nominal start time) is that slot — whatever its
 * status, so a run that is still waiting for a worker counts — or when the run ledger has a run
 * for it. Backfilled runs carry their nominal slot, so a backfill clears what it covers.
 *
 * Whether the link should have run at all (active, auto, authorized) is the caller's question.
 */
export async function findMissedSlots(
  deps: { db: Db; temporal: Client },
  link: Pick<MallLinkRow, 'id' | 'mall_id'>,
  range: { from: Date; to: Date },
  inputs?: CalendarInputs,
): Promise<MissedSlotsOfJob[]> {
  const { timetable, calendar } = inputs ?? (await loadCalendarInputs(deps.db));
  const expected = slotsBetween(range.from, range.to, timetable, calendar);
  if (expected.length === 0) return scheduleJobNames.map((job) => ({ job, slots: [] }));

  const servedByType = new Map<string, Date[]>();
  // Runs start at or after their slot (a backfill much later), so StartTime bounds the search.
  const query = `MallId = '${link.mall_id.replaceAll("'", '')}' AND StartTime >= '${range.from.toISOString()}'`;
  for await (const execution of deps.temporal.workflow.list({ query })) {
    const slot = execution.typedSearchAttributes.get(SlotAtKey) ?? execution.typedSearchAttributes.get(TemporalScheduledStartTimeKey);
    if (slot) servedByType.set(execution.type, [...(servedByType.get(execution.type) ?? []), slot]);
  }
  const missed: MissedSlotsOfJob[] = [];
  for (const job of scheduleJobNames) {
    const ledger = await deps.db
      .selectFrom(ledgerOf[job])
      .select('slot_at')
      .where('mall_link_id', '=', link.id)
      .where('slot_at', '>=', range.from)
      .where('slot_at', '<', range.to)
      .execute();
    const served = [...(servedByType.get(scheduleJobs[job].workflowType) ?? []), ...ledger.map((row) => row.slot_at)];
    missed.push({ job, slots: missedSlots(expected, served) });
  }
  return missed;
}
