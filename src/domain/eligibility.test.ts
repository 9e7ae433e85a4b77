import { describe, expect, it } from 'vitest';
import type { CollectionRules } from './collection-window.js';
import { item, order } from '../../test/support/order-summaries.js';
import { changedOrderIds, eligibleOrders, selectItems } from './eligibility.js';

const rules: CollectionRules = { collectOrderStatus: 'N10', minutesAfterPayment: 10, linkStartDate: '2026-11-25', collectionRangeDays: 3 };
// 14:40 KST on 2026-12-01; the latest collectable payment is 05:30Z.
const slot = '2026-12-01T05:40:00.000Z';

const reasonOf = (o: ReturnType<typeof order>) => selectItems([o], rules, slot)[0]!.items[0];

describe('selectItems', () => {
  it('an N10 item of a paid order, paid before slot − minutes, is eligible', () => {
    expect(reasonOf(order('A', [item('A-01')]))).toEqual({ orderItemCode: 'A-01', eligible: true });
  });

  it('paid exactly at slot − minutes is still eligible; one millisecond later is too recent', () => {
    expect(reasonOf(order('A', [item('A-01')], { paidAt: '2026-12-01T05:30:00.000Z' }))).toMatchObject({ eligible: true });
    expect(reasonOf(order('A', [item('A-01')], { paidAt: '2026-12-01T05:30:00.001Z' }))).toMatchObject({ eligible: false, reason: 'too_recent' });
    expect(reasonOf(order('A', [item('A-01')], { paidAt: '2026-12-01T06:00:00.000Z' }))).toMatchObject({ reason: 'too_recent' });
  });

  it('unpaid orders and paid orders without a payment time are unpaid', () => {
    expect(reasonOf(order('A', [item('A-01', { status: 'N00' })], { paid: false, paidAt: null }))).toMatchObject({ reason: 'unpaid' });
    expect(reasonOf(order('A', [item('A-01')], { paid: true, paidAt: null }))).toMatchObject({ reason: 'unpaid' });
  });

  it('cancelled orders, open claims and C/R/E item statuses are cancelled_or_claimed', () => {
    expect(reasonOf(order('A', [item('A-01')], { canceled: 'T' }))).toMatchObject({ reason: 'cancelled_or_claimed' });
    expect(reasonOf(order('A', [item('A-01', { hasOpenClaim: true })]))).toMatchObject({ reason: 'cancelled_or_claimed' });
    for (const status of ['C00', 'C40', 'R00', 'E00']) {
      expect(reasonOf(order('A', [item('A-01', { status })]))).toMatchObject({ reason: 'cancelled_or_claimed' });
    }
  });

  it('a partly cancelled order keeps its live items eligible', () => {
    const [selection] = selectItems([order('A', [item('A-01'), item('A-02', { status: 'C40' })], { canceled: 'M' })], rules, slot);
    expect(selection!.items).toEqual([
      { orderItemCode: 'A-01', eligible: true },
      { orderItemCode: 'A-02', eligible: false, reason: 'cancelled_or_claimed' },
    ]);
  });

  it('paid before 00:00 KST of the start date is before_start, at midnight it counts', () => {
    const startRules = { ...rules, linkStartDate: '2026-12-01' };
    const at = (paidAt: string) => selectItems([order('A', [item('A-01')], { paidAt })], startRules, slot)[0]!.items[0];
    expect(at('2026-11-30T14:59:59.999Z')).toMatchObject({ reason: 'before_start' });
    expect(at('2026-11-30T15:00:00.000Z')).toMatchObject({ eligible: true });
  });

  it('paid before slot − range days (and after the start date) is outside_range', () => {
    expect(reasonOf(order('A', [item('A-01')], { paidAt: '2026-11-28T05:39:59.000Z' }))).toMatchObject({ reason: 'outside_range' });
    expect(reasonOf(order('A', [item('A-01')], { paidAt: '2026-11-28T05:40:00.000Z' }))).toMatchObject({ eligible: true });
  });

  it('another status than the configured one is wrong_status', () => {
    expect(reasonOf(order('A', [item('A-01', { status: 'N20' })]))).toMatchObject({ reason: 'wrong_status' });
    expect(selectItems([order('A', [item('A-01', { status: 'N20' })])], { ...rules, collectOrderStatus: 'N20' }, slot)[0]!.items[0]).toMatchObject({ eligible: true });
    expect(reasonOf(order('A', [item('A-01', { status: 'N40' })]))).toMatchObject({ reason: 'wrong_status' });
  });

  it('gives one verdict per item of every order', () => {
    const orders = [order('A', [item('A-01'), item('A-02')]), order('B', [item('B-01')], { paid: false, paidAt: null })];
    expect(selectItems(orders, rules, slot).flatMap((s) => s.items)).toHaveLength(3);
  });
});

describe('changedOrderIds', () => {
  it('names orders whose items are all cancelled, claimed, unpaid or in another status, not those merely early or old', () => {
    const selections = selectItems(
      [
        order('CANCELLED', [item('C-01', { status: 'C40' }), item('C-02', { status: 'N20' })], { canceled: 'M' }),
        order('MIXED', [item('M-01'), item('M-02', { status: 'C40' })]),
        order('RECENT', [item('R-01')], { paidAt: '2026-12-01T05:35:00.000Z' }),
        order('OLD', [item('O-01')], { paidAt: '2026-11-27T00:00:00.000Z' }),
      ],
      rules,
      slot,
    );
    expect(changedOrderIds(selections)).toEqual(['CANCELLED']);
  });
});

describe('eligibleOrders', () => {
  it('keeps orders with an eligible item, reduced to their eligible items', () => {
    const selections = selectItems(
      [order('A', [item('A-01'), item('A-02', { status: 'N20' })]), order('B', [item('B-01', { status: 'N20' })])],
      rules,
      slot,
    );
    const kept = eligibleOrders(selections);
    expect(kept.map((o) => o.orderId)).toEqual(['A']);
    expect(kept[0]!.items.map((i) => i.orderItemCode)).toEqual(['A-01']);
  });
});
