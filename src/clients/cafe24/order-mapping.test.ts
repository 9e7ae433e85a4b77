import { describe, expect, it } from 'vitest';
import { toStoredOrder } from './order-mapping.js';
import { orderSchema } from './schemas.js';

// Shaped like the reference's examples, with fields we do not model and the variations seen there.
const apiOrder = {
  shop_no: 2,
  order_id: '20250601-0000013',
  currency: 'USD',
  some_future_field: { nested: true },
  paid: 'T',
  canceled: 'M',
  order_date: '2025-06-01T10:11:12+09:00',
  payment_date: '2025-06-01 10:20:00',
  items: [
    {
      order_item_code: '20250601-0000013-01',
      variant_code: 'P000000N000A',
      product_no: '14',
      product_name: '세트 상품',
      option_value: '',
      option_type: null,
      quantity: 2,
      order_status: 'N10',
      claim_code: null,
      product_bundle: 'T',
      product_bundle_type: 'S',
      product_bundle_list: [{ variant_code: 'P000000A000A', quantity: 1, product_no: 1 }, { variant_code: 'P000000B000B', quantity: 3 }],
      unknown_item_field: 'x',
    },
    { order_item_code: '20250601-0000013-02', variant_code: '', product_no: 15, quantity: 1, order_status: 'C00', claim_code: 'C20250601-0000001', option_type: 'E', option_value: '색상=블랙' },
  ],
  receivers: [{ name: '김민준', phone: null, cellphone: '010-1234-5678', zipcode: '06236', address1: '서울특별시 강남구 테헤란로 152', address2: '3층', shipping_message: '' }],
  buyer: { name: '김민준', cellphone: '010-1234-5678' },
};

describe('Cafe24 order → StoredOrder', () => {
  it('maps a tolerant parse of the API object into the stored shape', () => {
    const order = toStoredOrder(orderSchema.parse(apiOrder));
    expect(order).toEqual({
      orderId: '20250601-0000013',
      shopNo: 2,
      paid: true,
      canceled: 'M',
      orderedAt: '2025-06-01T01:11:12.000Z',
      paidAt: '2025-06-01T01:20:00.000Z',
      items: [
        {
          orderItemCode: '20250601-0000013-01',
          variantCode: 'P000000N000A',
          productNo: 14,
          productName: '세트 상품',
          optionValue: null,
          optionType: null,
          quantity: 2,
          status: 'N10',
          bundle: { kind: 'S', components: [{ variantCode: 'P000000A000A', quantity: 1 }, { variantCode: 'P000000B000B', quantity: 3 }] },
          hasOpenClaim: false,
        },
        {
          orderItemCode: '20250601-0000013-02',
          variantCode: null,
          productNo: 15,
          productName: '',
          optionValue: '색상=블랙',
          optionType: 'E',
          quantity: 1,
          status: 'C00',
          bundle: null,
          hasOpenClaim: true,
        },
      ],
      receiver: { name: '김민준', phone: null, cellphone: '010-1234-5678', zipcode: '06236', address1: '서울특별시 강남구 테헤란로 152', address2: '3층', shippingMessage: null },
      buyer: { name: '김민준', phone: null, cellphone: '010-1234-5678' },
    });
  });

  it('reads numbers as text, flags as booleans and dates without an offset or with a space', () => {
    const order = toStoredOrder(
      orderSchema.parse({
        ...apiOrder,
        shop_no: '2',
        paid: true,
        canceled: false,
        order_date: '2025-06-01 10:11:12',
        payment_date: '2025-06-01T10:20:00.000',
        items: [{ ...apiOrder.items[0], order_item_code: 1301, quantity: '2', product_bundle: true }],
      }),
    );
    expect(order).toMatchObject({ shopNo: 2, paid: true, canceled: 'F', orderedAt: '2025-06-01T01:11:12.000Z', paidAt: '2025-06-01T01:20:00.000Z' });
    expect(order.items[0]).toMatchObject({ orderItemCode: '1301', quantity: 2, bundle: { kind: 'S' } });
  });

  it('an unknown value of a field we decide on keeps the order from being sent instead of failing the page', () => {
    const odd = toStoredOrder(orderSchema.parse({ ...apiOrder, paid: 'P', canceled: 'X', order_date: 'yesterday', payment_date: 'soon', items: [{ ...apiOrder.items[0], product_bundle: 'maybe' }] }));
    // Not paid and cancelled: eligibility never sends it; the order date falls back to the day in its id.
    expect(odd).toMatchObject({ paid: false, canceled: 'T', paidAt: null, orderedAt: '2025-05-31T15:00:00.000Z' });
    expect(odd.items[0]!.bundle).toBeNull();
    expect(toStoredOrder(orderSchema.parse({ ...apiOrder, canceled: undefined })).canceled).toBe('F');
  });

  it('reads an item\'s invoice fields leniently: a number as text, empty or odd values as null, never a failed page', () => {
    const items = (fields: Record<string, unknown>) => orderSchema.parse({ ...apiOrder, items: [{ ...apiOrder.items[0], ...fields }] }).items![0]!;
    expect(items({ tracking_no: 601234567890, shipping_code: 'D-20250601-0000013-00' })).toMatchObject({ tracking_no: '601234567890', shipping_code: 'D-20250601-0000013-00' });
    expect(items({ tracking_no: '', shipping_code: { code: 'D-1' } })).toMatchObject({ tracking_no: null, shipping_code: null });
    expect(items({})).toMatchObject({ tracking_no: null, shipping_code: null });
  });

  it('rejects an order without the fields we rely on', () => {
    expect(orderSchema.safeParse({ ...apiOrder, order_id: undefined }).success).toBe(false);
  });
});
