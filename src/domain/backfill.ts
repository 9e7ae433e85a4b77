import { dayMs } from './kst.js';

/** The longest range one backfill may cover. */
export const maxBackfillDays = 7;

/**
 * What is wrong with a backfill range, by request field: it must run forwards, span at most
 * `maxBackfillDays`, and lie in the past (only slots that have passed are backfilled).
 */
export function backfillRangeProblems(range: { from: Date; to: Date }, now: Date): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (range.to.getTime() <= range.from.getTime()) problems.push({ path: 'body.to', message: 'must be after from' });
  else if (range.to.getTime() - range.from.getTime() > maxBackfillDays * dayMs) problems.push({ path: 'body.to', message: `the range may span at most ${maxBackfillDays} days` });
  if (range.to.getTime() > now.getTime()) problems.push({ path: 'body.to', message: 'must not be in the future: only slots that have passed are backfilled' });
  return problems;
}
