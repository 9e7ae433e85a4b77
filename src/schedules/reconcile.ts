import { createHash } from 'node:crypto';
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleSpec,
} from '@temporalio/client';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { holidayDataYears } from '../domain/business-calendar.js';
import { kstDate, kstTimeZone } from '../domain/kst.js';
import { findMallLinkById, forgetScheduleRevision, listMallLinkIds, setScheduleState, setSchedulesSynced } from '../db/repositories/mall-links.js';
import type { Logger } from '../logger.js';
import { loadCalendarInputs, type CalendarInputs } from './inputs.js';
import type { MallLinkRow } from '../../db/schema.js';
import { parseScheduleId, reconcileScheduleId, scheduleIdFor, scheduleJobNames, workflowTypes } from '../temporal/names.js';
import type { ScheduleOutcome } from '../temporal/schedules.js';
import { buildLinkSchedules, buildScheduleSpec, scheduleFields, type LinkScheduleOptions, type ScheduleFields, type ScheduleSettings } from './spec.js';

/**
 * Brings Temporal schedules in line with PostgreSQL, the source of truth: create what is missing,
 * update what differs, delete what has no link. Idempotent: a revision hash of the desired
 * schedule sits in the action memo (updatable, unlike the schedule memo), so a run with nothing
 * changed only describes.
 */

export interface ReconcileDeps {
  db: Db;
  temporal: Client;
  log: Logger;
  settings: ScheduleSettings;
  now?: () => Date;
}

export const revisionMemoKey = 'scheduleRevision';

// Advisory lock keys (two-int form): one class for the whole reconcile, one per link.
const reconcileAllLock = [0x63_32_34, 0] as const;
const linkLockClass = 0x63_32_35;
/** A schedule id naming no uuid can belong to no link. */
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Hash of everything we set on a schedule, stable across processes. */
export function scheduleRevision(options: LinkScheduleOptions): string {
  const { spec, action, policies, state, typedSearchAttributes } = options;
  const canonical = JSON.stringify({ spec, action, policies, state, typedSearchAttributes }, (_key, value: unknown) =>
    value instanceof Date ? value.toISOString() : value,
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/** One revision for all of a link's schedules, recorded on the link by the sync that applied them. */
export function linkScheduleRevision(desired: readonly LinkScheduleOptions[]): string {
  return createHash('sha256').update(desired.map(scheduleRevision).join(',')).digest('hex').slice(0, 32);
}

/** The schedules the link should have, from its row and the calendar inputs. */
export function desiredLinkSchedules(link: ScheduleFields, inputs: CalendarInputs, settings: ScheduleSettings, now: Date): LinkScheduleOptions[] {
  return buildLinkSchedules(link, linkScheduleSpec(inputs, link.link_start_date, now), settings);
}

const specMemo = new Map<string, ScheduleSpec>();
const specMemoSize = 1_000;

/**
 * buildScheduleSpec memoised by what it is built from: the calendar inputs, the link's start date
 * and the year of `now` (its holiday horizon). Links share start dates, so an alert evaluation or a
 * reconcile of every link builds a few specs instead of one per link (each walks two years of days).
 * The spec is shared: nothing may change it.
 */
function linkScheduleSpec(inputs: CalendarInputs, startDate: string, now: Date): ScheduleSpec {
  const key = JSON.stringify([inputs.fingerprint, startDate, kstDate(now).slice(0, 4)]);
  let spec = specMemo.get(key);
  if (spec === undefined) {
    spec = buildScheduleSpec({ ...inputs, startDate, now });
    if (specMemo.size >= specMemoSize) specMemo.clear();
    specMemo.set(key, spec);
  }
  return spec;
}

const revisionMemo = new Map<string, string>();
const revisionMemoSize = 10_000;

/**
 * linkScheduleRevision of the link's desired schedules, memoised by everything they are built
 * from (the spec takes milliseconds to build and hash, and every status read and API sync asks).
 * The KST date stands for `now`: the spec moves only with the day (its holiday horizon).
 */
export function desiredLinkScheduleRevision(link: ScheduleFields, inputs: CalendarInputs, settings: ScheduleSettings, now: Date): string {
  const key = JSON.stringify([inputs.fingerprint, kstDate(now), scheduleFields.map((field) => link[field]), settings]);
  let revision = revisionMemo.get(key);
  if (revision === undefined) {
    revision = linkScheduleRevision(desiredLinkSchedules(link, inputs, settings, now));
    if (revisionMemo.size >= revisionMemoSize) revisionMemo.clear();
    revisionMemo.set(key, revision);
  }
  return revision;
}

/**
 * Whether Temporal holds the link's schedules as its row and the calendar give them now, by what
 * the last sync recorded: synced, with the revision those inputs give. Only our syncs change the
 * schedules and a failed one clears the record, so a match needs no call to Temporal; changes
 * made on Temporal behind our back are repaired by reconcileAll, which always describes.
 */
export function isRecordedScheduleCurrent(link: MallLinkRow, inputs: CalendarInputs, settings: ScheduleSettings, now: Date): boolean {
  return link.schedule_state === 'synced' && link.schedule_revision !== null && link.schedule_revision === desiredLinkScheduleRevision(link, inputs, settings, now);
}

function isInSync(current: ScheduleDescription, desired: LinkScheduleOptions, revision: string): boolean {
  return (
    current.action.type === 'startWorkflow' &&
    current.action.memo?.[revisionMemoKey] === revision &&
    current.state.paused === desired.state?.paused &&
    current.state.note === desired.state?.note
  );
}

/**
 * Why the server's copy of a schedule differs from the desired one; null when it is in line with
 * it, or with `alsoInLine` (the same schedule as an earlier day's inputs gave it). One describe.
 */
export async function scheduleDrift(temporal: Client, desired: LinkScheduleOptions, alsoInLine?: LinkScheduleOptions): Promise<string | null> {
  let current: ScheduleDescription;
  try {
    current = await temporal.schedule.getHandle(desired.scheduleId).describe();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return 'missing on the server';
    throw error;
  }
  if (alsoInLine && isInSync(current, alsoInLine, scheduleRevision(alsoInLine))) return null;
  if (current.state.paused !== desired.state?.paused) return current.state.paused ? 'paused on the server, active in the database' : 'running on the server, paused in the database';
  return isInSync(current, desired, scheduleRevision(desired)) ? null : 'spec, action or note differs from the database';
}

/** Create-or-update one schedule; the server's copy is replaced whole, never left as "exists". */
async function applySchedule(temporal: Client, desired: LinkScheduleOptions): Promise<ScheduleOutcome> {
  const revision = scheduleRevision(desired);
  const action = { ...desired.action, memo: { [revisionMemoKey]: revision } };
  const handle = temporal.schedule.getHandle(desired.scheduleId);
  const update = async () => {
    await handle.update(() => ({
      spec: desired.spec,
      action,
      policies: desired.policies,
      state: { paused: desired.state?.paused, note: desired.state?.note },
      typedSearchAttributes: desired.typedSearchAttributes,
    }));
    return 'updated' as const;
  };
  let current: ScheduleDescription;
  try {
    current = await handle.describe();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    try {
      await temporal.schedule.create({ ...desired, action });
      return 'created';
    } catch (createError) {
      // Another reconcile created it between our describe and create: converge by updating.
      if (createError instanceof ScheduleAlreadyRunning) return update();
      throw createError;
    }
  }
  return isInSync(current, desired, revision) ? 'unchanged' : update();
}

async function deleteSchedule(temporal: Client, scheduleId: string): Promise<ScheduleOutcome> {
  try {
    await temporal.schedule.getHandle(scheduleId).delete();
    return 'deleted';
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return 'absent';
    throw error;
  }
}

/**
 * One link's schedules, under that link's advisory lock so the API hook and the periodic run
 * never apply an older reading over a newer one. A link that no longer exists loses its schedules.
 */
export async function reconcileLink(
  deps: ReconcileDeps,
  mallLinkId: string,
  inputs?: CalendarInputs,
): Promise<Record<string, ScheduleOutcome>> {
  return deps.db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${linkLockClass}, hashtext(${mallLinkId}))`.execute(connection);
    try {
      const link = await findMallLinkById(connection, mallLinkId);
      const desired = link ? desiredLinkSchedules(link, inputs ?? (await loadCalendarInputs(connection)), deps.settings, (deps.now ?? (() => new Date()))()) : [];
      // The record goes before the first schedule changes: a sync cut short (a killed process) must
      // not leave the old revision claiming a half-updated Temporal is current.
      const revision = linkScheduleRevision(desired);
      if (link && link.schedule_revision !== null && link.schedule_revision !== revision) await forgetScheduleRevision(connection, mallLinkId);
      const outcomes: Record<string, ScheduleOutcome> = {};
      for (const job of scheduleJobNames) {
        const scheduleId = scheduleIdFor(job, mallLinkId);
        const wanted = desired.find((options) => options.scheduleId === scheduleId);
        outcomes[scheduleId] = wanted ? await applySchedule(deps.temporal, wanted) : await deleteSchedule(deps.temporal, scheduleId);
      }
      if (link) await setSchedulesSynced(connection, mallLinkId, revision);
      return outcomes;
    } finally {
      await sql`select pg_advisory_unlock(${linkLockClass}, hashtext(${mallLinkId}))`.execute(connection);
    }
  });
}

/**
 * The API's sync after a committed change: nothing is asked of Temporal when the recorded
 * revision shows it already holds the link's schedules (a change that leaves them as they are,
 * the common case); otherwise reconcileLink. The check holds the link's lock only for its reads,
 * so it waits for a sync that is applying and never passes on a reading older than that sync's.
 */
export async function syncLinkSchedules(deps: ReconcileDeps, mallLinkId: string): Promise<'recorded' | Record<string, ScheduleOutcome>> {
  const current = await deps.db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${linkLockClass}, hashtext(${mallLinkId}))`.execute(tx);
    const link = await findMallLinkById(tx, mallLinkId);
    return link !== undefined && isRecordedScheduleCurrent(link, await loadCalendarInputs(tx), deps.settings, (deps.now ?? (() => new Date()))());
  });
  return current ? 'recorded' : reconcileLink(deps, mallLinkId);
}

export interface ReconcileSummary {
  /** False when another process held the reconcile lock; nothing was done. */
  ran: boolean;
  links: number;
  failedLinks: string[];
  outcomes: Record<ScheduleOutcome, number>;
}

/** What the schedule list shows of each schedule on the server, by id. */
export type ListedSchedules = Map<string, { paused: boolean; note?: string | undefined }>;

/**
 * Every schedule on the server with its pause and note, from one list: a visibility read per page
 * of 1,000, about a millisecond of the server's CPU per schedule where a describe (a query to the
 * schedule's own workflow) takes 10-20. Eventually consistent: each schedule's workflow writes its
 * entry after applying a change, so a just-created or just-changed one can show late.
 */
export async function listSchedules(temporal: Client): Promise<ListedSchedules> {
  const listed: ListedSchedules = new Map();
  for await (const schedule of temporal.schedule.list()) listed.set(schedule.scheduleId, schedule.state);
  return listed;
}

/** The daily schedule that runs `reconcileSchedules`, kept in line like the others. */
export function buildReconcileSchedule(settings: ScheduleSettings): LinkScheduleOptions {
  return {
    scheduleId: reconcileScheduleId,
    spec: { calendars: [{ hour: 0, minute: 5, comment: 'daily, moves the holiday horizon' }], timezone: kstTimeZone, jitter: 0 },
    action: {
      type: 'startWorkflow',
      workflowType: workflowTypes.reconcileSchedules,
      workflowId: reconcileScheduleId,
      taskQueue: settings.taskQueue,
      args: [],
      staticSummary: '스케줄 동기화 · reconcile schedules',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: settings.catchupWindowMs, pauseOnFailure: false },
    state: { paused: false, note: 'daily reconcile of every mall link schedule' },
  };
}

/**
 * Every link, orphans and the daily reconcile schedule. Guarded by a PostgreSQL advisory lock so
 * replicas (worker start, the daily run) do not race; a link that fails is marked pending and
 * the others still run.
 */
export async function reconcileAll(deps: ReconcileDeps): Promise<ReconcileSummary> {
  const now = deps.now ?? (() => new Date());
  return deps.db.connection().execute(async (connection) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${reconcileAllLock[0]}, ${reconcileAllLock[1]}) as locked`.execute(connection);
    const outcomes: Record<ScheduleOutcome, number> = { created: 0, updated: 0, unchanged: 0, deleted: 0, absent: 0 };
    if (!rows[0]?.locked) return { ran: false, links: 0, failedLinks: [], outcomes };
    try {
      const inputs = await loadCalendarInputs(deps.db);
      const year = Number(kstDate(now()).slice(0, 4));
      const uncovered = [year, year + 1].filter((y) => !holidayDataYears.has(y));
      if (uncovered.length > 0) deps.log.warn({ years: uncovered }, 'no public holiday data for these years: upgrade @hyunbinseo/holidays-kr');
      const linkIds = await listMallLinkIds(deps.db);
      const failedLinks: string[] = [];
      for (const mallLinkId of linkIds) {
        try {
          for (const outcome of Object.values(await reconcileLink(deps, mallLinkId, inputs))) outcomes[outcome] += 1;
        } catch (error) {
          failedLinks.push(mallLinkId);
          deps.log.warn({ err: error, mallLinkId }, 'schedule reconcile failed for link');
          await setScheduleState(deps.db, mallLinkId, 'pending');
        }
      }
      const known = new Set(linkIds);
      const unknownLinkIds = new Set<string>();
      for (const scheduleId of (await listSchedules(deps.temporal)).keys()) {
        const { mallLinkId } = parseScheduleId(scheduleId) ?? {};
        if (mallLinkId === undefined) continue;
        if (known.has(mallLinkId)) continue;
        if (uuidPattern.test(mallLinkId)) unknownLinkIds.add(mallLinkId);
        else outcomes[await deleteSchedule(deps.temporal, scheduleId)] += 1;
      }
      for (const mallLinkId of unknownLinkIds) {
        // Not in the snapshot is not gone: a link created since has fresh schedules. Re-read under
        // the link's lock, which deletes them only when the link really no longer exists.
        for (const outcome of Object.values(await reconcileLink(deps, mallLinkId, inputs))) outcomes[outcome] += 1;
      }
      await applySchedule(deps.temporal, buildReconcileSchedule(deps.settings));
      deps.log.info({ links: linkIds.length, failedLinks: failedLinks.length, ...outcomes }, 'schedules reconciled');
      return { ran: true, links: linkIds.length, failedLinks, outcomes };
    } finally {
      await sql`select pg_advisory_unlock(${reconcileAllLock[0]}, ${reconcileAllLock[1]})`.execute(connection);
    }
  });
}
