import { formatKst } from './kst.js';

/**
 * Alerts: the problems an operator must see before a seller calls. Pure rules — facts gathered
 * from PostgreSQL and Temporal go in, the set of conditions that hold now comes out; diffing it
 * against the open alerts says which open and which close. Nothing here reads a clock.
 */

export const alertKinds = [
  /** A timetable slot passed with no run for an active auto link. */
  'missed_slot',
  /** The link's Temporal schedule differs from what PostgreSQL says it should be. */
  'schedule_out_of_line',
  /** Cafe24 rejected the refresh token: the seller must install the app again. */
  'reauth_required',
  /** The refresh token lapses soon and the daily refresh has not renewed it. */
  'token_expiring',
  /** Orders held unlinked (no product link) longer than the configured age. */
  'unlinked_orders_aged',
  /** The latest run of a workflow type for the link failed (Temporal) or recorded failed. */
  'failing_runs',
  /** Invoices waiting for a fix before they can go to Cafe24. */
  'invoices_held',
  /** Orders cancelled on Cafe24 after FMS started picking or shipped them. */
  'cancelled_after_shipment_started',
  /** The public holiday data has no entry for next year: slots would run on holidays. */
  'holiday_data_missing',
] as const;
export type AlertKind = (typeof alertKinds)[number];

/** A problem that holds now; `subject` tells apart alerts of one kind on one link ('' when none). */
export interface AlertCondition {
  kind: AlertKind;
  mallLinkId: string | null;
  subject: string;
  /** Since when the problem holds, as far as the facts tell. */
  since: Date;
  message: string;
  /** What to do about it, in words. */
  action: string;
  details: Record<string, unknown>;
}

/** What an alert is identified by: one open alert per key. */
export const alertKey = (alert: Pick<AlertCondition, 'kind' | 'mallLinkId' | 'subject'>) => `${alert.kind}|${alert.mallLinkId ?? ''}|${alert.subject}`;

/** A run that ended badly, from Temporal visibility or a run ledger. */
export interface FailedRunFact {
  workflowType: string;
  workflowId: string;
  /** FAILED, TERMINATED, TIMED_OUT (Temporal) or `failed` (the run's own ledger). */
  status: string;
  at: Date;
}

/**
 * Evaluations over which every link's schedules are described once: with an evaluation every 5
 * minutes, once an hour. A describe is a query to the schedule's own workflow (10-20 ms of the
 * Temporal server's CPU), so describing every link at every evaluation cost the server more than a
 * slot's starts; between its rounds a link is described only when a cheaper fact points at drift.
 */
export const scheduleDescribeRounds = 12;

/**
 * Whether the evaluation at `now` is the link's describe round: one evaluation in
 * scheduleDescribeRounds, by the link's id (a random uuid, so the links spread evenly). `now` is
 * rounded to the nearest interval: an evaluation runs moments after its scheduled time, by a clock
 * that may be a little behind the server's, and must not fall into the round before.
 */
export function isScheduleDescribeRound(mallLinkId: string, now: Date, evaluationIntervalMs: number): boolean {
  const linkRound = (Number.parseInt(mallLinkId.replaceAll('-', '').slice(-8), 16) || 0) % scheduleDescribeRounds;
  return Math.round(now.getTime() / evaluationIntervalMs) % scheduleDescribeRounds === linkRound;
}

/**
 * What is known about one link. A field left undefined was not assessed this time (Temporal did
 * not answer, or the check does not apply): alerts of that kind are then neither opened nor closed.
 */
export interface LinkAlertFacts {
  mallLinkId: string;
  mallId: string;
  cafe24AuthStatus: 'not_installed' | 'authorized' | 'reauth_required';
  /** When the link last changed authorization status (or configuration). */
  authChangedAt: Date;
  refreshTokenExpiresAt: Date | null;
  /** Per schedule job, the slots that passed with no run (active auto links only). */
  missedSlots?: { job: string; slots: Date[] }[];
  /** Per schedule job, why the server's schedule differs from the desired one (none: in line). */
  scheduleDrift?: { job: string; reason: string }[];
  /** Per workflow type, the latest closed run when it failed. */
  failingRuns?: FailedRunFact[];
  /** Open unlinked orders first seen before the configured age. */
  agedUnlinkedOrders: { count: number; oldestSeenAt: Date } | null;
  heldInvoices: { count: number; oldestAt: Date; reasons: string[] } | null;
  /** Cancellations found too late (FMS picking or shipped) within the look-back. */
  lateCancellations: { count: number; firstDetectedAt: Date; ordNos: string[] } | null;
}

export interface AlertFacts {
  links: LinkAlertFacts[];
  /** Next year (KST) and whether the holiday data covers it. */
  holidayData: { nextYear: number; covered: boolean; checkedAt: Date };
}

export interface AlertRules {
  /** A refresh token lapsing within this is alerted (3 days). */
  tokenExpiryWarningMs: number;
  /** Unlinked orders older than this are alerted (the facts are gathered with it). */
  unlinkedOrderAgeHours: number;
  now: Date;
}

const installAction =
  '판매자가 카페24 앱을 다시 설치(재인증)하도록 하세요: 링크의 installUrl (/cafe24/install?mallLinkId={id}). 설치가 끝나면 스케줄이 곧바로 재개되고 이 알림이 닫힙니다. (Have the seller install the Cafe24 app again from the link\'s installUrl; the schedules resume at once and this alert closes.)';

/** Cafe24 refused the link's refresh token (opened at once by the refresh, and by the evaluation). */
export function reauthRequiredCondition(link: { mallLinkId: string; mallId: string }, since: Date): AlertCondition {
  return {
    kind: 'reauth_required',
    mallLinkId: link.mallLinkId,
    subject: '',
    since,
    message: `${link.mallId}: Cafe24 refused the refresh token; the link's schedules are paused`,
    action: installAction.replace('{id}', link.mallLinkId),
    details: {},
  };
}

/** What the seller must do about the Cafe24 authorization (shown in the link status); null when nothing. */
export function cafe24SellerAction(status: LinkAlertFacts['cafe24AuthStatus']): string | null {
  switch (status) {
    case 'reauth_required':
      return '카페24 앱 재인증 필요: 카페24가 인증을 거부해 주문수집·송장등록이 멈췄습니다. installUrl 에서 앱을 다시 설치(권한 승인)해 주세요. 설치가 끝나면 곧바로 재개됩니다. (Cafe24 rejected the authorization and the schedules are paused: install the app again from installUrl; they resume at once.)';
    case 'not_installed':
      return '카페24 앱 설치 필요: installUrl 에서 앱을 설치(권한 승인)해 주세요. (Install the Cafe24 app from installUrl.)';
    default:
      return null;
  }
}

function linkConditions(link: LinkAlertFacts, rules: AlertRules): AlertCondition[] {
  const base = { mallLinkId: link.mallLinkId };
  const conditions: AlertCondition[] = [];
  for (const { job, slots } of link.missedSlots ?? []) {
    if (slots.length === 0) continue;
    conditions.push({
      ...base,
      kind: 'missed_slot',
      subject: job,
      since: slots[0]!,
      message: `${link.mallId}: ${slots.length} ${job} slot(s) passed with no run, first ${formatKst(slots[0]!.toISOString())}`,
      action: `Check that a worker is running, then backfill the missed slots (POST /v1/mall-links/${link.mallLinkId}/backfill from the first slot, durationMinutes to the last); the alert closes when every slot has a run.`,
      details: { slots: slots.map((slot) => slot.toISOString()) },
    });
  }
  for (const { job, reason } of link.scheduleDrift ?? []) {
    conditions.push({
      ...base,
      kind: 'schedule_out_of_line',
      subject: job,
      since: rules.now,
      message: `${link.mallId}: the ${job} schedule is not in line with the database (${reason})`,
      action: 'Reconcile the schedules: PUT the link again, or run the reconcile-schedules schedule in the Temporal UI; check that Temporal is reachable from the API.',
      details: { reason },
    });
  }
  if (link.cafe24AuthStatus === 'reauth_required') conditions.push(reauthRequiredCondition(link, link.authChangedAt));
  if (link.cafe24AuthStatus === 'authorized' && link.refreshTokenExpiresAt && link.refreshTokenExpiresAt.getTime() - rules.now.getTime() < rules.tokenExpiryWarningMs) {
    conditions.push({
      ...base,
      kind: 'token_expiring',
      subject: '',
      since: new Date(link.refreshTokenExpiresAt.getTime() - rules.tokenExpiryWarningMs),
      message: `${link.mallId}: the Cafe24 refresh token expires ${formatKst(link.refreshTokenExpiresAt.toISOString())} and was not renewed`,
      action: `Look at the cafe24-token-refresh runs in the Temporal UI (why did the renewal fail?) and trigger the schedule again; if Cafe24 rejects the token the link turns reauth_required and the seller must install the app again.`,
      details: { refreshTokenExpiresAt: link.refreshTokenExpiresAt.toISOString() },
    });
  }
  if (link.agedUnlinkedOrders) {
    const { count, oldestSeenAt } = link.agedUnlinkedOrders;
    conditions.push({
      ...base,
      kind: 'unlinked_orders_aged',
      subject: '',
      since: oldestSeenAt,
      message: `${link.mallId}: ${count} order(s) held unlinked since ${formatKst(oldestSeenAt.toISOString())} (alerted after ${rules.unlinkedOrderAgeHours} h)`,
      action: `Link the Cafe24 variants to FMS goods (GET /v1/mall-links/${link.mallLinkId}/unlinked-orders?status=open shows which); the next collection requests them.`,
      details: { count },
    });
  }
  for (const run of link.failingRuns ?? []) {
    conditions.push({
      ...base,
      kind: 'failing_runs',
      subject: run.workflowType,
      since: run.at,
      message: `${link.mallId}: the latest ${run.workflowType} run ended ${run.status}`,
      action: `Open workflow ${run.workflowId} in the Temporal UI (filter MallId="${link.mallId}") for the cause, fix it and run again; the alert closes when a later run succeeds.`,
      details: { workflowId: run.workflowId, status: run.status },
    });
  }
  if (link.heldInvoices) {
    const { count, oldestAt, reasons } = link.heldInvoices;
    conditions.push({
      ...base,
      kind: 'invoices_held',
      subject: '',
      since: oldestAt,
      message: `${link.mallId}: ${count} invoice(s) held (${reasons.join(', ')})`,
      action: 'Fix what holds them (e.g. a carrier mapping: PUT /v1/carrier-mappings/{fmsCarrierKey}); the next invoice sync sends them.',
      details: { count, reasons },
    });
  }
  if (link.lateCancellations) {
    const { count, firstDetectedAt, ordNos } = link.lateCancellations;
    conditions.push({
      ...base,
      kind: 'cancelled_after_shipment_started',
      subject: '',
      since: firstDetectedAt,
      message: `${link.mallId}: ${count} order(s) cancelled on Cafe24 after FMS started picking or shipped them`,
      action: `Stop the parcels with the warehouse or carrier, or expect returns (GET /v1/mall-links/${link.mallLinkId}/cancellations?outcome=too_late).`,
      details: { count, ordNos },
    });
  }
  return conditions;
}

/** Every condition that holds now. */
export function currentAlertConditions(facts: AlertFacts, rules: AlertRules): AlertCondition[] {
  const conditions = facts.links.flatMap((link) => linkConditions(link, rules));
  if (!facts.holidayData.covered) {
    const year = facts.holidayData.nextYear;
    conditions.push({
      kind: 'holiday_data_missing',
      mallLinkId: null,
      subject: String(year),
      since: facts.holidayData.checkedAt,
      message: `No public holiday data for ${year}: from 1 January slots would run on holidays`,
      action: 'Upgrade @hyunbinseo/holidays-kr to a release with the year, deploy, and let reconcile-schedules run (or add the holidays as calendar overrides: PUT /v1/calendar/overrides/{date}).',
      details: { year },
    });
  }
  return conditions;
}

/** Kinds whose facts may be missing for a link (see LinkAlertFacts). */
const assessedBy: Partial<Record<AlertKind, keyof LinkAlertFacts>> = {
  missed_slot: 'missedSlots',
  schedule_out_of_line: 'scheduleDrift',
  failing_runs: 'failingRuns',
};

/** Whether the facts say anything about alerts of this kind on this link (a deleted link: yes, it is gone). */
export function assessed(facts: AlertFacts, kind: AlertKind, mallLinkId: string | null): boolean {
  if (mallLinkId === null) return true;
  const link = facts.links.find((candidate) => candidate.mallLinkId === mallLinkId);
  const field = assessedBy[kind];
  return link === undefined || field === undefined || link[field] !== undefined;
}

export interface OpenAlertRef {
  id: number;
  kind: AlertKind;
  mallLinkId: string | null;
  subject: string;
}

export interface AlertChanges<Open extends OpenAlertRef> {
  /** Conditions with no open alert: open one each. */
  toOpen: AlertCondition[];
  /** Open alerts whose condition no longer holds (and was assessed): close each. */
  toClose: Open[];
  /** Open alerts that still hold, with the condition's current details. */
  toRefresh: { alert: Open; condition: AlertCondition }[];
}

export function diffAlerts<Open extends OpenAlertRef>(open: readonly Open[], current: readonly AlertCondition[], facts: AlertFacts): AlertChanges<Open> {
  const currentByKey = new Map(current.map((condition) => [alertKey(condition), condition]));
  const openKeys = new Set(open.map(alertKey));
  return {
    toOpen: [...currentByKey.values()].filter((condition) => !openKeys.has(alertKey(condition))),
    toClose: open.filter((alert) => !currentByKey.has(alertKey(alert)) && assessed(facts, alert.kind, alert.mallLinkId)),
    toRefresh: open.flatMap((alert) => {
      const condition = currentByKey.get(alertKey(alert));
      return condition ? [{ alert, condition }] : [];
    }),
  };
}

/** The webhook's event names. */
export type AlertEvent = 'alert.opened' | 'alert.closed';

/** One opening or closing whose webhook POST is still to be delivered. */
export interface PendingAlertEvent {
  alertId: number;
  event: AlertEvent;
}
