import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import type { AlertRow, MallLinkRow } from '../../db/schema.js';
import type { Config } from '../config/env.js';
import type { Db } from '../db/database.js';
import {
  closeAlerts,
  closeLinkAlerts,
  insertOpenAlerts,
  listOpenAlerts,
  openAlertRef,
  refreshOpenAlert,
} from '../db/repositories/alerts.js';
import { currentAlertConditions, diffAlerts, isScheduleDescribeRound, type AlertCondition, type AlertFacts, type AlertKind, type FailedRunFact, type LinkAlertFacts } from '../domain/alerts.js';
import { holidayDataYears } from '../domain/business-calendar.js';
import { kstDate, kstInstant } from '../domain/kst.js';
import { missedSlotWindow } from '../domain/missed-slots.js';
import type { Logger } from '../logger.js';
import { loadCalendarInputs, type CalendarInputs } from '../schedules/inputs.js';
import { alertEvaluationIntervalMs } from '../schedules/alert-schedule.js';
import { desiredLinkSchedules, isRecordedScheduleCurrent, listSchedules, scheduleDrift, type ListedSchedules } from '../schedules/reconcile.js';
import { pauseReason, type LinkScheduleOptions, type ScheduleSettings } from '../schedules/spec.js';
import { parseScheduleId } from '../temporal/names.js';
import { MallIdKey } from '../temporal/search-attributes.js';
import { findMissedSlots, ledgerSlotsOfLinks, noSlotsServed, type LedgerSlots } from './missed-slots.js';

/** A refresh token lapsing within this is alerted (the daily refresh renews them 7 days ahead). */
export const tokenExpiryWarningMs = 3 * 24 * 3600_000;

export interface AlertSettings {
  unlinkedOrderAgeHours: number;
  missedSlotLookbackHours: number;
  missedSlotGraceMinutes: number;
  failedRunLookbackHours: number;
  lateCancellationLookbackDays: number;
  schedules: ScheduleSettings;
}

export function alertSettings(config: Pick<
  Config,
  | 'ALERT_UNLINKED_ORDER_AGE_HOURS'
  | 'ALERT_MISSED_SLOT_LOOKBACK_HOURS'
  | 'ALERT_MISSED_SLOT_GRACE_MINUTES'
  | 'ALERT_FAILED_RUN_LOOKBACK_HOURS'
  | 'ALERT_LATE_CANCELLATION_LOOKBACK_DAYS'
>, schedules: ScheduleSettings): AlertSettings {
  return {
    unlinkedOrderAgeHours: config.ALERT_UNLINKED_ORDER_AGE_HOURS,
    missedSlotLookbackHours: config.ALERT_MISSED_SLOT_LOOKBACK_HOURS,
    missedSlotGraceMinutes: config.ALERT_MISSED_SLOT_GRACE_MINUTES,
    failedRunLookbackHours: config.ALERT_FAILED_RUN_LOOKBACK_HOURS,
    lateCancellationLookbackDays: config.ALERT_LATE_CANCELLATION_LOOKBACK_DAYS,
    schedules,
  };
}

export interface AlertDeps {
  db: Db;
  log: Logger;
}

export interface AlertEvaluationDeps extends AlertDeps {
  temporal: Client;
  settings: AlertSettings;
}

const hourMs = 3600_000;
/** Temporal's final statuses that mean the run did not do its work. */
const failedStatuses = new Set(['FAILED', 'TERMINATED', 'TIMED_OUT']);

/**
 * One structured log event per opening and closing. Webhook delivery is the evaluation
 * workflow's (the worker knows the receiver): it sends what is undelivered, wherever it opened.
 */
function logEvents(deps: AlertDeps, opened: readonly AlertRow[], closed: readonly AlertRow[]): void {
  for (const alert of opened) {
    deps.log.info({ event: 'alert.opened', alertId: alert.id, kind: alert.kind, mallLinkId: alert.mall_link_id, subject: alert.subject, since: alert.since, alertMessage: alert.message }, 'alert opened');
  }
  for (const alert of closed) {
    deps.log.info({ event: 'alert.closed', alertId: alert.id, kind: alert.kind, mallLinkId: alert.mall_link_id, subject: alert.subject, openedAt: alert.opened_at }, 'alert closed');
  }
}

/** Opens one alert now (unless it is open already), outside the periodic evaluation. */
export async function openAlertNow(deps: AlertDeps, condition: AlertCondition): Promise<AlertRow | undefined> {
  const [opened] = await insertOpenAlerts(deps.db, [condition]);
  logEvents(deps, opened ? [opened] : [], []);
  return opened;
}

/** Closes the link's open alerts of one kind now, outside the periodic evaluation. */
export async function closeLinkAlertsNow(deps: AlertDeps, mallLinkId: string, kind: AlertKind): Promise<AlertRow[]> {
  const closed = await closeLinkAlerts(deps.db, mallLinkId, kind);
  logEvents(deps, [], closed);
  return closed;
}

/** The latest closed run per (MallId, workflow type) within the look-back, when it failed. */
async function failedRunsInTemporal(temporal: Client, since: Date): Promise<Map<string, FailedRunFact[]>> {
  const latest = new Map<string, { mallId: string; fact: FailedRunFact }>();
  const query = `MallId IS NOT NULL AND ExecutionStatus != 'Running' AND CloseTime >= '${since.toISOString()}'`;
  for await (const execution of temporal.workflow.list({ query })) {
    const mallId = execution.typedSearchAttributes.get(MallIdKey);
    // A continued-as-new run handed its work on; its successor is the run that ends.
    if (!mallId || !execution.closeTime || execution.status.name === 'CONTINUED_AS_NEW') continue;
    const key = `${mallId}|${execution.type}`;
    const seen = latest.get(key);
    if (seen && seen.fact.at >= execution.closeTime) continue;
    latest.set(key, { mallId, fact: { workflowType: execution.type, workflowId: execution.workflowId, status: execution.status.name, at: execution.closeTime } });
  }
  const byMall = new Map<string, FailedRunFact[]>();
  for (const { mallId, fact } of latest.values()) {
    if (failedStatuses.has(fact.status)) byMall.set(mallId, [...(byMall.get(mallId) ?? []), fact]);
  }
  return byMall;
}

/**
 * The latest run per link of each run ledger that finished within the look-back, when it recorded
 * failed. Only the look-back's rows are read (by the finished_at index), however long the ledgers.
 */
async function failedRunsInLedgers(db: Db, since: Date): Promise<Map<string, FailedRunFact[]>> {
  const byLink = new Map<string, FailedRunFact[]>();
  for (const [table, workflowType] of [['collection_runs', 'collectOrders'], ['invoice_sync_runs', 'syncInvoices']] as const) {
    const { rows } = await sql<{ mall_link_id: string; workflow_id: string; status: string; finished_at: Date }>`
      select distinct on (mall_link_id) mall_link_id, workflow_id, status, finished_at
      from ${sql.table(table)} where status <> 'running' and finished_at >= ${since} order by mall_link_id, id desc
    `.execute(db);
    for (const row of rows) {
      if (row.status !== 'failed') continue;
      byLink.set(row.mall_link_id, [...(byLink.get(row.mall_link_id) ?? []), { workflowType, workflowId: row.workflow_id, status: 'failed', at: row.finished_at }]);
    }
  }
  return byLink;
}

/** Failures from both sources, one per workflow type (the earlier failure says since when). */
function mergeFailures(...lists: (FailedRunFact[] | undefined)[]): FailedRunFact[] {
  const byType = new Map<string, FailedRunFact>();
  for (const fact of lists.flatMap((list) => list ?? [])) {
    const seen = byType.get(fact.workflowType);
    if (!seen || fact.at < seen.at) byType.set(fact.workflowType, fact);
  }
  return [...byType.values()];
}

async function groupedByLink<Row extends { mall_link_id: string }>(rows: Promise<Row[]>): Promise<Map<string, Row>> {
  return new Map((await rows).map((row) => [row.mall_link_id, row]));
}

/** What decides, for each link, whether this evaluation describes its schedules. */
interface ScheduleDescribeHints {
  /** undefined: the list failed, so every link is described. */
  listed: ListedSchedules | undefined;
  /** Links with an open schedule_out_of_line alert: it closes only on what a describe shows. */
  openDriftLinks: ReadonlySet<string>;
}

/**
 * Whether the evaluation describes the link's schedules. Cheaper facts clear most links: the link
 * row holds the revision its last sync applied, the list shows each schedule's pause and note. What
 * neither shows (an action edited on the server: its revision memo) is found in the link's describe
 * round.
 */
function schedulesToDescribe(link: MallLinkRow, desired: LinkScheduleOptions[], recordedInLine: boolean, hints: ScheduleDescribeHints, now: Date): boolean {
  const { listed } = hints;
  if (listed === undefined || !recordedInLine || hints.openDriftLinks.has(link.id)) return true;
  if (isScheduleDescribeRound(link.id, now, alertEvaluationIntervalMs)) return true;
  return desired.some((options) => {
    const shown = listed.get(options.scheduleId);
    return shown === undefined || shown.paused !== Boolean(options.state?.paused) || shown.note !== options.state?.note;
  });
}

/** The Temporal-side facts of one link; undefined fields when Temporal does not answer. */
async function temporalFactsOf(
  deps: AlertEvaluationDeps,
  link: MallLinkRow,
  inputs: CalendarInputs,
  hints: ScheduleDescribeHints,
  ledger: LedgerSlots,
  now: Date,
): Promise<Pick<LinkAlertFacts, 'missedSlots' | 'scheduleDrift'>> {
  const { settings } = deps;
  try {
    const desiredAt = (at: Date) => desiredLinkSchedules(link, inputs, settings.schedules, at);
    // The holiday horizon moves with the year: until the daily reconcile (00:05 KST) has run, a
    // schedule written yesterday is still in line.
    const yesterdayAt = new Date(now.getTime() - 24 * hourMs);
    const desired = desiredAt(now);
    const recordedInLine = [now, yesterdayAt].some((at) => isRecordedScheduleCurrent(link, inputs, settings.schedules, at));
    const scheduleDriftFacts: { job: string; reason: string }[] = [];
    if (schedulesToDescribe(link, desired, recordedInLine, hints, now)) {
      const yesterday = desiredAt(yesterdayAt);
      for (const [index, options] of desired.entries()) {
        const reason = (await scheduleDrift(deps.temporal, options, yesterday[index])) ?? (link.schedule_state === 'pending' ? 'the last sync did not reach Temporal' : null);
        if (reason) scheduleDriftFacts.push({ job: parseScheduleId(options.scheduleId)!.job, reason });
      }
    }
    // Only an active auto link is expected to run; a paused one's slots are not missed.
    if (pauseReason(link) !== undefined) return { scheduleDrift: scheduleDriftFacts, missedSlots: [] };
    const window = missedSlotWindow({
      now,
      lookbackMs: settings.missedSlotLookbackHours * hourMs,
      graceMs: settings.missedSlotGraceMinutes * 60_000,
      linkStartAt: kstInstant(link.link_start_date),
      lastChangedAt: link.updated_at,
    });
    return { scheduleDrift: scheduleDriftFacts, missedSlots: await findMissedSlots(deps, link, window, inputs, ledger) };
  } catch (error) {
    deps.log.warn({ err: error, mallLinkId: link.id }, 'alert facts from Temporal unavailable for link');
    return {};
  }
}

/** Everything the alert rules look at, read now from PostgreSQL and Temporal. */
export async function gatherAlertFacts(deps: AlertEvaluationDeps, now: Date, openDriftLinks: ReadonlySet<string>): Promise<AlertFacts> {
  const { db, settings } = deps;
  const unlinkedBefore = new Date(now.getTime() - settings.unlinkedOrderAgeHours * hourMs);
  const cancellationsSince = new Date(now.getTime() - settings.lateCancellationLookbackDays * 24 * hourMs);
  const failuresSince = new Date(now.getTime() - settings.failedRunLookbackHours * hourMs);
  const [links, tokens, aged, held, late, ledgerFailures, servedSlots, inputs] = await Promise.all([
    db.selectFrom('mall_links').selectAll().orderBy('created_at').execute(),
    groupedByLink(db.selectFrom('cafe24_tokens').select(['mall_link_id', 'refresh_token_expires_at']).execute()),
    groupedByLink(
      db
        .selectFrom('unlinked_orders')
        .select((eb) => ['mall_link_id', eb.fn.countAll<number>().as('count'), eb.fn.min<Date>('first_seen_at').as('oldest')])
        .where('status', '=', 'open')
        .where('first_seen_at', '<', unlinkedBefore)
        .groupBy('mall_link_id')
        .execute(),
    ),
    groupedByLink(
      db
        .selectFrom('invoice_registrations')
        .select((eb) => ['mall_link_id', eb.fn.countAll<number>().as('count'), eb.fn.min<Date>('updated_at').as('oldest'), sql<string[]>`array_agg(distinct coalesce(reason, 'held'))`.as('reasons')])
        .where('status', '=', 'held')
        .groupBy('mall_link_id')
        .execute(),
    ),
    groupedByLink(
      db
        .selectFrom('cancellations')
        .select((eb) => ['mall_link_id', eb.fn.countAll<number>().as('count'), eb.fn.min<Date>('detected_at').as('first'), sql<string[]>`array_agg(ord_no order by ord_no)`.as('ord_nos')])
        .where('outcome', '=', 'too_late')
        .where('detected_at', '>=', cancellationsSince)
        .groupBy('mall_link_id')
        .execute(),
    ),
    failedRunsInLedgers(db, failuresSince),
    // Every link's missed-slot window lies within the look-back.
    ledgerSlotsOfLinks(db, { from: new Date(now.getTime() - settings.missedSlotLookbackHours * hourMs), to: now }),
    loadCalendarInputs(db),
  ]);
  const temporalFailures = await failedRunsInTemporal(deps.temporal, failuresSince).catch((error: unknown) => {
    deps.log.warn({ err: error }, 'failed runs in Temporal visibility unavailable');
    return undefined;
  });
  const listed = await listSchedules(deps.temporal).catch((error: unknown) => {
    deps.log.warn({ err: error }, 'schedule list unavailable: describing every link’s schedules');
    return undefined;
  });

  const linkFacts: LinkAlertFacts[] = [];
  for (const link of links) {
    const agedRow = aged.get(link.id);
    const heldRow = held.get(link.id);
    const lateRow = late.get(link.id);
    linkFacts.push({
      mallLinkId: link.id,
      mallId: link.mall_id,
      cafe24AuthStatus: link.cafe24_auth_status,
      authChangedAt: link.updated_at,
      refreshTokenExpiresAt: tokens.get(link.id)?.refresh_token_expires_at ?? null,
      agedUnlinkedOrders: agedRow ? { count: Number(agedRow.count), oldestSeenAt: agedRow.oldest } : null,
      heldInvoices: heldRow ? { count: Number(heldRow.count), oldestAt: heldRow.oldest, reasons: heldRow.reasons } : null,
      lateCancellations: lateRow ? { count: Number(lateRow.count), firstDetectedAt: lateRow.first, ordNos: lateRow.ord_nos } : null,
      ...(temporalFailures ? { failingRuns: mergeFailures(temporalFailures.get(link.mall_id), ledgerFailures.get(link.id)) } : {}),
      ...(await temporalFactsOf(deps, link, inputs, { listed, openDriftLinks }, servedSlots.get(link.id) ?? noSlotsServed(), now)),
    });
  }
  const nextYear = Number(kstDate(now).slice(0, 4)) + 1;
  return { links: linkFacts, holidayData: { nextYear, covered: holidayDataYears.has(nextYear), checkedAt: now } };
}

export interface AlertEvaluation {
  opened: AlertRow[];
  closed: AlertRow[];
  /** Open alerts after the evaluation. */
  open: number;
}

/** Reads the facts, opens what newly holds, closes what cleared; one log event per change. */
export async function evaluateAlerts(deps: AlertEvaluationDeps, now: Date): Promise<AlertEvaluation> {
  const open = (await listOpenAlerts(deps.db)).map(openAlertRef);
  const openDriftLinks = new Set(open.flatMap((alert) => (alert.kind === 'schedule_out_of_line' && alert.mallLinkId !== null ? [alert.mallLinkId] : [])));
  const facts = await gatherAlertFacts(deps, now, openDriftLinks);
  const current = currentAlertConditions(facts, { tokenExpiryWarningMs, unlinkedOrderAgeHours: deps.settings.unlinkedOrderAgeHours, now });
  const changes = diffAlerts(open, current, facts);
  const opened = await insertOpenAlerts(deps.db, changes.toOpen);
  const closed = await closeAlerts(deps.db, changes.toClose.map((alert) => alert.id));
  for (const { alert, condition } of changes.toRefresh) await refreshOpenAlert(deps.db, alert.id, condition);
  logEvents(deps, opened, closed);
  return { opened, closed, open: open.length + opened.length - closed.length };
}
