import { describe, expect, it } from 'vitest';
import { collectionBlocker, collectionRunSummary } from './collection-run.js';
import { collectionWindow, latestCollectablePaymentAt, linkStartInstant } from './collection-window.js';

describe('collectionWindow', () => {
  it('reaches back collectionRangeDays from the slot when the link started long ago', () => {
    expect(collectionWindow({ linkStartDate: '2026-01-01', collectionRangeDays: 3 }, '2026-12-01T05:40:00.000Z')).toEqual({
      from: '2026-11-28T05:40:00.000Z',
      to: '2026-12-01T05:40:00.000Z',
    });
  });

  it('starts at 00:00 KST of the link start date when that is later', () => {
    expect(collectionWindow({ linkStartDate: '2026-11-30', collectionRangeDays: 3 }, '2026-12-01T05:40:00.000Z')).toEqual({
      from: '2026-11-29T15:00:00.000Z',
      to: '2026-12-01T05:40:00.000Z',
    });
  });
});

describe('time helpers', () => {
  it('link start is midnight in Seoul', () => {
    expect(linkStartInstant('2026-12-01').toISOString()).toBe('2026-11-30T15:00:00.000Z');
  });

  it('latest collectable payment is slot minus the minutes', () => {
    expect(latestCollectablePaymentAt(10, '2026-12-01T05:40:00.000Z').toISOString()).toBe('2026-12-01T05:30:00.000Z');
    expect(latestCollectablePaymentAt(0, '2026-12-01T05:40:00.000Z').toISOString()).toBe('2026-12-01T05:40:00.000Z');
  });

  it('writes the operator summary line', () => {
    expect(collectionRunSummary('demomall', '2026-12-01T05:40:00.000Z')).toBe('카페24 demomall · 2026-12-01 14:40 KST · 주문수집');
  });
});

describe('collectionBlocker', () => {
  const ok = { enabled: true, link_start_date: '2026-12-01', cafe24_auth_status: 'authorized' as const };
  it('names the first reason a link cannot be collected, or none', () => {
    expect(collectionBlocker(ok, '2026-12-01T05:40:00.000Z')).toBeNull();
    expect(collectionBlocker({ ...ok, enabled: false }, '2026-12-01T05:40:00.000Z')).toBe('link_disabled');
    expect(collectionBlocker(ok, '2026-11-30T14:59:59.000Z')).toBe('before_start_date');
    expect(collectionBlocker(ok, '2026-11-30T15:00:00.000Z')).toBeNull();
    expect(collectionBlocker({ ...ok, cafe24_auth_status: 'not_installed' as const }, '2026-12-01T05:40:00.000Z')).toBe('not_authorized');
    expect(collectionBlocker({ ...ok, cafe24_auth_status: 'reauth_required' as const }, '2026-12-01T05:40:00.000Z')).toBe('not_authorized');
  });
});
