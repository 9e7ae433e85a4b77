import { describe, expect, it } from 'vitest';
import { backfillRange, backfillRangeProblems, maxBackfillMinutes } from './backfill.js';

const now = new Date('2026-12-01T03:00:00Z');
const at = (iso: string) => new Date(iso);

describe('backfillRange', () => {
  it('covers [from, from + durationMinutes]', () => {
    expect(backfillRange({ from: at('2026-11-26T00:10:00Z'), durationMinutes: 60 })).toEqual({ from: at('2026-11-26T00:10:00Z'), to: at('2026-11-26T01:10:00Z') });
  });
});

describe('backfillRangeProblems', () => {
  it('accepts a past range of up to seven days, ending at now at the latest, and the single instant of 0 minutes', () => {
    expect(maxBackfillMinutes).toBe(7 * 24 * 60);
    expect(backfillRangeProblems({ from: at('2026-11-24T03:00:00Z'), durationMinutes: maxBackfillMinutes }, now)).toEqual([]);
    expect(backfillRangeProblems({ from: at('2026-12-01T02:59:00Z'), durationMinutes: 1 }, now)).toEqual([]);
    expect(backfillRangeProblems({ from: now, durationMinutes: 0 }, now)).toEqual([]);
  });

  it('refuses a length that is not a whole number of minutes from 0 to seven days', () => {
    const lengthProblem = [{ path: 'durationMinutes', message: 'must be a whole number of minutes from 0 to 10080 (7 days)' }];
    for (const durationMinutes of [-1, maxBackfillMinutes + 1, 1.5]) {
      expect(backfillRangeProblems({ from: at('2026-11-20T03:00:00Z'), durationMinutes }, now), String(durationMinutes)).toEqual(lengthProblem);
    }
  });

  it('refuses a range that starts in the future, or ends there, naming the longest length that would not', () => {
    expect(backfillRangeProblems({ from: at('2026-12-01T03:00:01Z'), durationMinutes: 1 }, now)).toEqual([
      { path: 'from', message: 'must not be in the future: only slots that have passed are backfilled' },
    ]);
    expect(backfillRangeProblems({ from: at('2026-12-01T01:00:30Z'), durationMinutes: 121 }, now)).toEqual([
      {
        path: 'durationMinutes',
        message: 'the range would end in the future (2026-12-01T12:01:30+09:00): only slots that have passed are backfilled; from this from, at most 119 minutes',
      },
    ]);
  });
});
