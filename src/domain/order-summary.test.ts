import { describe, expect, it } from 'vitest';
import type { StoredOrder } from './order.js';
import { summarizeOrder } from './order-summary.js';

describe('summarizeOrder', () => {
  it('keeps ids, codes, statuses, times and quantities, and drops every personal field', () => {
    const stored: StoredOrder = {
      orderId: '20261201-0000001',
      shopNo: 2,
      paid: true,
      canceled: 'F',
      orderedAt: '2026-12-01T00:00:00.000Z',
      paidAt: '2026-12-01T00:01:00.000Z',
      items: [
        {
          orderItemCode: '20261201-0000001-01',
          variantCode: 'P000000A000A',
          productNo: 10,
          productName: '티셔츠',
          optionValue: '색상=검정',
          optionType: 'T',
          quantity: 2,
          status: 'N10',
          bundle: { kind: 'C', components: [{ variantCode: 'P000000B000A', quantity: 1 }] },
          hasOpenClaim: false,
        },
      ],
      receiver: { name: '김수령', phone: '02-000-0000', cellphone: '010-0000-0000', zipcode: '04524', address1: '서울 중구', address2: '1층', shippingMessage: '문 앞' },
      buyer: { name: '이구매', phone: null, cellphone: '010-1111-1111' },
    };
    const summary = summarizeOrder(stored);
    expect(summary).toEqual({
      orderId: '20261201-0000001',
      shopNo: 2,
      paid: true,
      canceled: 'F',
      paidAt: '2026-12-01T00:01:00.000Z',
      items: [
        { orderItemCode: '20261201-0000001-01', variantCode: 'P000000A000A', optionType: 'T', quantity: 2, status: 'N10', hasOpenClaim: false, bundleComponents: [{ variantCode: 'P000000B000A', quantity: 1 }] },
      ],
    });
    const text = JSON.stringify(summary);
    for (const personal of ['김수령', '이구매', '010-', '서울', '문 앞', '티셔츠']) expect(text).not.toContain(personal);
  });
});
