import { describe, expect, it } from 'vitest';
import { cancellationAction, cancellationItemState, decideCancellation, outcomeOfRefusedCancel, outcomeOfUnansweredCancel, type Cafe24ItemState } from './cancellations.js';

const item = (orderItemCode: string, status: string, hasOpenClaim = false): Cafe24ItemState => ({ orderItemCode, status, hasOpenClaim });

describe('cancellationItemState', () => {
  it.each([
    ['N10', false, 'standing'],
    ['N20', false, 'standing'],
    ['C11', false, 'standing'],
    ['R11', false, 'standing'],
    ['E11', false, 'standing'],
    ['C00', false, 'awaiting_seller'],
    ['R00', false, 'awaiting_seller'],
    ['E00', false, 'awaiting_seller'],
    ['N10', true, 'awaiting_seller'],
    ['C10', false, 'cancelled'],
    ['C34', false, 'cancelled'],
    ['C40', false, 'cancelled'],
    ['R10', false, 'cancelled'],
    ['E10', false, 'cancelled'],
  ] as const)('%s (open claim %s) is %s', (status, hasOpenClaim, state) => {
    expect(cancellationItemState({ status, hasOpenClaim })).toBe(state);
  });
});

describe('decideCancellation', () => {
  it('leaves a request alone when every item stands, or when a cancel request was rejected (C11)', () => {
    expect(decideCancellation([item('a', 'N10'), item('b', 'N20')], 'ORDER')).toEqual({ kind: 'none' });
    expect(decideCancellation([item('a', 'C11')], 'ORDER')).toEqual({ kind: 'none' });
    expect(decideCancellation([], 'ORDER')).toEqual({ kind: 'none' });
  });

  it('waits while a cancel request awaits the seller', () => {
    expect(decideCancellation([item('a', 'C00')], 'ORDER')).toEqual({ kind: 'wait' });
    expect(decideCancellation([item('a', 'N10'), item('b', 'R00')], null)).toEqual({ kind: 'wait' });
  });

  it('cancels in FMS when the whole order is cancelled and FMS has not started (or was not read yet)', () => {
    for (const status of ['ORDER', 'SHORTAGE', 'UNKNOWN', null] as const) {
      expect(decideCancellation([item('a', 'C40'), item('b', 'C10')], status)).toEqual({ kind: 'cancel_in_fms' });
    }
    expect(decideCancellation([item('a', 'R10')], 'ORDER')).toEqual({ kind: 'cancel_in_fms' });
  });

  it('records a request FMS already shows cancelled', () => {
    expect(decideCancellation([item('a', 'C40')], 'CANCEL')).toEqual({ kind: 'already_cancelled' });
  });

  it('holds a partial cancel for a person', () => {
    expect(decideCancellation([item('a', 'C40'), item('b', 'N10')], 'ORDER')).toEqual({ kind: 'hold_partial', cancelledItems: ['a'] });
    expect(decideCancellation([item('a', 'C40'), item('b', 'C00')], null)).toEqual({ kind: 'hold_partial', cancelledItems: ['a'] });
  });

  it('is too late once FMS picks or ships, whole or partial', () => {
    expect(decideCancellation([item('a', 'C40')], 'WORKING')).toEqual({ kind: 'too_late', fmsStatus: 'WORKING', cancelledItems: ['a'] });
    expect(decideCancellation([item('a', 'C40')], 'DONE')).toEqual({ kind: 'too_late', fmsStatus: 'DONE', cancelledItems: ['a'] });
    expect(decideCancellation([item('a', 'C40'), item('b', 'N10')], 'PARTDONE')).toEqual({ kind: 'too_late', fmsStatus: 'PARTDONE', cancelledItems: ['a'] });
  });
});

describe('outcomeOfUnansweredCancel', () => {
  it('ends on a status that shows the cancel landed or came too late, and sends again while FMS still holds the request open', () => {
    expect(outcomeOfUnansweredCancel('CANCEL')).toBe('cancelled_in_fms');
    expect(outcomeOfUnansweredCancel('WORKING')).toBe('too_late');
    expect(outcomeOfUnansweredCancel('PARTDONE')).toBe('too_late');
    expect(outcomeOfUnansweredCancel(null)).toBe('rejected_by_fms');
    expect(outcomeOfUnansweredCancel('ORDER')).toBeNull();
    expect(outcomeOfUnansweredCancel('SHORTAGE')).toBeNull();
  });
});

describe('outcomeOfRefusedCancel', () => {
  it('reads the status back: past ORDER is too late, CANCEL is cancelled, else refused', () => {
    expect(outcomeOfRefusedCancel('WORKING')).toBe('too_late');
    expect(outcomeOfRefusedCancel('DONE')).toBe('too_late');
    expect(outcomeOfRefusedCancel('CANCEL')).toBe('cancelled_in_fms');
    expect(outcomeOfRefusedCancel('ORDER')).toBe('rejected_by_fms');
    expect(outcomeOfRefusedCancel(null)).toBe('rejected_by_fms');
  });
});

describe('cancellationAction', () => {
  it('names what a person must do for flagged outcomes only', () => {
    expect(cancellationAction('too_late', 'WORKING')).toMatch(/^cancelled_after_shipment_started: .*stop the parcel/);
    expect(cancellationAction('too_late', 'DONE')).toMatch(/expect a return/);
    expect(cancellationAction('held', 'ORDER')).toMatch(/^partial_cancel_held/);
    expect(cancellationAction('cancelled_in_fms', 'CANCEL')).toBeNull();
    expect(cancellationAction('pending', null)).toBeNull();
  });
});
