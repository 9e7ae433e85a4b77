import { describe, expect, it } from 'vitest';
import {
  canDecideShop,
  defaultLinkStartDate,
  fmsLinkGaps,
  mallLinkDefaults,
  maxExtraShops,
  sellerChecklist,
  settingsDiff,
  settingsProblems,
  shopRequestRefusal,
  type MallLinkSettings,
  type ShopStatus,
} from './mall-links.js';

const settings = (overrides: Partial<MallLinkSettings> = {}): MallLinkSettings => ({
  ...mallLinkDefaults,
  linkStartDate: '2026-12-01',
  sender: { name: '패스토샵', phone: '02-1234-5678' },
  ...overrides,
});

describe('defaultLinkStartDate', () => {
  it('is the next day in Korea, not in UTC', () => {
    // 2026-11-30 14:59 UTC is 23:59 KST on the 30th; one minute later it is already Dec 1st in Korea.
    expect(defaultLinkStartDate(new Date('2026-11-30T14:59:00Z'))).toBe('2026-12-01');
    expect(defaultLinkStartDate(new Date('2026-11-30T15:00:00Z'))).toBe('2026-12-02');
  });

  it('rolls over months, years and leap days', () => {
    expect(defaultLinkStartDate(new Date('2026-12-31T03:00:00Z'))).toBe('2027-01-01');
    expect(defaultLinkStartDate(new Date('2028-02-28T03:00:00Z'))).toBe('2028-02-29');
    expect(defaultLinkStartDate(new Date('2027-02-28T03:00:00Z'))).toBe('2027-03-01');
  });
});

describe('settingsProblems', () => {
  it('requires a sender when the invoice shows the company', () => {
    expect(settingsProblems(settings({ invoiceDisplay: 'company', sender: null }))).toEqual([{ path: 'sender', message: expect.stringContaining('company') }]);
    expect(settingsProblems(settings({ invoiceDisplay: 'orderer', sender: null }))).toEqual([]);
    expect(settingsProblems(settings())).toEqual([]);
  });
});

describe('shopRequestRefusal', () => {
  const shops = (...entries: [number, ShopStatus][]) => entries.map(([shopNo, status]) => ({ shopNo, status }));

  it('refuses a shop that is requested or active', () => {
    expect(shopRequestRefusal(shops([2, 'requested']), 2)).toEqual({ kind: 'duplicate', status: 'requested' });
    expect(shopRequestRefusal(shops([2, 'active']), 2)).toEqual({ kind: 'duplicate', status: 'active' });
  });

  it('lets a rejected shop be requested again', () => {
    expect(shopRequestRefusal(shops([2, 'rejected']), 2)).toBeNull();
  });

  it(`allows ${maxExtraShops} extra shops; rejected ones do not count`, () => {
    const four = shops([2, 'active'], [3, 'requested'], [4, 'active'], [5, 'requested'], [9, 'rejected']);
    expect(shopRequestRefusal(four, 6)).toBeNull();
    expect(shopRequestRefusal([...four, { shopNo: 6, status: 'requested' }], 7)).toEqual({ kind: 'limit', limit: 5 });
  });

  it('decides only requested shops', () => {
    expect(canDecideShop('requested')).toBe(true);
    expect(canDecideShop('active')).toBe(false);
    expect(canDecideShop('rejected')).toBe(false);
  });
});

describe('fmsLinkGaps', () => {
  it('is empty for an enabled link with what its invoice display needs', () => {
    expect(fmsLinkGaps(settings())).toEqual([]);
    expect(fmsLinkGaps(settings({ invoiceDisplay: 'orderer', sender: null }))).toEqual([]);
  });

  it('names a disabled link and a missing sender', () => {
    expect(fmsLinkGaps(settings({ enabled: false, sender: null })).map((gap) => gap.path)).toEqual(['enabled', 'sender']);
  });
});

describe('sellerChecklist', () => {
  it('tells the seller what Cafe24 needs for the collected status', () => {
    expect(sellerChecklist({ collectOrderStatus: 'N10' })[0]).toContain('상품준비중 주문상태 사용');
    expect(sellerChecklist({ collectOrderStatus: 'N20' })[0]).toContain('배송준비중');
  });
});

describe('settingsDiff', () => {
  it('keeps only the settings that changed, before and after, comparing senders by value', () => {
    const before = settings();
    expect(settingsDiff(before, { ...before, sender: { name: '패스토샵', phone: '02-1234-5678' } })).toBeNull();
    expect(settingsDiff(before, { ...before, minutesAfterPayment: 30, sender: null })).toEqual({
      before: { minutesAfterPayment: before.minutesAfterPayment, sender: { name: '패스토샵', phone: '02-1234-5678' } },
      after: { minutesAfterPayment: 30, sender: null },
    });
  });
});
