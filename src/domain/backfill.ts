import { dayMs, toKstIso } from './kst.js';

/** The longest range one backfill may cover. */
export const maxBackfillDays = 7;
/** The same bound in the request's unit: a backfill is a start and a length in whole minutes. */
export const maxBackfillMinutes = (maxBackfillDays * dayMs) / 60_000;

const minuteMs = 60_000;

/** A backfill as requested: the first instant of the range and its length. */
export interface BackfillRequestRange {
  from: Date;
  durationMinutes: number;
}

/**
 * The range a request covers, [from, from + durationMinutes], both ends included (0 minutes: the
 * slot at `from` alone). A start and a bounded length (rather than two instants) make "runs
 * forwards, at most 7 days" a property of one field that the request schema states, not a
 * comparison of two.
 */
export function backfillRange(request: BackfillRequestRange): { from: Date; to: Date } {
  return { from: request.from, to: new Date(request.from.getTime() + request.durationMinutes * minuteMs) };
}

/**
 * What is wrong with a backfill request, by request field: the length is a whole number of
 * minutes from 0 to `maxBackfillMinutes`, and the range lies in the past (only slots that have
 * passed are backfilled).
 */
export function backfillRangeProblems(request: BackfillRequestRange, now: Date): { path: string; message: string }[] {
  const { durationMinutes } = request;
  if (!Number.isInteger(durationMinutes) || durationMinutes < 0 || durationMinutes > maxBackfillMinutes) {
    return [{ path: 'durationMinutes', message: `must be a whole number of minutes from 0 to ${maxBackfillMinutes} (${maxBackfillDays} days)` }];
  }
  if (request.from.getTime() > now.getTime()) {
    return [{ path: 'from', message: 'must not be in the future: only slots that have passed are backfilled' }];
  }
  const { to } = backfillRange(request);
  if (to.getTime() > now.getTime()) {
    const longest = Math.floor((now.getTime() - request.from.getTime()) / minuteMs);
    return [
      {
        path: 'durationMinutes',
        message: `the range would end in the future (${toKstIso(to)}): only slots that have passed are backfilled; from this from, at most ${longest} minutes`,
      },
    ];
  }
  return [];
}
