import type { SimProduct } from './catalog.js';
import type { SimOrder, SimOrderItem, SimShipment } from './orders.js';
import { toKstIso } from '../../domain/kst.js';
import type { AnswerForm, SimMall } from './state.js';

/** The simulated Admin API endpoints (`/api/v2/admin/...`): pure functions of mall state and request. */

export interface AdminResponse {
  status: number;
  body: unknown;
}

const offsetInstant = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?\+09:00$/;

/** An answer body rewritten in the given form (the simulator stores the default form). */
export function inAnswerForm(body: unknown, form: AnswerForm): unknown {
  if (form.numbers === 'number' && form.dates === 'offset') return body;
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'number') return form.numbers === 'string' ? String(value) : value;
    if (typeof value === 'string' && form.dates === 'wallClock') return value.replace(offsetInstant, '$1 $2');
    if (Array.isArray(value)) return value.map(rewrite);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, rewrite(v)]));
    return value;
  };
  return rewrite(body);
}

export const cafe24Error = (status: number, message: string): AdminResponse => ({ status, body: { error: { code: status, message, more_info: {} } } });

const maxOrderLimit = 1000;
const maxOrderOffset = 15000;
const maxProductLimit = 100;
const maxProductOffset = 5000;
const maxBulkRequests = 100;
const orderEmbeds = new Set(['items', 'receivers', 'buyer', 'return', 'cancellation', 'exchange']);
const dateTypes = new Set(['order_date', 'pay_date']);
const cancelledOrReturned = /^[CR]/;

function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number | AdminResponse {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) return cafe24Error(422, `${name} must be an integer between ${min} and ${max}. (parameter.${name})`);
  return value;
}

const isError = (v: unknown): v is AdminResponse => typeof v === 'object' && v !== null && 'status' in v && 'body' in v;

/** KST day bounds of `YYYY-MM-DD` dates; the window may span at most 3 months. */
function dateWindow(query: URLSearchParams): { from: string; to: string } | AdminResponse {
  const start = query.get('start_date');
  const end = query.get('end_date');
  if (!start || !end) return cafe24Error(422, 'start_date and end_date must be used together. (parameter.start_date)');
  const datePattern = /^\d{4}-\d{2}-\d{2}$/;
  if (!datePattern.test(start) || !datePattern.test(end)) return cafe24Error(422, 'start_date/end_date must be YYYY-MM-DD. (parameter.start_date)');
  if (end < start) return cafe24Error(422, 'end_date must not be before start_date. (parameter.end_date)');
  const limit = new Date(`${start}T00:00:00Z`);
  limit.setUTCMonth(limit.getUTCMonth() + 3);
  if (new Date(`${end}T00:00:00Z`) > limit) return cafe24Error(422, 'The search period cannot exceed 3 months. (parameter.end_date)');
  const next = new Date(`${end}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { from: `${start}T00:00:00+09:00`, to: `${next.toISOString().slice(0, 10)}T00:00:00+09:00` };
}

function filterOrders(mall: SimMall, query: URLSearchParams): SimOrder[] | AdminResponse {
  const shopNo = intParam(query, 'shop_no', 1, 1, 99);
  if (isError(shopNo)) return shopNo;
  const dateType = query.get('date_type') ?? 'order_date';
  if (!dateTypes.has(dateType)) return cafe24Error(422, `date_type ${dateType} is not supported by the simulator. (parameter.date_type)`);
  const window = dateWindow(query);
  if (isError(window)) return window;
  const statuses = query.get('order_status')?.split(',').filter(Boolean);
  const orderIds = query.get('order_id')?.split(',').filter(Boolean);
  const field = dateType === 'pay_date' ? 'payment_date' : 'order_date';
  // ISO strings with the same +09:00 offset compare correctly as text.
  return mall.orders.filter((order) => {
    const at = order[field];
    return (
      order.shop_no === shopNo &&
      at !== null &&
      at >= window.from &&
      at < window.to &&
      (!statuses || order.items.some((item) => statuses.includes(item.order_status))) &&
      (!orderIds || orderIds.includes(order.order_id))
    );
  });
}

function embedded(order: SimOrder, embeds: Set<string>) {
  const { items, receivers, buyer, ...rest } = order;
  return { ...rest, ...(embeds.has('items') ? { items } : {}), ...(embeds.has('receivers') ? { receivers } : {}), ...(embeds.has('buyer') ? { buyer } : {}) };
}

export function listOrders(mall: SimMall, query: URLSearchParams, selfUrl: URL): AdminResponse {
  const limit = intParam(query, 'limit', 10, 1, maxOrderLimit);
  if (isError(limit)) return limit;
  const offset = intParam(query, 'offset', 0, 0, maxOrderOffset);
  if (isError(offset)) return offset;
  const embeds = new Set(query.get('embed')?.split(',').filter(Boolean) ?? []);
  for (const embed of embeds) if (!orderEmbeds.has(embed)) return cafe24Error(422, `embed ${embed} is not allowed. (parameter.embed)`);
  mall.stats.maxOffset = Math.max(mall.stats.maxOffset, offset);
  mall.stats.maxLimit = Math.max(mall.stats.maxLimit, limit);
  const matched = filterOrders(mall, query);
  if (isError(matched)) return matched;
  const page = matched.slice(offset, offset + limit).map((order) => embedded(order, embeds));
  const links: { rel: string; href: string }[] = [];
  if (offset + limit < matched.length && offset + limit <= maxOrderOffset) {
    const next = new URL(selfUrl);
    next.searchParams.set('offset', String(offset + limit));
    links.push({ rel: 'next', href: next.toString() });
  }
  return { status: 200, body: { orders: page, links } };
}

export function countOrders(mall: SimMall, query: URLSearchParams): AdminResponse {
  const matched = filterOrders(mall, query);
  return isError(matched) ? matched : { status: 200, body: { count: matched.length } };
}

export function getOrder(mall: SimMall, orderId: string, query: URLSearchParams): AdminResponse {
  const order = mall.ordersById.get(orderId);
  if (!order) return cafe24Error(404, `No order found for order_id ${orderId}.`);
  return { status: 200, body: { order: embedded(order, new Set(query.get('embed')?.split(',') ?? [])) } };
}

interface BulkBody {
  shop_no?: number;
  requests?: unknown;
}

function bulkRequests(body: unknown): Record<string, unknown>[] | AdminResponse {
  const requests = (body as BulkBody | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) return cafe24Error(422, 'requests is required. (parameter.requests)');
  if (requests.length > maxBulkRequests) return cafe24Error(422, `At most ${maxBulkRequests} requests per call. (parameter.requests)`);
  return requests as Record<string, unknown>[];
}

/** Per-object outcome of a bulk write; a failed object carries `error` next to its echoed keys. */
type ObjectResult = Record<string, unknown>;
const objectError = (status: number, message: string, request: Record<string, unknown>): ObjectResult => ({ ...request, error: { code: status, message } });

function bulkResponse(resource: string, results: ObjectResult[], okStatus: number): AdminResponse {
  const failed = results.filter((r) => 'error' in r).length;
  return { status: failed === 0 ? okStatus : 207, body: { [resource]: results } };
}

function targetItems(order: SimOrder, codes: unknown): SimOrderItem[] | string {
  if (codes === undefined || codes === null) return order.items;
  if (!Array.isArray(codes)) return 'order_item_code must be an array';
  const items = codes.map((code) => order.items.find((item) => item.order_item_code === code));
  return items.some((item) => !item) ? 'unknown order_item_code' : (items as SimOrderItem[]);
}

const processTransitions: Record<string, { from: string[]; to: string }> = {
  prepare: { from: ['N10', 'N22'], to: 'N20' },
  prepareproduct: { from: ['N20'], to: 'N10' },
  hold: { from: ['N10', 'N20'], to: 'N22' },
  unhold: { from: ['N22'], to: 'N20' },
};

export function updateOrders(mall: SimMall, body: unknown): AdminResponse {
  const requests = bulkRequests(body);
  if (isError(requests)) return requests;
  const shopNo = (body as BulkBody).shop_no ?? 1;
  const results = requests.map((request): ObjectResult => {
    const order = typeof request.order_id === 'string' ? mall.ordersById.get(request.order_id) : undefined;
    if (!order || order.shop_no !== shopNo) return objectError(404, `No order found for order_id ${String(request.order_id)}.`, request);
    const transition = processTransitions[String(request.process_status)];
    if (!transition) return objectError(422, 'process_status must be one of prepare, prepareproduct, hold, unhold.', request);
    const items = targetItems(order, request.order_item_code);
    if (typeof items === 'string') return objectError(422, items, request);
    if (items.every((item) => item.order_status === transition.to)) return objectError(409, 'The order is already in the requested status.', request);
    const blocked = items.find((item) => !transition.from.includes(item.order_status) && item.order_status !== transition.to);
    if (blocked) return objectError(422, `order item ${blocked.order_item_code} is ${blocked.order_status}; cannot ${String(request.process_status)}.`, request);
    for (const item of items) {
      item.order_status = transition.to;
      if (transition.to === 'N20') item.shipping_code ??= `D-${order.order_id}-00`;
    }
    return {
      shop_no: order.shop_no,
      order_id: order.order_id,
      process_status: request.process_status,
      order_item_code: items.map((i) => i.order_item_code),
      purchase_confirmation: null,
      collect_points: 'F',
      show_shipping_address: null,
    };
  });
  return bulkResponse('orders', results, 200);
}

const shipmentStatuses: Record<string, string> = { standby: 'N21', shipping: 'N30' };
const shippedStatus = /^N(21|30|40|50)$/;

/**
 * POST /shipments. Per object: required fields (422), the order (404), a repeat of a registered
 * shipment — same tracking number, same items — (409), items cancelled or returned (422) or
 * already shipped under another shipment (422); else the items go to N21/N30 and a shipment
 * `D-{order_id}-NN` is recorded (NN counts the order's shipments from 00). A call of one object
 * that fails answers that object's status with the error body; a call of several answers 201
 * when all objects succeed, else 207 with `error` on the failed objects (UNCONFIRMED: Cafe24
 * documents neither shape).
 */
export function createShipments(mall: SimMall, body: unknown, nowMs: number): AdminResponse {
  const requests = bulkRequests(body);
  if (isError(requests)) return requests;
  const shopNo = (body as BulkBody).shop_no ?? 1;
  const results = requests.map((request): ObjectResult => {
    if (typeof request.tracking_no !== 'string' || request.tracking_no.length === 0 || request.tracking_no.length > 40) return objectError(422, 'tracking_no is required (max 40). (parameter.tracking_no)', request);
    if (typeof request.shipping_company_code !== 'string' || request.shipping_company_code.length === 0) return objectError(422, 'shipping_company_code is required. (parameter.shipping_company_code)', request);
    const itemStatus = shipmentStatuses[String(request.status)];
    if (!itemStatus) return objectError(422, 'status must be standby or shipping. (parameter.status)', request);
    const orderId = typeof request.order_id === 'string' ? request.order_id : typeof request.shipping_code === 'string' ? request.shipping_code.slice(2, 18) : undefined;
    const order = orderId ? mall.ordersById.get(orderId) : undefined;
    if (!order || order.shop_no !== shopNo) return objectError(404, `No order found for order_id ${String(orderId)}.`, request);
    const items = targetItems(order, request.order_item_code);
    if (typeof items === 'string') return objectError(422, items, request);
    const codes = items.map((item) => item.order_item_code);
    const registered = mall.shipments.filter((shipment) => shipment.order_id === order.order_id);
    if (registered.some((shipment) => shipment.tracking_no === request.tracking_no && codes.every((code) => shipment.order_item_code.includes(code)))) {
      return objectError(409, 'The same shipment is already registered.', request);
    }
    const closed = items.find((item) => cancelledOrReturned.test(item.order_status));
    if (closed) return objectError(422, `order item ${closed.order_item_code} is ${closed.order_status}; it cannot be shipped.`, request);
    const shipped = items.find((item) => shippedStatus.test(item.order_status));
    if (shipped) return objectError(422, `order item ${shipped.order_item_code} is already ${shipped.order_status} with tracking number ${shipped.tracking_no ?? '-'}.`, request);
    const shippingCode = `D-${order.order_id}-${String(registered.length).padStart(2, '0')}`;
    const carrier = carriers.find((c) => c.shipping_carrier_code === request.shipping_company_code);
    const at = toKstIso(new Date(nowMs));
    for (const item of items) {
      item.order_status = itemStatus;
      item.tracking_no = request.tracking_no;
      item.shipping_company_code = request.shipping_company_code;
      item.shipping_company_name = carrier?.shipping_carrier ?? null;
      item.shipping_code = shippingCode;
      item.shipped_date = at;
    }
    order.shipping_status = itemStatus === 'N30' ? 'M' : 'W';
    const shipment: SimShipment = {
      shop_no: order.shop_no,
      shipping_code: shippingCode,
      order_id: order.order_id,
      tracking_no: request.tracking_no,
      tracking_no_updated_date: at,
      shipping_company_code: request.shipping_company_code,
      status: request.status as SimShipment['status'],
      order_item_code: codes,
      carrier_id: carrier?.carrier_id ?? null,
      status_additional_info: null,
    };
    mall.shipments.push(shipment);
    const { tracking_no_updated_date: _updated, status_additional_info: _info, ...echo } = shipment;
    return echo;
  });
  const failed = results.find((r) => 'error' in r) as { error: { code: number; message: string } } | undefined;
  if (results.length === 1 && failed) return cafe24Error(failed.error.code, failed.error.message);
  return bulkResponse('shipments', results, 201);
}

/** GET /orders/{order_id}/shipments: the order's registered shipments. */
export function listOrderShipments(mall: SimMall, orderId: string, query: URLSearchParams): AdminResponse {
  const order = mall.ordersById.get(orderId);
  if (!order || order.shop_no !== Number(query.get('shop_no') ?? 1)) return cafe24Error(404, `No order found for order_id ${orderId}.`);
  return { status: 200, body: { shipments: mall.shipments.filter((shipment) => shipment.order_id === orderId) } };
}

function productJson(product: SimProduct, shopNo: number, withVariants: boolean) {
  const { bundle_components: _components, variants, ...rest } = product;
  return { ...rest, shop_no: shopNo, ...(withVariants ? { variants: variants.map((v) => ({ ...v, shop_no: shopNo })) } : {}) };
}

function filterProducts(mall: SimMall, query: URLSearchParams): SimProduct[] {
  const display = query.get('display');
  const selling = query.get('selling');
  const productNos = query.get('product_no')?.split(',').map(Number);
  const since = query.get('since_product_no');
  return mall.catalog.filter(
    (p) =>
      (!display || p.display === display) &&
      (!selling || p.selling === selling) &&
      (!productNos || productNos.includes(p.product_no)) &&
      (since === null || p.product_no > Number(since)),
  );
}

export function listProducts(mall: SimMall, query: URLSearchParams): AdminResponse {
  const limit = intParam(query, 'limit', 10, 1, maxProductLimit);
  if (isError(limit)) return limit;
  const offset = intParam(query, 'offset', 0, 0, maxProductOffset);
  if (isError(offset)) return offset;
  if (query.has('since_product_no') && query.has('offset')) return cafe24Error(422, 'since_product_no cannot be used with offset. (parameter.since_product_no)');
  const shopNo = Number(query.get('shop_no') ?? 1);
  const withVariants = (query.get('embed') ?? '').split(',').includes('variants');
  const page = filterProducts(mall, query).slice(offset, offset + limit);
  return { status: 200, body: { products: page.map((p) => productJson(p, shopNo, withVariants)) } };
}

export function countProducts(mall: SimMall, query: URLSearchParams): AdminResponse {
  return { status: 200, body: { count: filterProducts(mall, query).length } };
}

export function listVariants(mall: SimMall, productNo: number, query: URLSearchParams): AdminResponse {
  const product = mall.catalog.find((p) => p.product_no === productNo);
  if (!product) return cafe24Error(404, `No product found for product_no ${productNo}.`);
  const shopNo = Number(query.get('shop_no') ?? 1);
  return { status: 200, body: { variants: product.variants.map((v) => ({ ...v, shop_no: shopNo })) } };
}

const shops = (mallId: string) => [
  { shop_no: 1, default: 'T', shop_name: '기본 쇼핑몰', business_country_code: 'KR', language_code: 'ko_KR', language_name: '한국어', currency_code: 'KRW', currency_name: 'South Korean Won (KRW)', base_domain: `${mallId}.cafe24.com`, primary_domain: `${mallId}.cafe24.com`, active: 'T', timezone: 'Asia/Seoul', timezone_name: '(UTC+09:00) Seoul' },
  { shop_no: 2, default: 'F', shop_name: 'English Shop', business_country_code: 'KR', language_code: 'en_US', language_name: '영어', currency_code: 'USD', currency_name: 'United States Dollar (USD)', base_domain: `${mallId}.cafe24.com/shop2`, primary_domain: `${mallId}.cafe24.com/shop2`, active: 'T', timezone: 'Asia/Seoul', timezone_name: '(UTC+09:00) Seoul' },
];

export const listShops = (mall: SimMall): AdminResponse => ({ status: 200, body: { shops: shops(mall.mallId) } });

const carriers = [
  { carrier_id: 1, shipping_carrier_code: '0006', shipping_carrier: 'CJ대한통운', track_shipment_url: 'https://trace.cjlogistics.com/next/tracking.html?wblNo=', default_shipping_carrier: 'T', shipping_type: 'A' },
  { carrier_id: 2, shipping_carrier_code: '0018', shipping_carrier: '한진택배', track_shipment_url: 'https://www.hanjin.com/kor/CMS/DeliveryMgr/WaybillResult.do?wblnum=', default_shipping_carrier: 'F', shipping_type: 'A' },
  { carrier_id: 3, shipping_carrier_code: '0079', shipping_carrier: '롯데택배', track_shipment_url: 'https://www.lotteglogis.com/home/reservation/tracking/linkView?InvNo=', default_shipping_carrier: 'F', shipping_type: 'A' },
  { carrier_id: 4, shipping_carrier_code: '0012', shipping_carrier: '우체국택배', track_shipment_url: 'https://service.epost.go.kr/trace.RetrieveDomRigiTraceList.comm?sid1=', default_shipping_carrier: 'F', shipping_type: 'A' },
];

export const listCarriers = (): AdminResponse => ({ status: 200, body: { carriers } });
