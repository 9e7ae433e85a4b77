import type { OrderItem, StoredOrder } from '../../src/domain/order.js';

/** Builds Cafe24-shaped stored orders for collection tests, with made-up personal data. */
export function storedItem(orderId: string, n: number, overrides: Partial<OrderItem> = {}): OrderItem {
  return {
    orderItemCode: `${orderId}-${String(n).padStart(2, '0')}`,
    variantCode: `P0000${n}A000A`,
    productNo: n,
    productName: `상품 ${n}`,
    optionValue: null,
    optionType: 'T',
    quantity: 1,
    status: 'N10',
    bundle: null,
    hasOpenClaim: false,
    ...overrides,
  };
}

export function storedOrder(orderId: string, paidAt: string | null, items: OrderItem[], overrides: Partial<StoredOrder> = {}): StoredOrder {
  return {
    orderId,
    shopNo: 1,
    paid: paidAt !== null,
    canceled: 'F',
    orderedAt: paidAt ?? '2026-12-01T04:00:00.000Z',
    paidAt,
    items,
    receiver: { name: '홍길동', phone: null, cellphone: '010-1234-5678', zipcode: '04524', address1: '서울특별시 중구 세종대로 110', address2: '3층', shippingMessage: '부재 시 경비실' },
    buyer: { name: '홍길동', phone: null, cellphone: '010-1234-5678' },
    ...overrides,
  };
}
