import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { msNumberToTs, tsToDate } from '@temporalio/common/lib/time.js';
import type { MallLinkRow } from '../../db/schema.js';
import type { Db } from '../db/database.js';
import { nextSlots } from '../domain/business-calendar.js';
import { kstInstant, kstTimeZone, toKstIso } from '../domain/kst.js';
import { loadCalendarInputs, type CalendarInputs } from './inputs.js';
import { isRecordedScheduleCurrent } from './reconcile.js';
import { linkScheduleState, type ScheduleSettings } from './spec.js';
import { scheduleIdFor, scheduleJobNames, type ScheduleJob } from '../temporal/names.js';

/**
 * What a link's schedules will do, as Temporal reports it, beside what the domain calendar says
 * they should do; a disagreement means the schedule needs a reconcile (or the calendar a fix).
 */

/** Describe() reports this many next action times; beyond it we ask the server for matching times. */
const describedActionTimes = 10;
/** Slack after the last expected slot when asking the server for a longer list. */
const matchingWindowSlackMs = 7 * 24 * 60 * 60 * 1000;

/** The server's own run times of a schedule in [from, to), from its spec (pause does not matter). */
export async function scheduleMatchingTimes(temporal: Client, scheduleId: string, from: Date, to: Date): Promise<Date[]> {
  const response = await temporal.workflowService.listScheduleMatchingTimes({
    namespace: temporal.options.namespace,
    scheduleId,
    startTime: msNumberToTs(from.getTime()),
    endTime: msNumberToTs(to.getTime()),
  });
  return (response.startTime ?? []).map((time) => tsToDate(time));
}

export interface JobSchedulePreview {
  job: ScheduleJob;
  scheduleId: string;
  /** False when the schedule is missing on the server (pending reconcile). */
  found: boolean;
  paused: boolean | null;
  note: string | null;
  /** As Temporal reports them, ISO 8601 in KST. */
  nextRunTimes: string[];
  /** As the timetable and business calendar compute them, ISO 8601 in KST. */
  computedRunTimes: string[];
  agrees: boolean;
  recentActions: { scheduledAt: string; takenAt: string; workflowId: string }[];
}

export interface LinkSchedulePreview {
  mallLinkId: string;
  timezone: typeof kstTimeZone;
  timetableVersion: number;
  jobs: JobSchedulePreview[];
}

async function previewJob(temporal: Client, job: ScheduleJob, link: MallLinkRow, computed: Date[], count: number, now: Date): Promise<JobSchedulePreview> {
  const scheduleId = scheduleIdFor(job, link.id);
  const computedRunTimes = computed.map(toKstIso);
  try {
    const description = await temporal.schedule.getHandle(scheduleId).describe();
    const reported =
      count <= describedActionTimes || computed.length === 0
        ? description.info.nextActionTimes
        : await scheduleMatchingTimes(temporal, scheduleId, now, new Date(computed.at(-1)!.getTime() + matchingWindowSlackMs));
    const nextRunTimes = reported.slice(0, count).map(toKstIso);
    return {
      job,
      scheduleId,
      found: true,
      paused: description.state.paused,
      note: description.state.note ?? null,
      nextRunTimes,
      computedRunTimes,
      agrees: nextRunTimes.length === computedRunTimes.length && nextRunTimes.every((time, i) => time === computedRunTimes[i]),
      recentActions: description.info.recentActions.map((action) => ({
        scheduledAt: toKstIso(action.scheduledAt),
        takenAt: toKstIso(action.takenAt),
        workflowId: action.action.workflow.workflowId,
      })),
    };
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    return { job, scheduleId, found: false, paused: null, note: null, nextRunTimes: [], computedRunTimes, agrees: false, recentActions: [] };
  }
}

/** The link's next `count` slots as the timetable and business calendar give them (none before its start date). */
function computedRunTimes(link: MallLinkRow, inputs: CalendarInputs, count: number, now: Date): Date[] {
  const startAt = kstInstant(link.link_start_date);
  const from = startAt > now ? new Date(startAt.getTime() - 1) : now;
  return nextSlots(from, count, inputs.timetable, inputs.calendar);
}

/** The next `count` runs of each schedule the link should have, reported and computed. */
export async function previewLinkSchedules(
  deps: { db: Db; temporal: Client },
  link: MallLinkRow,
  count: number,
  now = new Date(),
): Promise<LinkSchedulePreview> {
  const inputs = await loadCalendarInputs(deps.db);
  const computed = computedRunTimes(link, inputs, count, now);
  // One after the other: when Temporal fails, no second call is left retrying behind the answer.
  const previews: JobSchedulePreview[] = [];
  for (const job of scheduleJobNames) previews.push(await previewJob(deps.temporal, job, link, computed, count, now));
  return {
    mallLinkId: link.id,
    timezone: kstTimeZone,
    timetableVersion: inputs.timetableVersion,
    jobs: previews,
  };
}

/** For the link status endpoint: is collection paused, why, and its next five runs (KST). */
export async function linkScheduleStatus(
  deps: { db: Db; temporal: Client },
  link: MallLinkRow,
): Promise<{ paused: boolean | null; note: string | null; nextRunTimes: string[]; agrees: boolean }> {
  const preview = await previewLinkSchedules(deps, link, 5);
  const collect = preview.jobs[0]!;
  return { paused: collect.paused, note: collect.note, nextRunTimes: collect.nextRunTimes, agrees: collect.agrees };
}

/**
 * The status endpoint's schedule part from PostgreSQL alone, when the link's recorded revision
 * shows that Temporal holds what its row and the calendar give (isRecordedScheduleCurrent):
 * paused and note as that sync set them, the next five runs as the calendar computes them (the
 * reconcile tests hold Temporal's run times to the same list). Undefined when the record does not
 * show it (a sync pending or under way): then only Temporal can say.
 */
export async function recordedLinkScheduleStatus(
  deps: { db: Db; settings: ScheduleSettings },
  link: MallLinkRow,
  now = new Date(),
): Promise<{ paused: boolean; note: string | null; nextRunTimes: string[] } | undefined> {
  const inputs = await recentCalendarInputs(deps.db);
  if (!isRecordedScheduleCurrent(link, inputs, deps.settings, now)) return undefined;
  return { ...linkScheduleState(link), nextRunTimes: nextFiveRunTimes(link, inputs, now) };
}

/** How old the calendar inputs of the recorded status may be. */
const statusInputsMaxAgeMs = 5_000;
const statusInputs = new WeakMap<Db, { readAt: number; inputs: Promise<CalendarInputs> }>();

/**
 * The calendar inputs, read again at most every few seconds. Old ones cannot make the recorded
 * status wrong: inputs that give the recorded revision give exactly the schedules Temporal holds;
 * after a timetable or calendar change they stop giving it once the link is synced, and the
 * status asks Temporal until they are read again.
 */
function recentCalendarInputs(db: Db): Promise<CalendarInputs> {
  const now = Date.now();
  const cached = statusInputs.get(db);
  if (cached && cached.readAt > now - statusInputsMaxAgeMs) return cached.inputs;
  const inputs = loadCalendarInputs(db);
  statusInputs.set(db, { readAt: now, inputs });
  // A failed read is not kept: the next request reads again.
  inputs.catch(() => statusInputs.delete(db));
  return inputs;
}

const runTimesMemo = new Map<string, string[]>();
const runTimesMemoSize = 10_000;

/**
 * The next five runs in KST, memoised by the calendar inputs, the start date and the current
 * slot (computing them takes about a millisecond): the list stays the same until its first run passes.
 */
function nextFiveRunTimes(link: MallLinkRow, inputs: CalendarInputs, now: Date): string[] {
  const base = JSON.stringify([inputs.fingerprint, link.link_start_date]);
  const cached = runTimesMemo.get(base);
  if (cached && new Date(cached[0]!).getTime() > now.getTime()) return cached;
  const times = computedRunTimes(link, inputs, 5, now).map(toKstIso);
  if (runTimesMemo.size >= runTimesMemoSize) runTimesMemo.clear();
  if (times.length > 0) runTimesMemo.set(base, times);
  return times;
}
