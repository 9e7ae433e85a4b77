import {
  MONTHS,
  ScheduleOverlapPolicy,
  type CalendarSpec,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import type { MallLinkRow } from '../../db/schema.js';
import { dayType, weekdayDayType, type BusinessCalendar } from '../domain/business-calendar.js';
import { datesBetween, kstDate, kstInstant, kstTimeZone } from '../domain/kst.js';
import { dayTypes, parseSlotTime, type DayType, type Timetable } from '../domain/timetable.js';
import { scheduleIdFor, scheduleJobNames, scheduleJobs } from '../temporal/names.js';
import { CstCdKey, MallIdKey, TriggerKey } from '../temporal/search-attributes.js';

/**
 * Pure builders of the Temporal schedules a mall link should have. Reconcile compares what they
 * return with what the server holds; nothing here talks to Temporal or PostgreSQL.
 */


const recurringDays: Record<DayType, CalendarSpec['dayOfWeek']> = {
  business: { start: 'MONDAY', end: 'FRIDAY' },
  saturday: 'SATURDAY',
  sunday_holiday: 'SUNDAY',
};

/**
 * Slot times as few calendar entries as possible: hours that share the same minutes go in one
 * entry, so every hour × minute combination of an entry is one of the given times.
 */
export function timeGroups(times: readonly string[]): { hour: number[]; minute: number[] }[] {
  const minutesByHour = new Map<number, number[]>();
  for (const { hour, minute } of [...times].sort().map(parseSlotTime)) {
    minutesByHour.set(hour, [...(minutesByHour.get(hour) ?? []), minute]);
  }
  const hoursByMinutes = new Map<string, { hour: number[]; minute: number[] }>();
  for (const [hour, minute] of minutesByHour) {
    const key = minute.join(',');
    const group = hoursByMinutes.get(key) ?? { hour: [], minute };
    group.hour.push(hour);
    hoursByMinutes.set(key, group);
  }
  return [...hoursByMinutes.values()];
}

const dated = (date: string) => {
  const [year, month, day] = date.split('-').map(Number);
  return { year: year!, month: MONTHS[month! - 1]!, dayOfMonth: day! };
};

export interface SpecInput {
  timetable: Timetable;
  calendar: BusinessCalendar;
  /** The link start date (KST); nothing runs before its 00:00. */
  startDate: string;
  /** Holidays and overrides are written out for this year and the next. */
  now: Date;
}

/** Why a date differs from its weekday's row: the override note or the holiday's official name. */
function reasonFor(date: string, calendar: BusinessCalendar): string {
  return calendar.overrides.get(date)?.note ?? calendar.holidays.get(date)?.join(', ') ?? 'calendar';
}

/**
 * Weekday rows as recurring calendars; each date of the horizon whose day type differs from its
 * weekday's (a weekday holiday, a Saturday holiday, an override) becomes skip entries for the
 * weekday slots it loses and dated calendars for the slots it gains. Temporal applies `skip` to
 * every calendar, so a whole-day skip is used only when the day keeps no slot at all; otherwise
 * it would also suppress the holiday row's own slots that day (e.g. 09:10 on a weekday holiday).
 */
export function buildScheduleSpec(input: SpecInput): ScheduleSpec {
  const { timetable, calendar } = input;
  const calendars: CalendarSpec[] = dayTypes.flatMap((type) =>
    timeGroups(timetable[type]).map((group) => ({ ...group, dayOfWeek: recurringDays[type], comment: type })),
  );
  const skip: CalendarSpec[] = [];

  const year = Number(kstDate(input.now).slice(0, 4));
  const first = `${year}-01-01` > input.startDate ? `${year}-01-01` : input.startDate;
  for (const date of datesBetween(first, `${year + 1}-12-31`)) {
    const base = weekdayDayType(date);
    const actual = dayType(date, calendar);
    if (base === actual) continue;
    const comment = `${date} ${actual}: ${reasonFor(date, calendar)}`;
    const kept = new Set(timetable[actual]);
    const lost = timetable[base].filter((time) => !kept.has(time));
    const gained = timetable[actual].filter((time) => !timetable[base].includes(time));
    if (kept.size === 0 && lost.length > 0) {
      skip.push({ ...dated(date), hour: '*', minute: '*', comment });
    } else {
      skip.push(...timeGroups(lost).map((group) => ({ ...dated(date), ...group, comment })));
    }
    calendars.push(...timeGroups(gained).map((group) => ({ ...dated(date), ...group, comment })));
  }

  return { calendars, skip, timezone: kstTimeZone, jitter: 0, startAt: kstInstant(input.startDate) };
}

/** Why a link's schedules are paused, in words an operator understands; undefined when they run. */
export function pauseReason(link: Pick<MallLinkRow, 'enabled' | 'collection_method' | 'cafe24_auth_status'>): string | undefined {
  const reasons = [
    ...(link.enabled ? [] : ['연동 비활성 (link disabled)']),
    ...(link.collection_method === 'manual' ? ['수동수집 모드 (manual collection)'] : []),
    ...(link.cafe24_auth_status === 'authorized' ? [] : [`카페24 앱 인증 필요 (cafe24_auth_status=${link.cafe24_auth_status})`]),
  ];
  return reasons.length > 0 ? `paused: ${reasons.join('; ')}` : undefined;
}

export const activeNote = 'active: managed by cafe24-fms-link from PostgreSQL';

export interface ScheduleSettings {
  taskQueue: string;
  catchupWindowMs: number;
}

export type LinkScheduleOptions = ScheduleOptions<ScheduleOptionsStartWorkflowAction<Workflow>>;

/** The link fields its schedules are built from (a memo of them is keyed by these). */
export const scheduleFields = ['id', 'mall_id', 'cst_cd', 'enabled', 'collection_method', 'cafe24_auth_status', 'link_start_date'] as const;
export type ScheduleFields = Pick<MallLinkRow, (typeof scheduleFields)[number]>;

/** Paused with the reason, or running with the active note: the state every schedule of the link gets. */
export function linkScheduleState(link: ScheduleFields): { paused: boolean; note: string } {
  const reason = pauseReason(link);
  return { paused: reason !== undefined, note: reason ?? activeNote };
}

/**
 * The schedules a link should have: collection and invoice sync, both always. With invoice
 * registration off, the invoice runs still watch open requests for cancellations (watch-only).
 */
export function buildLinkSchedules(link: ScheduleFields, spec: ScheduleSpec, settings: ScheduleSettings): LinkScheduleOptions[] {
  const jobs = scheduleJobNames;
  const attributes = [
    { key: MallIdKey, value: link.mall_id },
    { key: CstCdKey, value: link.cst_cd },
  ];
  return jobs.map((job) => ({
    scheduleId: scheduleIdFor(job, link.id),
    spec,
    action: {
      type: 'startWorkflow',
      workflowType: scheduleJobs[job].workflowType,
      workflowId: scheduleIdFor(job, link.id),
      taskQueue: settings.taskQueue,
      // The action sets the run's search attributes, so the run need not upsert them.
      args: [{ mallLinkId: link.id, attributesSetAtStart: true }],
      typedSearchAttributes: [...attributes, { key: TriggerKey, value: 'schedule' }],
      staticSummary: `카페24 ${link.mall_id} · ${scheduleJobs[job].label}`,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: settings.catchupWindowMs, pauseOnFailure: false },
    state: linkScheduleState(link),
    typedSearchAttributes: attributes,
  }));
}
