import { describe, expect, it } from 'vitest';
import { AccountingMismatchError, addCounts, assertAccounted, countOutcomes, orderItemOutcomes, outcomesBeforeRequest, totalCounted } from './collection-accounting.js';
import type { CollectionRules } from './collection-window.js';
import { item, order } from '../../test/support/order-summaries.js';
import { eligibleOrders, selectItems } from './eligibility.js';
import { resolveLinks } from './link-resolution.js';

const rules: CollectionRules = { collectOrderStatus: 'N10', minutesAfterPayment: 10, linkStartDate: '2026-11-25', collectionRangeDays: 3 };
const slot = '2026-12-01T05:40:00.000Z';

describe('collection accounting', () => {
  it('counts every item by outcome before requests; ready orders are left for the request step', () => {
    const orders = [
      order('READY', [item('R-01', { variantCode: 'V-OK' }), item('R-02', { status: 'N20' })]),
      order('UNLINKED', [item('U-01', { variantCode: 'V-OK' }), item('U-02', { variantCode: 'V-NONE' })]),
      order('LATE', [item('L-01')], { paidAt: '2026-12-01T05:35:00.000Z' }),
      order('UNPAID', [item('P-01', { status: 'N00' })], { paid: false, paidAt: null }),
      order('KNOWN', [item('K-01', { variantCode: 'V-OK' }), item('K-02', { variantCode: 'V-NONE', status: 'N20' })]),
    ];
    const selections = selectItems(orders, rules, slot);
    const eligible = eligibleOrders(selections);
    // KNOWN already carries a slip: its eligible items are booked as already requested, not resolved.
    const known = eligible.filter((o) => o.orderId === 'KNOWN');
    const resolved = resolveLinks(eligible.filter((o) => o.orderId !== 'KNOWN'), new Map([['V-OK', [{ cstGodCd: 'G1', quantity: 1 }]]]));
    const before = outcomesBeforeRequest(selections, resolved, known);
    expect(before.map((r) => [r.orderItemCode, r.outcome])).toEqual([
      ['R-02', 'not_eligible:wrong_status'],
      ['L-01', 'not_eligible:too_recent'],
      ['P-01', 'not_eligible:unpaid'],
      ['K-02', 'not_eligible:wrong_status'],
      ['U-01', 'unlinked:other_item_unlinked'],
      ['U-02', 'unlinked:no_link'],
      ['K-01', 'already_requested'],
    ]);
    const ready = resolved.flatMap((r) => (r.kind === 'ready' ? orderItemOutcomes(r, 'requested') : []));
    expect(ready).toEqual([{ orderId: 'READY', shopNo: 1, orderItemCode: 'R-01', outcome: 'requested' }]);
    const counts = countOutcomes([...before, ...ready]);
    expect(counts).toEqual({
      requested: 1,
      already_requested: 1,
      'not_eligible:wrong_status': 2,
      'not_eligible:too_recent': 1,
      'not_eligible:unpaid': 1,
      'unlinked:other_item_unlinked': 1,
      'unlinked:no_link': 1,
    });
    expect(() => assertAccounted(counts, 8)).not.toThrow();
  });

  it('a run whose counts do not add up to the items fetched fails loudly', () => {
    const counts = countOutcomes([{ outcome: 'requested' }, { outcome: 'already_requested' }]);
    expect(() => assertAccounted(counts, 3)).toThrow(AccountingMismatchError);
    expect(() => assertAccounted(counts, 1)).toThrow('2 counted');
  });

  it('adds counts of pages', () => {
    const sum = addCounts({ requested: 2, 'unlinked:no_link': 1 }, { requested: 3, rejected: 1 });
    expect(sum).toEqual({ requested: 5, 'unlinked:no_link': 1, rejected: 1 });
    expect(totalCounted(sum)).toBe(7);
  });
});
