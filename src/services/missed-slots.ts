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

/** Per schedule job, the slots its ledger shows served. */
export type LedgerSlots = Record<ScheduleJob, Date[]>;

/** A link with no run in the range. */
export const noSlotsServed = (): LedgerSlots => ({ 'collect-orders': [], 'sync-invoices': [] });

/**
 * The slots in [from, to) that each link's runs served, by the ledgers (of one link, or of every
 * link in one statement per ledger, by the slot index).
 */
export async function ledgerSlotsOfLinks(db: Db, range: { from: Date; to: Date }, mallLinkId?: string): Promise<Map<string, LedgerSlots>> {
  const byLink = new Map<string, LedgerSlots>();
  for (const job of scheduleJobNames) {
    const rows = await db
      .selectFrom(ledgerOf[job])
      .select(['mall_link_id', 'slot_at'])
      .where('slot_at', '>=', range.from)
      .where('slot_at', '<', range.to)
      .$if(mallLinkId !== undefined, (query) => query.where('mall_link_id', '=', mallLinkId!))
      .execute();
    for (const row of rows) {
      let slots = byLink.get(row.mall_link_id);
      if (slots === undefined) byLink.set(row.mall_link_id, (slots = noSlotsServed()));
      slots[job].push(row.slot_at);
    }
  }
  return byLink;
}

/**
 * The link's timetable slots in [from, to) that no run served, per schedule job. A slot counts
 * as served when the run ledger has a run for it, or when Temporal has any execution of the job's
 * workflow for the mall whose `SlotAt` (or, before its first task ran, the schedule's nominal start
 * time) is that slot — whatever its status, so a run that is still waiting for a worker counts.
 * Backfilled runs carry their nominal slot, so a backfill clears what it covers. Temporal's
 * visibility is asked only when the ledger leaves a slot unserved: most links' ledgers serve all.
 *
 * `ledger`: the link's served slots when the caller read them for many links (ledgerSlotsOfLinks)
 * over a range that holds this one. Whether the link should have run at all (active, auto,
 * authorized) is the caller's question.
 */
export async function findMissedSlots(
  deps: { db: Db; temporal: Client },
  link: Pick<MallLinkRow, 'id' | 'mall_id'>,
  range: { from: Date; to: Date },
  inputs?: CalendarInputs,
  ledger?: LedgerSlots,
): Promise<MissedSlotsOfJob[]> {
  const { timetable, calendar } = inputs ?? (await loadCalendarInputs(deps.db));
  const expected = slotsBetween(range.from, range.to, timetable, calendar);
  if (expected.length === 0) return scheduleJobNames.map((job) => ({ job, slots: [] }));

  const served = ledger ?? (await ledgerSlotsOfLinks(deps.db, range, link.id)).get(link.id) ?? noSlotsServed();
  const missedByLedger = scheduleJobNames.map((job) => ({ job, slots: missedSlots(expected, served[job]) }));
  if (missedByLedger.every(({ slots }) => slots.length === 0)) return missedByLedger;

  const servedByType = new Map<string, Date[]>();
  // Runs start at or after their slot (a backfill much later), so StartTime bounds the search.
  const query = `MallId = '${link.mall_id.replaceAll("'", '')}' AND StartTime >= '${range.from.toISOString()}'`;
  for await (const execution of deps.temporal.workflow.list({ query })) {
    const slot = execution.typedSearchAttributes.get(SlotAtKey) ?? execution.typedSearchAttributes.get(TemporalScheduledStartTimeKey);
    if (slot) servedByType.set(execution.type, [...(servedByType.get(execution.type) ?? []), slot]);
  }
  return missedByLedger.map(({ job, slots }) => ({ job, slots: missedSlots(slots, servedByType.get(scheduleJobs[job].workflowType) ?? []) }));
}
