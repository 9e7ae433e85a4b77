import { z } from 'zod';

/**
 * The parts of Cafe24 responses we rely on, checked with zod. Objects are loose: Cafe24 adds
 * fields over time and we must not break on them. Nullable/optional where the reference shows
 * either, so a real mall's variations pass.
 */

const text = z.string().nullish();
/** Numbers and codes arrive as numbers or as text; read as text. */
const codeText = z.union([z.string(), z.number()]).transform(String);
/** Text or a number as text; anything else, empty text included, reads as null instead of failing the page. */
const optionalText = z.unknown().optional().transform((value): string | null => (typeof value === 'number' ? String(value) : typeof value === 'string' && value !== '' ? value : null));

/**
 * A T/F-style flag read in its known forms (also true/false); left out or null reads as undefined,
 * any other value as null instead of failing the page. Fields we decide on map null to the safe
 * side (src/clients/cafe24/order-mapping.ts).
 */
const flag = <const V extends string>(values: readonly V[]) =>
  z.unknown().optional().transform((value): V | null | undefined => {
    if (value === undefined || value === null) return undefined;
    const upper = typeof value === 'string' ? value.trim().toUpperCase() : value === true ? 'T' : value === false ? 'F' : null;
    return upper !== null && (values as readonly string[]).includes(upper) ? (upper as V) : null;
  });
const tf = flag(['T', 'F']);

export const orderItemSchema = z.looseObject({
  order_item_code: codeText,
  variant_code: text,
  product_no: z.coerce.number().int(),
  product_name: z.string().nullish(),
  option_value: text,
  option_type: z.string().nullish(),
  quantity: z.coerce.number().int(),
  order_status: codeText,
  claim_code: text,
  /** Filled once the item ships: its main invoice and the shipment it belongs to. Read leniently (empty or odd → null): collection never needs them. */
  tracking_no: optionalText,
  shipping_code: optionalText,
  product_bundle: tf.nullish(),
  product_bundle_type: z.string().nullish(),
  product_bundle_list: z
    .array(z.looseObject({ variant_code: codeText, quantity: z.coerce.number().int() }))
    .nullish(),
});

export const receiverSchema = z.looseObject({
  name: z.string().nullish(),
  phone: text,
  cellphone: text,
  zipcode: text,
  address1: text,
  address2: text,
  shipping_message: text,
});

export const buyerSchema = z.looseObject({ name: z.string().nullish(), phone: text, cellphone: text });

export const orderSchema = z.looseObject({
  shop_no: z.coerce.number().int(),
  order_id: codeText,
  /** T paid, F not, M partly; an unknown value reads as null (not paid: the order waits, nothing is sent). */
  paid: flag(['T', 'F', 'M']),
  /** T whole order, M partly, F none (also when left out); an unknown value reads as null (treated as cancelled: nothing is sent). */
  canceled: flag(['T', 'F', 'M']),
  order_date: z.string(),
  payment_date: z.string().nullish(),
  items: z.array(orderItemSchema).optional(),
  receivers: z.array(receiverSchema).optional(),
  buyer: buyerSchema.nullish(),
});
export type Cafe24Order = z.infer<typeof orderSchema>;

export const ordersResponse = z.looseObject({ orders: z.array(orderSchema) });
export const countResponse = z.looseObject({ count: z.coerce.number().int().min(0) });

export const variantSchema = z.looseObject({
  variant_code: z.string(),
  options: z.array(z.looseObject({ name: z.string(), value: z.string() })).nullish(),
  custom_variant_code: text,
  display: tf.nullish(),
  selling: tf.nullish(),
});
export type Cafe24Variant = z.infer<typeof variantSchema>;

export const productSchema = z.looseObject({
  shop_no: z.coerce.number().int(),
  product_no: z.coerce.number().int(),
  product_code: z.string(),
  custom_product_code: text,
  product_name: z.string(),
  display: tf,
  selling: tf,
  has_option: tf.nullish(),
  option_type: z.string().nullish(),
  product_bundle: tf.nullish(),
  variants: z.array(variantSchema).optional(),
});
export type Cafe24Product = z.infer<typeof productSchema>;

export const productsResponse = z.looseObject({ products: z.array(productSchema) });
export const variantsResponse = z.looseObject({ variants: z.array(variantSchema) });

export const shopSchema = z.looseObject({
  shop_no: z.coerce.number().int(),
  default: tf.nullish(),
  shop_name: z.string(),
  language_code: text,
  currency_code: text,
  base_domain: text,
  active: tf.nullish(),
});
export type Cafe24Shop = z.infer<typeof shopSchema>;
export const shopsResponse = z.looseObject({ shops: z.array(shopSchema) });

export const carrierSchema = z.looseObject({
  carrier_id: z.coerce.number().int(),
  shipping_carrier_code: codeText,
  shipping_carrier: z.string(),
  default_shipping_carrier: tf.nullish(),
});
export type Cafe24Carrier = z.infer<typeof carrierSchema>;
export const carriersResponse = z.looseObject({ carriers: z.array(carrierSchema) });

export const orderUpdatesResponse = z.looseObject({ orders: z.array(z.unknown()) });
/** A shipment as POST /shipments echoes it and GET /orders/{order_id}/shipments lists it. */
export const shipmentSchema = z.looseObject({
  shop_no: z.coerce.number().int().nullish(),
  shipping_code: z.string(),
  order_id: z.string().nullish(),
  tracking_no: z.coerce.string().nullish(),
  shipping_company_code: z.coerce.string().nullish(),
  status: z.string().nullish(),
  carrier_id: z.coerce.number().int().nullish(),
  tracking_no_updated_date: z.string().nullish(),
});
export const shipmentsResponse = z.looseObject({ shipments: z.array(z.unknown()) });

export const tokenResponse = z.looseObject({
  access_token: z.string().min(1),
  expires_at: z.string(),
  refresh_token: z.string().min(1),
  refresh_token_expires_at: z.string(),
  mall_id: z.string(),
  scopes: z.array(z.string()).nullish(),
  issued_at: z.string().nullish(),
});
