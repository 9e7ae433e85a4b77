import { describe, expect, it } from 'vitest';
import { item, order } from '../../test/support/order-summaries.js';
import type { CollectionRules } from './collection-window.js';
import { classifyOrder, countCategories, reconcileOrders, reconciliationCsv, type OrderLedgerFacts, type ReconciliationContext } from './reconciliation.js';

const rules: CollectionRules = { collectOrderStatus: 'N10', minutesAfterPayment: 10, linkStartDate: '2026-11-25', collectionRangeDays: 2 };
// Last slot that should have run: 14:40 KST on 2026-12-01; the orders are paid 14:00 KST.
const context: ReconciliationContext = { rules, asOf: '2026-12-01T05:40:00.000Z' };

const none: OrderLedgerFacts = {
  seenByRun: false,
  request: null,
  rejectionReason: null,
  unlinked: null,
  cancellation: null,
  registrations: new Map(),
  latestOutcomes: new Map(),
};
const seen = (overrides: Partial<OrderLedgerFacts> = {}): OrderLedgerFacts => ({ ...none, seenByRun: true, ...overrides });
const created = (overrides: Partial<NonNullable<OrderLedgerFacts['request']>> = {}): OrderLedgerFacts['request'] => ({
  status: 'created',
  slipNo: 'SLIP-1',
  fmsStatus: 'ORDER',
  fmsStatusSeenAt: null,
  invoiceCount: 0,
  lastError: null,
  ...overrides,
});
const classify = (o: ReturnType<typeof order>, facts: OrderLedgerFacts, ctx = context) => classifyOrder(o, facts, ctx);

describe('classifyOrder', () => {
  it('an order FMS holds is requested, with its slip and FMS status', () => {
    expect(classify(order('A', [item('A-01')]), seen({ request: created(), latestOutcomes: new Map([['A-01', 'requested']]) }))).toMatchObject({
      category: 'requested',
      slipNo: 'SLIP-1',
      fmsStatus: 'ORDER',
      reason: null,
      items: [{ orderItemCode: 'A-01', cafe24Status: 'N10', lastOutcome: 'requested', invoiceStatus: null }],
    });
  });

  it('shipped in FMS with a tracking number not (all) on Cafe24 is shipped_not_synced; all synced is requested', () => {
    const shipped = created({ fmsStatus: 'DONE', invoiceCount: 1 });
    const two = order('A', [item('A-01'), item('A-02')]);
    expect(classify(two, seen({ request: shipped })).category).toBe('shipped_not_synced');
    expect(classify(two, seen({ request: shipped, registrations: new Map([['A-01', 'synced'], ['A-02', 'held']]) })).category).toBe('shipped_not_synced');
    expect(classify(two, seen({ request: shipped, registrations: new Map([['A-01', 'synced'], ['A-02', 'synced']]) })).category).toBe('requested');
    // A partial shipment: the unshipped item has no registration yet, and is not late.
    expect(classify(two, seen({ request: created({ fmsStatus: 'PARTDONE', invoiceCount: 1 }), registrations: new Map([['A-01', 'synced']]) })).category).toBe('requested');
    // Picking, no parcel yet.
    expect(classify(two, seen({ request: created({ fmsStatus: 'WORKING' }) })).category).toBe('requested');
  });

  it('a recorded cancellation wins, with its outcome', () => {
    expect(classify(order('A', [item('A-01', { status: 'C40' })]), seen({ request: created(), cancellation: { outcome: 'too_late' } }))).toMatchObject({ category: 'cancelled', reason: 'too_late', slipNo: 'SLIP-1' });
  });

  it('FMS refused it: rejected with the reason', () => {
    expect(classify(order('A', [item('A-01')]), seen({ rejectionReason: 'unknown goods code G9' }))).toMatchObject({ category: 'rejected', reason: 'unknown goods code G9' });
    expect(classify(order('A', [item('A-01')]), seen({ request: created({ status: 'rejected', slipNo: null, lastError: 'E1' }) }))).toMatchObject({ category: 'rejected', reason: 'E1' });
  });

  it('a held unlinked order is unlinked, with each item’s reason', () => {
    const facts = seen({ unlinked: { status: 'open', items: [{ orderItemCode: 'A-01', reason: 'other_item_unlinked' }, { orderItemCode: 'A-02', reason: 'no_link' }] } });
    expect(classify(order('A', [item('A-01'), item('A-02')]), facts)).toMatchObject({
      category: 'unlinked',
      reason: 'other_item_unlinked,no_link',
      items: [{ reason: 'other_item_unlinked' }, { reason: 'no_link' }],
    });
  });

  it('seen but not collectable is not_eligible, with the eligibility reasons at the last slot', () => {
    expect(classify(order('A', [item('A-01', { status: 'N20' })]), seen())).toMatchObject({ category: 'not_eligible', reason: 'wrong_status', items: [{ reason: 'wrong_status' }] });
    expect(classify(order('A', [item('A-01', { status: 'C00' })]), seen())).toMatchObject({ category: 'not_eligible', reason: 'cancelled_or_claimed' });
    // Paid after the last slot's cut-off: the next slot takes it.
    expect(classify(order('A', [item('A-01')], { paidAt: '2026-12-01T05:35:00.000Z' }), none)).toMatchObject({ category: 'not_eligible', reason: 'too_recent' });
    expect(classify(order('A', [item('A-01')], { paidAt: '2026-11-24T05:00:00.000Z' }), none)).toMatchObject({ category: 'not_eligible', reason: 'before_start' });
  });

  it('missing: paid before the last slot and fetched by no run, whatever its state now', () => {
    expect(classify(order('A', [item('A-01')]), none)).toMatchObject({ category: 'missing', reason: 'never_fetched', items: [{ reason: null, lastOutcome: null }] });
    expect(classify(order('A', [item('A-01', { status: 'N20' })]), none)).toMatchObject({ category: 'missing', reason: 'never_fetched' });
  });

  it('missing: seen by a run, collectable at the last slot, yet not requested (that slot did not run)', () => {
    const tooRecentEarlier = seen({ latestOutcomes: new Map([['A-01', 'not_eligible:too_recent']]) });
    expect(classify(order('A', [item('A-01')]), tooRecentEarlier)).toMatchObject({ category: 'missing', reason: 'not_requested' });
    // Left the collection range uncollected: still missing, not "outside range".
    const later: ReconciliationContext = { rules, asOf: '2026-12-09T05:40:00.000Z' };
    expect(classify(order('A', [item('A-01')]), tooRecentEarlier, later)).toMatchObject({ category: 'missing' });
  });
});

describe('counts and CSV', () => {
  it('counts every category, zeros included, and adds up to the orders', () => {
    const { counts, orders } = reconcileOrders([order('A', [item('A-01')]), order('B', [item('B-01')])], (o) => (o.orderId === 'A' ? seen({ request: created() }) : none), context);
    expect(counts).toEqual({ requested: 1, shipped_not_synced: 0, cancelled: 0, rejected: 0, unlinked: 0, not_eligible: 0, missing: 1 });
    expect(orders.map((o) => o.orderId)).toEqual(['A', 'B']);
    expect(countCategories([])).toMatchObject({ missing: 0 });
  });

  it('one CSV line per item, quoted where needed, formula characters defused', () => {
    const entries = [classify(order('A', [item('A-01'), item('A-02', { variantCode: '=1+1' })]), seen({ rejectionReason: 'bad, "goods"' }))];
    const lines = reconciliationCsv(entries).split('\r\n');
    expect(lines[0]).toBe('order_id,shop_no,paid_at,category,reason,slip_no,fms_status,fms_status_seen_at,order_item_code,variant_code,cafe24_status,item_reason,last_outcome,invoice_status');
    expect(lines[1]).toBe('A,1,2026-12-01T05:00:00.000Z,rejected,"bad, ""goods""",,,,A-01,V-A-01,N10,,,');
    expect(lines[2]).toBe(`A,1,2026-12-01T05:00:00.000Z,rejected,"bad, ""goods""",,,,A-02,'=1+1,N10,,,`);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
  });
});
