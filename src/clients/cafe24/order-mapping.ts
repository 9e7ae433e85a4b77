import { readKstWallClock } from '../../domain/kst.js';
import type { OptionType, OrderItem, OrderParty, OrderReceiver, StoredOrder } from '../../domain/order.js';
import type { Cafe24Order } from './schemas.js';

/** Cafe24's order JSON (`embed=items,receivers,buyer`) → the order shape this service stores. */

const optionTypes = new Set<OptionType>(['T', 'C', 'S', 'F', 'E']);

/** Cafe24's `option_type` (orders and products); anything else is null. */
export const optionTypeOf = (raw: string | null | undefined): OptionType | null => (raw && optionTypes.has(raw as OptionType) ? (raw as OptionType) : null);

/** Cafe24 writes instants with +09:00, and some item dates without an offset (KST wall-clock). */
function instant(value: string): string {
  return readKstWallClock(value.includes('T') ? value : value.replace(' ', 'T')).toISOString();
}

const orNull = (value: string | null | undefined) => (value === undefined || value === null || value === '' ? null : value);

function item(raw: NonNullable<Cafe24Order['items']>[number]): OrderItem {
  const bundleKind = raw.product_bundle_type === 'S' ? 'S' : 'C';
  return {
    orderItemCode: raw.order_item_code,
    variantCode: orNull(raw.variant_code),
    productNo: raw.product_no,
    productName: raw.product_name ?? '',
    optionValue: orNull(raw.option_value),
    optionType: optionTypeOf(raw.option_type),
    quantity: raw.quantity,
    status: raw.order_status,
    bundle:
      raw.product_bundle === 'T' && raw.product_bundle_list?.length
        ? { kind: bundleKind, components: raw.product_bundle_list.map((c) => ({ variantCode: c.variant_code, quantity: c.quantity })) }
        : null,
    hasOpenClaim: Boolean(orNull(raw.claim_code)),
  };
}

function party(raw: { name?: string | null; phone?: string | null; cellphone?: string | null }): OrderParty {
  return { name: raw.name ?? '', phone: orNull(raw.phone), cellphone: orNull(raw.cellphone) };
}

function receiver(raw: NonNullable<Cafe24Order['receivers']>[number]): OrderReceiver {
  return {
    ...party(raw),
    zipcode: orNull(raw.zipcode),
    address1: orNull(raw.address1),
    address2: orNull(raw.address2),
    shippingMessage: orNull(raw.shipping_message),
  };
}

export function toStoredOrder(raw: Cafe24Order): StoredOrder {
  const firstReceiver = raw.receivers?.[0];
  return {
    orderId: raw.order_id,
    shopNo: raw.shop_no,
    paid: raw.paid === 'T',
    canceled: raw.canceled ?? 'F',
    orderedAt: instant(raw.order_date),
    paidAt: raw.payment_date ? instant(raw.payment_date) : null,
    items: (raw.items ?? []).map(item),
    receiver: firstReceiver ? receiver(firstReceiver) : null,
    buyer: raw.buyer ? party(raw.buyer) : null,
  };
}
