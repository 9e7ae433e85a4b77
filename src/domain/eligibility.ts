import { collectionWindow, latestCollectablePaymentAt, linkStartInstant, type CollectionRules } from './collection-window.js';
import type { OrderItemSummary, OrderSummary } from './order-summary.js';

/** Why a fetched item is not collected at this slot. */
export type NotEligibleReason =
  | 'unpaid'
  | 'cancelled_or_claimed'
  | 'before_start'
  | 'outside_range'
  | 'too_recent'
  | 'wrong_status';

export type ItemEligibility =
  | { orderItemCode: string; eligible: true }
  | { orderItemCode: string; eligible: false; reason: NotEligibleReason };

export interface OrderSelection {
  order: OrderSummary;
  items: ItemEligibility[];
}

/** Cafe24 item status families of cancellation (C), return (R) and exchange (E). */
const claimStatus = /^[CRE]\d\d$/;

function itemReason(order: OrderSummary, item: OrderItemSummary, rules: CollectionRules, slotAt: string): NotEligibleReason | null {
  if (!order.paid || order.paidAt === null) return 'unpaid';
  if (order.canceled === 'T' || item.hasOpenClaim || claimStatus.test(item.status)) return 'cancelled_or_claimed';
  const paidAt = new Date(order.paidAt).getTime();
  if (paidAt < linkStartInstant(rules.linkStartDate).getTime()) return 'before_start';
  if (paidAt < new Date(collectionWindow(rules, slotAt).from).getTime()) return 'outside_range';
  if (paidAt > latestCollectablePaymentAt(rules.minutesAfterPayment, slotAt).getTime()) return 'too_recent';
  if (item.status !== rules.collectOrderStatus) return 'wrong_status';
  return null;
}

/**
 * Decides for every item of every order whether this slot collects it. An item is eligible when
 * its order is paid, it is not cancelled or under a claim, it was paid on or after the link start
 * date, inside the collection range, at or before slot − minutes after payment, and it has the
 * configured status. The first failing rule, in that order, is the reason.
 */
export function selectItems(orders: readonly OrderSummary[], rules: CollectionRules, slotAt: string): OrderSelection[] {
  return orders.map((order) => ({
    order,
    items: order.items.map((item): ItemEligibility => {
      const reason = itemReason(order, item, rules, slotAt);
      return reason === null ? { orderItemCode: item.orderItemCode, eligible: true } : { orderItemCode: item.orderItemCode, eligible: false, reason };
    }),
  }));
}

/** Reasons that say the order itself changed (not the clock or the window). */
const changedOrderReasons: ReadonlySet<NotEligibleReason> = new Set(['unpaid', 'cancelled_or_claimed', 'wrong_status']);

/**
 * Orders none of whose items can be collected because the order itself changed (cancelled,
 * claimed, moved to another status). A held unlinked order among them has nothing left to link.
 * Orders merely before the window are left to the outside_range rule.
 */
export function changedOrderIds(selections: readonly OrderSelection[]): string[] {
  return selections
    .filter(({ items }) => items.length > 0 && items.every((i) => !i.eligible && changedOrderReasons.has(i.reason)))
    .map(({ order }) => order.orderId);
}

/** The orders with at least one eligible item, reduced to those items. */
export function eligibleOrders(selections: readonly OrderSelection[]): OrderSummary[] {
  return selections.flatMap(({ order, items }) => {
    const eligible = new Set(items.filter((i) => i.eligible).map((i) => i.orderItemCode));
    return eligible.size === 0 ? [] : [{ ...order, items: order.items.filter((i) => eligible.has(i.orderItemCode)) }];
  });
}
