import { describe, expect, it } from 'vitest';
import { backfillRangeProblems } from './backfill.js';

const now = new Date('2026-12-01T03:00:00Z');
const at = (iso: string) => new Date(iso);

describe('backfillRangeProblems', () => {
  it('accepts a past range of up to seven days', () => {
    expect(backfillRangeProblems({ from: at('2026-11-24T03:00:00Z'), to: at('2026-12-01T03:00:00Z') }, now)).toEqual([]);
  });

  it('refuses a range that runs backwards, spans more than seven days or reaches past now', () => {
    expect(backfillRangeProblems({ from: at('2026-11-30T03:00:00Z'), to: at('2026-11-30T03:00:00Z') }, now)).toEqual([{ path: 'body.to', message: 'must be after from' }]);
    expect(backfillRangeProblems({ from: at('2026-11-24T02:59:59Z'), to: at('2026-12-01T03:00:00Z') }, now)).toEqual([{ path: 'body.to', message: 'the range may span at most 7 days' }]);
    expect(backfillRangeProblems({ from: at('2026-11-30T03:00:00Z'), to: at('2026-12-01T03:00:01Z') }, now)).toEqual([
      { path: 'body.to', message: 'must not be in the future: only slots that have passed are backfilled' },
    ]);
  });
});
