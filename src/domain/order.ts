/**
 * A Cafe24 order as this service stores it: the fields fulfilment needs, normalised from the
 * Admin API's order object with `embed=items,receivers,buyer`. The Cafe24 client maps API JSON
 * into this shape; the FMS request builder and the eligibility rules read only this shape.
 * Contains personal data (names, phones, addresses): it lives in PostgreSQL, never in workflow
 * history or logs.
 */

/** Item-level option composition: T 조합형 (C/S in product terms), F 독립형, E 상품 연동형 (cannot be linked). */
export type OptionType = 'T' | 'C' | 'S' | 'F' | 'E';

export interface BundleComponent {
  variantCode: string;
  /** Units of this component in one unit of the bundle. */
  quantity: number;
}

export interface OrderItem {
  /** `{order_id}-NN`, unique within a mall. */
  orderItemCode: string;
  /** 품목코드, the key products are linked by; null when Cafe24 sent none. */
  variantCode: string | null;
  productNo: number;
  productName: string;
  optionValue: string | null;
  optionType: OptionType | null;
  quantity: number;
  /** Item-level order status code, e.g. N10 상품준비중, N20 배송준비중, C00 취소신청. */
  status: string;
  /** Set products (세트상품): the components to ship instead of the item itself. */
  bundle: { kind: 'C' | 'S'; components: BundleComponent[] } | null;
  /** A claim (cancel/return/exchange) is open on the item. */
  hasOpenClaim: boolean;
}

export interface OrderParty {
  name: string;
  phone: string | null;
  cellphone: string | null;
}

export interface OrderReceiver extends OrderParty {
  zipcode: string | null;
  address1: string | null;
  address2: string | null;
  /** 배송 메세지, the courier note. */
  shippingMessage: string | null;
}

export interface StoredOrder {
  orderId: string;
  shopNo: number;
  /** `paid === 'T'` in Cafe24. */
  paid: boolean;
  /** Cafe24 `canceled`: T whole order, M partially, F none. */
  canceled: 'T' | 'M' | 'F';
  /** ISO 8601 instants. */
  orderedAt: string;
  paidAt: string | null;
  items: OrderItem[];
  receiver: OrderReceiver | null;
  buyer: OrderParty | null;
}
