import type { FmsProgressStatus } from './fms-progress.js';

/**
 * What to do about a shipment request whose Cafe24 order may have been cancelled or claimed after
 * we requested it (issue 12). Pure: the cancellation sweep decides with it, tests pin it.
 *
 * Item states (Cafe24 order_status, §4.5 of the Cafe24 reference):
 * - standing: anything that is not a cancel/return/exchange code, and the rejected ones (C11, R11,
 *   E11): the seller refused the claim, so the item ships;
 * - awaiting the seller: C00 / R00 / E00 — the buyer asked, the seller has not decided. We wait
 *   (the request is left alone and looked at again next slot): acting now would cancel an order the
 *   seller may still reject, and a rejected request must leave the FMS request alone;
 * - cancelled: every other C/R/E code, or an open claim on an item Cafe24 still shows as normal.
 *
 * Policy for a partial cancel (some requested items cancelled, others standing): hold the order for a
 * person (`held`, reason `partial_cancel_held`). FMS is not touched: cancelling the whole request
 * would drop goods the buyer still wants, and re-requesting the rest needs a second ordNo that every
 * later slot must agree on — a person decides (cancel in FMS and ship the rest by hand, or let it
 * ship and expect a return).
 */

export type CancellationItemState = 'standing' | 'awaiting_seller' | 'cancelled';

export interface Cafe24ItemState {
  orderItemCode: string;
  /** Cafe24 order_status, e.g. N10, C00, C40, R10. */
  status: string;
  hasOpenClaim: boolean;
}

const claimStatus = /^[CRE]\d\d$/;
const rejectedClaims = new Set(['C11', 'R11', 'E11']);
const requestedClaims = new Set(['C00', 'R00', 'E00']);

export function cancellationItemState(item: Pick<Cafe24ItemState, 'status' | 'hasOpenClaim'>): CancellationItemState {
  if (rejectedClaims.has(item.status)) return 'standing';
  if (requestedClaims.has(item.status)) return 'awaiting_seller';
  if (claimStatus.test(item.status)) return 'cancelled';
  return item.hasOpenClaim ? 'awaiting_seller' : 'standing';
}

export type CancellationDecision =
  /** Every requested item stands (or a claim was rejected): leave the request alone. */
  | { kind: 'none' }
  /** A claim awaits the seller's decision: look again at the next slot. */
  | { kind: 'wait' }
  /** The whole requested order is cancelled and FMS has not started: cancel the FMS request. */
  | { kind: 'cancel_in_fms' }
  /** FMS already shows the request cancelled (by a person, or an earlier cancel of ours): record it. */
  | { kind: 'already_cancelled' }
  /** Some items cancelled, others stand or await the seller: a person decides. */
  | { kind: 'hold_partial'; cancelledItems: string[] }
  /** FMS is picking or has shipped: too late to cancel; a person must stop the parcel or expect a return. */
  | { kind: 'too_late'; fmsStatus: 'WORKING' | 'DONE' | 'PARTDONE'; cancelledItems: string[] };

/** FMS states in which a cancel can still stop the parcel (SHORTAGE waits for stock, like ORDER). */
const cancellableInFms = new Set<FmsProgressStatus | null>([null, 'ORDER', 'SHORTAGE', 'UNKNOWN']);

/**
 * The decision for one request from its requested items' Cafe24 states (items Cafe24 no longer
 * lists are not there: an empty list leaves the request alone) and the FMS status last seen (null:
 * not read yet). UNKNOWN FMS statuses are treated as cancellable: FMS itself refuses a cancel past
 * ORDER, and the refusal is read back and recorded as too late.
 */
export function decideCancellation(items: readonly Cafe24ItemState[], fmsStatus: FmsProgressStatus | null): CancellationDecision {
  if (items.length === 0) return { kind: 'none' };
  const states = items.map((item) => ({ code: item.orderItemCode, state: cancellationItemState(item) }));
  const cancelledItems = states.filter((s) => s.state === 'cancelled').map((s) => s.code);
  if (cancelledItems.length === 0) return states.some((s) => s.state === 'awaiting_seller') ? { kind: 'wait' } : { kind: 'none' };
  if (fmsStatus === 'CANCEL') return { kind: 'already_cancelled' };
  if (fmsStarted(fmsStatus)) return { kind: 'too_late', fmsStatus, cancelledItems };
  if (cancelledItems.length < items.length) return { kind: 'hold_partial', cancelledItems };
  return cancellableInFms.has(fmsStatus) ? { kind: 'cancel_in_fms' } : { kind: 'none' };
}

/** Where a recorded cancellation ended; `pending` until FMS answered (or the answer was read back). */
export const cancellationOutcomes = ['pending', 'cancelled_in_fms', 'too_late', 'rejected_by_fms', 'held'] as const;
export type CancellationOutcome = (typeof cancellationOutcomes)[number];

/** Outcomes after which nothing more is done about a request (pending and held are looked at again). */
export const finalCancellationOutcomes: readonly CancellationOutcome[] = ['cancelled_in_fms', 'too_late', 'rejected_by_fms'];

/** What a person must do about a cancellation, by outcome (shown in the API). */
export function cancellationAction(outcome: CancellationOutcome, fmsStatus: FmsProgressStatus | null): string | null {
  switch (outcome) {
    case 'too_late':
      return fmsStatus === 'WORKING'
        ? 'cancelled_after_shipment_started: FMS is picking the order; ask the warehouse to stop the parcel, else expect a return'
        : 'cancelled_after_shipment_started: FMS has shipped the order; stop the parcel with the carrier or expect a return';
    case 'held':
      return 'partial_cancel_held: some items were cancelled on Cafe24 and others stand; cancel the FMS request and ship the rest by hand, or let it ship and expect a return';
    case 'rejected_by_fms':
      return 'FMS refused the cancel; check the request in FMS and stop the parcel by hand';
    default:
      return null;
  }
}

const fmsStarted = (status: FmsProgressStatus | null): status is 'WORKING' | 'DONE' | 'PARTDONE' => status === 'WORKING' || status === 'DONE' || status === 'PARTDONE';

/**
 * What the sweep does about an FMS refusal of a cancel, from the status read back right after:
 * past ORDER it is too late, already cancelled counts as cancelled, anything else is a refusal.
 */
export function outcomeOfRefusedCancel(statusReadBack: FmsProgressStatus | null): Exclude<CancellationOutcome, 'pending' | 'held'> {
  if (statusReadBack === 'CANCEL') return 'cancelled_in_fms';
  if (fmsStarted(statusReadBack)) return 'too_late';
  return 'rejected_by_fms';
}

/**
 * After a cancel whose answer was lost, from the status read back: cancelled, too late, or gone
 * from FMS's list end it; still cancellable (null result) means the cancel never landed — send it.
 */
export function outcomeOfUnansweredCancel(statusReadBack: FmsProgressStatus | null): Exclude<CancellationOutcome, 'pending' | 'held'> | null {
  if (statusReadBack === null) return 'rejected_by_fms';
  return statusReadBack === 'CANCEL' || fmsStarted(statusReadBack) ? outcomeOfRefusedCancel(statusReadBack) : null;
}
