import type { NotEligibleReason, OrderSelection } from './eligibility.js';
import type { ResolvedOrder, UnlinkedReason } from './link-resolution.js';
import type { OrderSummary } from './order-summary.js';

/** What became of one fetched order item in one run. */
export type ItemOutcome =
  | 'requested'
  | 'already_requested'
  /** FMS refused the request (a business error, not a transport failure). */
  | 'rejected'
  | `unlinked:${UnlinkedReason}`
  | `not_eligible:${NotEligibleReason}`;

/** Outcomes of an item that an FMS shipment request covers. */
export const requestedItemOutcomes: readonly ItemOutcome[] = ['requested', 'already_requested'];

export interface ItemOutcomeRecord {
  orderId: string;
  shopNo: number;
  orderItemCode: string;
  outcome: ItemOutcome;
}

/** Counts per outcome; every fetched item is in exactly one. */
export type OutcomeCounts = Partial<Record<ItemOutcome, number>>;

export function countOutcomes(records: readonly { outcome: ItemOutcome }[], into: OutcomeCounts = {}): OutcomeCounts {
  const counts: OutcomeCounts = { ...into };
  for (const { outcome } of records) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}

export function addCounts(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
  const sum: OutcomeCounts = { ...a };
  for (const [outcome, n] of Object.entries(b) as [ItemOutcome, number][]) sum[outcome] = (sum[outcome] ?? 0) + n;
  return sum;
}

export const totalCounted = (counts: OutcomeCounts) => Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);

export class AccountingMismatchError extends Error {
  constructor(readonly itemsFetched: number, readonly itemsCounted: number) {
    super(`accounting mismatch: ${itemsFetched} items fetched but ${itemsCounted} counted`);
    this.name = 'AccountingMismatchError';
  }
}

/** The run's books must balance: one outcome per fetched item, no more, no fewer. */
export function assertAccounted(counts: OutcomeCounts, itemsFetched: number): void {
  const counted = totalCounted(counts);
  if (counted !== itemsFetched) throw new AccountingMismatchError(itemsFetched, counted);
}

/** One record per item of an order, all with the same outcome. */
export function orderItemOutcomes(order: { orderId: string; shopNo: number; items: readonly { orderItemCode: string }[] }, outcome: ItemOutcome): ItemOutcomeRecord[] {
  return order.items.map(({ orderItemCode }) => ({ orderId: order.orderId, shopNo: order.shopNo, orderItemCode, outcome }));
}

/**
 * Outcomes decided before any request: not eligible items, unlinked orders' items, and the eligible
 * items of orders that already carry an FMS slip (`alreadyRequested`; they are not requested again).
 */
export function outcomesBeforeRequest(
  selections: readonly OrderSelection[],
  resolved: readonly ResolvedOrder[],
  alreadyRequested: readonly OrderSummary[],
): ItemOutcomeRecord[] {
  const notEligible = selections.flatMap(({ order, items }) =>
    items.flatMap((i) => (i.eligible ? [] : [{ orderId: order.orderId, shopNo: order.shopNo, orderItemCode: i.orderItemCode, outcome: `not_eligible:${i.reason}` as const }])),
  );
  const unlinked = resolved.flatMap((o) =>
    o.kind === 'unlinked' ? o.items.map((i) => ({ orderId: o.orderId, shopNo: o.shopNo, orderItemCode: i.orderItemCode, outcome: `unlinked:${i.reason}` as const })) : [],
  );
  const requestedBefore = alreadyRequested.flatMap((o) => orderItemOutcomes(o, 'already_requested'));
  return [...notEligible, ...unlinked, ...requestedBefore];
}
