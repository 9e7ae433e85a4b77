import type { OrderItemSummary, OrderSummary } from '../../src/domain/order-summary.js';

/** Builders for compact orders in domain unit tests (no personal data involved). */
export function item(code: string, overrides: Partial<OrderItemSummary> = {}): OrderItemSummary {
  return { orderItemCode: code, variantCode: `V-${code}`, optionType: 'T', quantity: 1, status: 'N10', hasOpenClaim: false, bundleComponents: null, ...overrides };
}

export function order(orderId: string, items: OrderItemSummary[], overrides: Partial<OrderSummary> = {}): OrderSummary {
  return { orderId, shopNo: 1, paid: true, canceled: 'F', paidAt: '2026-12-01T05:00:00.000Z', items, ...overrides };
}
