import { toKstIso } from '../../domain/kst.js';
import type { SimProduct } from './catalog.js';
import { addresses, familyNames, givenNames, shippingMessages } from './korean-data.js';
import type { SeededRandom } from './random.js';

/** Simulated Cafe24 orders in the Admin API's JSON shape (`embed=items,receivers,buyer`). */

export interface SimOrderItem {
  shop_no: number;
  item_no: number;
  order_item_code: string;
  variant_code: string;
  product_no: number;
  product_code: string;
  custom_product_code: string;
  custom_variant_code: string | null;
  product_name: string;
  product_name_default: string;
  option_id: string;
  option_value: string;
  option_type: 'T' | 'F' | 'E' | null;
  options: { option_code: string; option_name: string; option_value: { option_text: string; value_no: number } }[];
  quantity: number;
  product_price: string;
  option_price: string;
  payment_amount: string | null;
  order_status: string;
  status_code: string;
  status_text: string;
  claim_code: string | null;
  claim_type: string | null;
  shipping_code: string | null;
  tracking_no: string | null;
  shipping_company_code: string | null;
  shipping_company_name: string | null;
  product_bundle: 'T' | 'F';
  product_bundle_type: 'C' | 'S' | null;
  product_bundle_no: number | null;
  product_bundle_list: { product_no: number; product_code: string; variant_code: string; quantity: number; product_name: string }[] | null;
  bundled_shipping_type: 'N' | 'C';
  gift: 'T' | 'F';
  ordered_date: string;
  shipped_date: string | null;
  cancel_date: string | null;
}

/** A registered shipment as GET /orders/{order_id}/shipments lists it. */
export interface SimShipment {
  shop_no: number;
  shipping_code: string;
  order_id: string;
  tracking_no: string;
  tracking_no_updated_date: string;
  shipping_company_code: string;
  status: 'standby' | 'shipping';
  order_item_code: string[];
  carrier_id: number | null;
  status_additional_info: string | null;
}

export interface SimOrder {
  shop_no: number;
  currency: string;
  order_id: string;
  market_id: string;
  market_order_no: string | null;
  order_place_id: string;
  order_place_name: string;
  member_id: string;
  member_email: string;
  billing_name: string;
  paid: 'T' | 'F' | 'M';
  canceled: 'T' | 'F' | 'M';
  order_date: string;
  payment_date: string | null;
  cancel_date: string | null;
  payment_method: string[];
  payment_amount: string;
  actual_order_amount: { order_price_amount: string; shipping_fee: string; coupon_discount_price: string; payment_amount: string };
  shipping_type: 'A' | 'B';
  shipping_status: 'F' | 'M' | 'T' | 'W' | 'X';
  store_pickup: 'T' | 'F';
  multiple_addresses: 'T' | 'F';
  show_shipping_address: 'T' | 'F';
  items: SimOrderItem[];
  receivers: Record<string, unknown>[];
  buyer: Record<string, unknown>;
}

export const personName = (random: SeededRandom) => `${random.pick(familyNames)}${random.pick(givenNames)}`;
const cellphone = (random: SeededRandom) => `010-${random.int(1000, 9999)}-${random.int(1000, 9999)}`;

export interface OrderSpec {
  orderId: string;
  shopNo: number;
  paidAt: Date;
  /** Status of every item (default N10 상품준비중). */
  status?: string;
  /** Fixed lines; random ones from the catalog otherwise. */
  lines?: { variantCode: string; quantity: number }[];
}

function itemOptionType(product: SimProduct): SimOrderItem['option_type'] {
  if (product.option_type === null) return null;
  return product.option_type === 'C' || product.option_type === 'S' ? 'T' : product.option_type;
}

function orderItem(orderId: string, shopNo: number, itemNo: number, product: SimProduct, variantIndex: number, quantity: number, status: string, orderedAt: string, random: SeededRandom): SimOrderItem {
  const variant = product.variants[Math.min(variantIndex, product.variants.length - 1)]!;
  const isLinkedOptions = product.option_type === 'E';
  // 상품 연동형 lines carry the generic variant and describe the choice in options[] only.
  const options = isLinkedOptions
    ? [{ option_code: 'O000000A', option_name: '색상', option_value: { option_text: random.pick(['블랙', '화이트', '민트']), value_no: random.int(1, 3) } }]
    : [];
  const optionValue = isLinkedOptions
    ? options.map((o) => `${o.option_name}=${o.option_value.option_text}`).join(', ')
    : variant.options.map((o) => `${o.name}=${o.value}`).join(', ');
  return {
    shop_no: shopNo,
    item_no: itemNo,
    order_item_code: `${orderId}-${String(itemNo).padStart(2, '0')}`,
    variant_code: variant.variant_code,
    product_no: product.product_no,
    product_code: product.product_code,
    custom_product_code: product.custom_product_code,
    custom_variant_code: variant.custom_variant_code || null,
    product_name: product.product_name,
    product_name_default: product.product_name,
    option_id: variant.variant_code.slice(8),
    option_value: optionValue,
    option_type: itemOptionType(product),
    options,
    quantity,
    product_price: product.price,
    option_price: '0.00',
    payment_amount: null,
    order_status: status,
    status_code: 'N1',
    status_text: '정상',
    claim_code: null,
    claim_type: null,
    shipping_code: status === 'N20' ? `D-${orderId}-00` : null,
    tracking_no: null,
    shipping_company_code: null,
    shipping_company_name: null,
    product_bundle: product.product_bundle,
    product_bundle_type: product.product_bundle === 'T' ? product.set_product_type : null,
    product_bundle_no: product.product_bundle === 'T' ? product.product_no : null,
    product_bundle_list:
      product.product_bundle === 'T'
        ? product.bundle_components.map((c) => ({ ...c, product_name: `구성상품 ${c.product_no}` }))
        : null,
    bundled_shipping_type: 'N',
    gift: 'F',
    ordered_date: orderedAt,
    shipped_date: null,
    cancel_date: null,
  };
}

export function buildOrder(spec: OrderSpec, catalog: SimProduct[], random: SeededRandom): SimOrder {
  const status = spec.status ?? 'N10';
  const orderedAt = new Date(spec.paidAt.getTime() - random.int(10, 600) * 1000);
  const orderedIso = toKstIso(orderedAt);
  const byVariant = new Map(catalog.flatMap((p) => p.variants.map((v, index) => [v.variant_code, { product: p, index }] as const)));
  const lines = spec.lines
    ? spec.lines.map((line) => {
        const found = byVariant.get(line.variantCode);
        if (!found) throw new Error(`unknown variant_code ${line.variantCode}`);
        return { ...found, quantity: line.quantity };
      })
    : Array.from({ length: random.int(1, 3) }, () => {
        const product = random.pick(catalog.filter((p) => p.selling === 'T'));
        return { product, index: random.int(0, product.variants.length - 1), quantity: random.int(1, 3) };
      });
  const items = lines.map((line, i) => orderItem(spec.orderId, spec.shopNo, i + 1, line.product, line.index, line.quantity, status, orderedIso, random));
  const total = lines.reduce((sum, line) => sum + Number.parseFloat(line.product.price) * line.quantity, 0);
  const shippingFee = total >= 50000 ? 0 : 3000;
  const buyerName = personName(random);
  const receiverName = random.chance(0.8) ? buyerName : personName(random);
  const address = random.pick(addresses);
  const memberId = `member${random.int(1000, 99999)}`;
  const buyerPhone = cellphone(random);
  const amount = `${(total + shippingFee).toFixed(2)}`;
  return {
    shop_no: spec.shopNo,
    currency: spec.shopNo === 1 ? 'KRW' : 'USD',
    order_id: spec.orderId,
    market_id: 'self',
    market_order_no: null,
    order_place_id: 'cafe24',
    order_place_name: random.chance(0.6) ? '모바일웹' : 'PC쇼핑몰',
    member_id: memberId,
    member_email: `${memberId}@example.co.kr`,
    billing_name: buyerName,
    paid: 'T',
    canceled: 'F',
    order_date: orderedIso,
    payment_date: toKstIso(spec.paidAt),
    cancel_date: null,
    payment_method: [random.pick(['card', 'cash', 'tcash', 'cell'])],
    payment_amount: amount,
    actual_order_amount: { order_price_amount: total.toFixed(2), shipping_fee: shippingFee.toFixed(2), coupon_discount_price: '0.00', payment_amount: amount },
    shipping_type: 'A',
    shipping_status: 'F',
    store_pickup: 'F',
    multiple_addresses: 'F',
    show_shipping_address: 'T',
    items,
    receivers: [
      {
        shop_no: spec.shopNo,
        name: receiverName,
        name_furigana: '',
        phone: random.chance(0.3) ? `02-${random.int(100, 999)}-${random.int(1000, 9999)}` : null,
        cellphone: receiverName === buyerName ? buyerPhone : cellphone(random),
        virtual_phone_no: null,
        zipcode: address.zipcode,
        address1: address.address1,
        address2: `${address.district ? `${address.district} ` : ''}${random.int(1, 30)}층 ${random.int(101, 2505)}호`,
        address_state: '',
        address_city: '',
        address_street: '',
        address_full: `${address.address1} ${address.district}`.trim(),
        country_code: 'KOR',
        country_name: '대한민국',
        shipping_message: random.pick(shippingMessages),
        clearance_information_type: null,
        clearance_information: null,
        wished_delivery_date: null,
        wished_delivery_time: null,
        shipping_code: `D-${spec.orderId}-00`,
      },
    ],
    buyer: {
      shop_no: spec.shopNo,
      member_id: memberId,
      member_group_no: 1,
      name: buyerName,
      names_furigana: '',
      email: `${memberId}@example.co.kr`,
      phone: null,
      cellphone: buyerPhone,
      customer_notification: null,
      updated_date: null,
      user_id: null,
      user_name: null,
      company_name: null,
      company_registration_no: null,
      buyer_zipcode: address.zipcode,
      buyer_address1: address.address1,
      buyer_address2: '',
    },
  };
}
