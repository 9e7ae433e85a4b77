import type { OptionType, StoredOrder } from './order.js';

/**
 * What the collection workflow carries of an order: ids, codes, statuses, times and quantities.
 * No names, phones or addresses — the full StoredOrder stays in PostgreSQL.
 */
export interface OrderItemSummary {
  orderItemCode: string;
  variantCode: string | null;
  optionType: OptionType | null;
  quantity: number;
  status: string;
  hasOpenClaim: boolean;
  /** Variant codes and units per bundle unit of a set product's components. */
  bundleComponents: { variantCode: string; quantity: number }[] | null;
}

export interface OrderSummary {
  orderId: string;
  shopNo: number;
  paid: boolean;
  canceled: 'T' | 'M' | 'F';
  paidAt: string | null;
  items: OrderItemSummary[];
}

export function summarizeOrder(order: StoredOrder): OrderSummary {
  return {
    orderId: order.orderId,
    shopNo: order.shopNo,
    paid: order.paid,
    canceled: order.canceled,
    paidAt: order.paidAt,
    items: order.items.map((item) => ({
      orderItemCode: item.orderItemCode,
      variantCode: item.variantCode,
      optionType: item.optionType,
      quantity: item.quantity,
      status: item.status,
      hasOpenClaim: item.hasOpenClaim,
      bundleComponents: item.bundle ? item.bundle.components.map((c) => ({ variantCode: c.variantCode, quantity: c.quantity })) : null,
    })),
  };
}
