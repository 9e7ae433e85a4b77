import { request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { halve, splitByMonths, type DayWindow } from '../../domain/date-windows.js';
import { chunk, groupBy } from '../../domain/grouping.js';
import type { ItemShippingState } from '../../domain/invoice-sync.js';
import type { StoredOrder } from '../../domain/order.js';
import {
  Cafe24Forbidden,
  Cafe24RateLimited,
  Cafe24Rejected,
  Cafe24ResponseInvalid,
  Cafe24Unauthorized,
  Cafe24Unavailable,
  Cafe24WindowTooLarge,
  rejectionFor,
  type Cafe24Error,
} from './errors.js';
import { cafe24BaseUrl, sleep } from './http.js';
import { toStoredOrder } from './order-mapping.js';
import type { Cafe24Pacer } from './pacer.js';
import * as s from './schemas.js';
import { multiStatusEntry, orderIdsPerCall, orderIdWindow, orderQueryDate, retryAfterMs, shipmentItemCodes, statusesBeforeShipping } from './unconfirmed.js';

/** Which mall a call is for: tokens are kept per link, URLs and pacing per Cafe24 mall id. */
export interface Cafe24MallRef {
  mallLinkId: string;
  mallId: string;
}

/** Where access tokens come from (the token manager in production). */
export interface Cafe24TokenSource {
  accessToken(mall: Cafe24MallRef): Promise<string>;
  /** `rejected` got a 401: refresh unless another caller already replaced it; returns a token to retry with. */
  refreshAfterRejection(mall: Cafe24MallRef, rejected: string): Promise<string>;
}

export interface Cafe24AdminClientOptions {
  baseUrlTemplate: string;
  apiVersion: string;
  dispatcher: Dispatcher;
  tokens: Cafe24TokenSource;
  pacer: Cafe24Pacer;
  /** Tries per call for 429 and (reads only) 5xx/network failures, before a typed error is thrown. */
  maxAttempts?: number;
  /** First backoff for 5xx/network failures; doubles per try. */
  backoffMs?: number;
}

/** Cafe24's documented caps (§4.2, §6.1, §4.6, §5.2). */
export const cafe24Limits = { orderPageSize: 1000, orderMaxOffset: 15000, orderWindowMonths: 3, productPageSize: 100, bulkWriteSize: 100 } as const;

export interface OrderQuery {
  shopNo: number;
  /** KST calendar days, both inclusive. */
  window: DayWindow;
  /** Item statuses, e.g. ['N10']; Cafe24 matches orders with any item in them. */
  statuses?: string[];
}

/** Where the next page of a paid-orders query starts: the windows left and the offset in the first. */
export interface PaidOrdersPosition {
  pending: DayWindow[];
  offset: number;
}

export interface PaidOrdersPage {
  orders: StoredOrder[];
  /** null when the query is exhausted. */
  next: PaidOrdersPosition | null;
}

export type BulkOutcome<T> =
  | { index: number; ok: true; value: T }
  /** `alreadyApplied`: Cafe24 answered 409, the same update is already in place. */
  | { index: number; ok: false; status: number; message: string; alreadyApplied: boolean };

export interface OrderStatusChange {
  orderId: string;
  processStatus: 'prepare' | 'prepareproduct' | 'hold' | 'unhold';
  orderItemCodes?: string[];
}

/** One tracking number to register on an order: the parcel and the order items it carries. */
export interface ShipmentRegistration {
  orderId: string;
  /** The items in this parcel; a partial shipment names only those (never empty). */
  orderItemCodes: string[];
  /** At most 40 characters. */
  trackingNo: string;
  shippingCompanyCode: string;
  /** Default `shipping` (배송중, N30). */
  status?: 'shipping' | 'standby';
  carrierId?: number;
}

/** A shipment Cafe24 holds (배송번호 with its tracking number and items). */
export interface Cafe24Shipment {
  shippingCode: string;
  orderId: string | null;
  trackingNo: string | null;
  shippingCompanyCode: string | null;
  status: string | null;
  orderItemCodes: string[];
  carrierId: number | null;
  trackingNoUpdatedAt: string | null;
}

/** What became of one registration, by its index in the input. */
export type ShipmentRegistrationOutcome =
  | { index: number; outcome: 'created'; shipment: Cafe24Shipment }
  /** 409, the same content sent again: count it as registered only after reading the order's shipments back. */
  | { index: number; outcome: 'already_registered'; status: 409; code: string; message: string }
  /**
   * Refused: by Cafe24 for this object (`object`, inside a 207 or a one-object call), by Cafe24 for
   * the whole call of several objects without saying which (`call`), or by our own checks before
   * sending (`local`, status null).
   */
  | { index: number; outcome: 'failed'; scope: 'object' | 'call' | 'local'; status: number | null; code: string; message: string };

interface CallOptions<T extends z.ZodType> {
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  schema: T;
}

export class Cafe24AdminClient {
  private readonly maxAttempts: number;
  private readonly backoffMs: number;

  constructor(private readonly options: Cafe24AdminClientOptions) {
    this.maxAttempts = options.maxAttempts ?? 6;
    this.backoffMs = options.backoffMs ?? 1000;
  }

  /**
   * One Admin API call: paced per mall, 401 → one refresh and one retry, 429 → wait for the
   * bucket and retry (bounded), reads retried on 5xx/network; then typed errors.
   */
  private async call<T extends z.ZodType>(mall: Cafe24MallRef, options: CallOptions<T>): Promise<{ status: number; data: z.output<T> }> {
    const url = new URL(`${cafe24BaseUrl(this.options.baseUrlTemplate, mall.mallId)}/api/v2/admin${options.path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const isRead = options.method === 'GET';
    let token = await this.options.tokens.accessToken(mall);
    let refreshed = false;
    let lastError: Cafe24Error | undefined;

    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      await this.options.pacer.acquire(mall.mallId);
      let response: Dispatcher.ResponseData;
      let text: string;
      try {
        response = await request(url, {
          method: options.method,
          dispatcher: this.options.dispatcher,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'x-cafe24-api-version': this.options.apiVersion,
          },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
        });
        text = await response.body.text();
      } catch (error) {
        lastError = new Cafe24Unavailable(`Cafe24 ${options.method} ${options.path} failed: ${(error as Error).message}`, mall.mallId);
        // A write may have reached Cafe24: the caller decides (Cafe24 answers 409 to a repeat).
        if (!isRead) throw lastError;
        await sleep(this.backoffMs * 2 ** (attempt - 1));
        continue;
      }
      this.options.pacer.observe(mall.mallId, response.headers['x-api-call-limit']);
      const status = response.statusCode;

      if (status === 401) {
        if (refreshed) throw new Cafe24Unauthorized(`Cafe24 rejected a freshly refreshed token for ${mall.mallId}`, mall.mallId, 401);
        token = await this.options.tokens.refreshAfterRejection(mall, token);
        refreshed = true;
        attempt -= 1; // the refresh retry is not a failure of Cafe24's
        continue;
      }
      if (status === 429) {
        const explicit = retryAfterMs(response.headers['retry-after']);
        const delay = this.options.pacer.delayAfterRateLimit(mall.mallId);
        lastError = new Cafe24RateLimited(mall.mallId, explicit ?? delay);
        // The pacer now holds the next call until the bucket has drained; Retry-After, if sent, is a floor.
        if (explicit !== undefined && attempt < this.maxAttempts) await sleep(explicit);
        continue;
      }
      if (status >= 500) {
        lastError = new Cafe24Unavailable(`Cafe24 ${options.method} ${options.path} answered ${status}`, mall.mallId, status);
        if (!isRead) throw lastError;
        await sleep(this.backoffMs * 2 ** (attempt - 1));
        continue;
      }
      if (status >= 400) {
        const error = errorBody(text);
        throw rejectionFor(status, mall.mallId, `Cafe24 ${options.method} ${options.path} answered ${status}: ${error.message}`, error.code);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        lastError = new Cafe24Unavailable(`Cafe24 ${options.method} ${options.path} sent an unreadable body (${status})`, mall.mallId, status);
        if (!isRead) throw lastError;
        await sleep(this.backoffMs * 2 ** (attempt - 1));
        continue;
      }
      const parsed = options.schema.safeParse(json);
      if (!parsed.success) {
        throw new Cafe24ResponseInvalid(`Cafe24 ${options.method} ${options.path}: unexpected response shape: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, mall.mallId, status);
      }
      return { status, data: parsed.data };
    }
    throw lastError ?? new Cafe24Unavailable(`Cafe24 ${options.method} ${options.path}: no attempt made`, mall.mallId);
  }

  // --- orders --------------------------------------------------------------------------------

  private orderFilters(query: OrderQuery, window: DayWindow) {
    return {
      shop_no: query.shopNo,
      date_type: 'pay_date',
      start_date: orderQueryDate(window.from),
      end_date: orderQueryDate(window.to),
      order_status: query.statuses?.length ? query.statuses.join(',') : undefined,
    };
  }

  async countOrders(mall: Cafe24MallRef, query: OrderQuery): Promise<number> {
    let total = 0;
    for (const window of splitByMonths(query.window, cafe24Limits.orderWindowMonths)) {
      const { data } = await this.call(mall, { method: 'GET', path: '/orders/count', query: this.orderFilters(query, window), schema: s.countResponse });
      total += data.count;
    }
    return total;
  }

  /**
   * One page of paid orders of one shop (items, receivers and buyer embedded), resumable from
   * `position` (null: the start). Windows are cut to 3 months and halved until each fits under
   * the offset cap, so no query passes `limit` 1000 or `offset` 15000. The position is plain
   * data, so a caller can keep it across processes (e.g. in an activity heartbeat).
   */
  async paidOrdersPage(mall: Cafe24MallRef, query: OrderQuery, position: PaidOrdersPosition | null, limit: number = cafe24Limits.orderPageSize): Promise<PaidOrdersPage> {
    const pageSize = Math.min(Math.max(1, limit), cafe24Limits.orderPageSize);
    const pending = position ? [...position.pending] : splitByMonths(query.window, cafe24Limits.orderWindowMonths);
    let offset = position?.offset ?? 0;
    while (pending.length > 0) {
      const window = pending[0]!;
      const filters = this.orderFilters(query, window);
      if (offset === 0) {
        const { data } = await this.call(mall, { method: 'GET', path: '/orders/count', query: filters, schema: s.countResponse });
        if (data.count > cafe24Limits.orderMaxOffset) {
          const halves = halve(window);
          if (!halves) {
            throw new Cafe24WindowTooLarge(`${data.count} orders on ${window.from} in shop ${query.shopNo}: more than one date-only query can page through`, mall.mallId);
          }
          pending.splice(0, 1, ...halves);
          continue;
        }
        if (data.count === 0) {
          pending.shift();
          continue;
        }
      }
      const page = await this.call(mall, {
        method: 'GET',
        path: '/orders',
        query: { ...filters, embed: 'items,receivers,buyer', limit: pageSize, offset },
        schema: s.ordersResponse,
      });
      if (page.data.orders.length < pageSize) {
        pending.shift();
        offset = 0;
      } else {
        offset += pageSize;
      }
      return { orders: page.data.orders.map(toStoredOrder), next: pending.length > 0 ? { pending, offset } : null };
    }
    return { orders: [], next: null };
  }

  /** Every page of paid orders; each order once, even when a page shifts between calls. */
  async *paidOrderPages(mall: Cafe24MallRef, query: OrderQuery): AsyncGenerator<StoredOrder[]> {
    const seen = new Set<string>();
    let position: PaidOrdersPosition | null = null;
    do {
      const page: PaidOrdersPage = await this.paidOrdersPage(mall, query, position);
      const fresh = page.orders.filter((order) => !seen.has(order.orderId));
      for (const order of fresh) seen.add(order.orderId);
      if (fresh.length > 0) yield fresh;
      position = page.next;
    } while (position);
  }

  /**
   * These orders of one shop as Cafe24 holds them now (items embedded; no receivers or buyer), read
   * back by id. An id Cafe24 does not list is absent from the answer.
   */
  async ordersById(mall: Cafe24MallRef, shopNo: number, orderIds: readonly string[]): Promise<StoredOrder[]> {
    const orders: StoredOrder[] = [];
    for await (const page of this.orderPagesById(mall, shopNo, orderIds)) orders.push(...page.map(toStoredOrder));
    return orders;
  }

  /**
   * Each item of these orders with its main invoice (`tracking_no` and its `shipping_code`) and
   * whether its status comes before shipping, read with the orders by id; also answers how many
   * calls it took.
   */
  async itemShippingById(mall: Cafe24MallRef, shopNo: number, orderIds: readonly string[]): Promise<{ items: ItemShippingState[]; calls: number }> {
    const items: ItemShippingState[] = [];
    let calls = 0;
    for await (const page of this.orderPagesById(mall, shopNo, orderIds)) {
      calls += 1;
      for (const order of page) {
        for (const item of order.items ?? []) {
          items.push({ orderItemCode: item.order_item_code, trackingNo: item.tracking_no, shippingCode: item.shipping_code, beforeShipping: statusesBeforeShipping.has(item.order_status) });
        }
      }
    }
    return { items, calls };
  }

  /** GET /orders by id, one page per call: grouped by the date in the id, at most `orderIdsPerCall` ids per call. */
  private async *orderPagesById(mall: Cafe24MallRef, shopNo: number, orderIds: readonly string[]): AsyncGenerator<s.Cafe24Order[]> {
    const byWindow = groupBy(new Set(orderIds), (orderId) => {
      const window = orderIdWindow(orderId);
      if (!window) throw new RangeError(`order_id ${JSON.stringify(orderId)} is not YYYYMMDD-NNNNNNN`);
      return `${window.from}/${window.to}`;
    });
    for (const [key, ids] of byWindow) {
      const [from, to] = key.split('/') as [string, string];
      for (const batch of chunk(ids, orderIdsPerCall)) {
        const { data } = await this.call(mall, {
          method: 'GET',
          path: '/orders',
          query: { shop_no: shopNo, date_type: 'order_date', start_date: orderQueryDate(from), end_date: orderQueryDate(to), order_id: batch.join(','), embed: 'items', limit: batch.length },
          schema: s.ordersResponse,
        });
        yield data.orders.filter((o) => batch.includes(o.order_id));
      }
    }
  }

  async listPaidOrders(mall: Cafe24MallRef, query: OrderQuery): Promise<StoredOrder[]> {
    const orders: StoredOrder[] = [];
    for await (const page of this.paidOrderPages(mall, query)) orders.push(...page);
    return orders;
  }

  /** PUT /orders in chunks of 100; one outcome per change, in input order. */
  async changeOrderStatus(mall: Cafe24MallRef, shopNo: number, changes: OrderStatusChange[]): Promise<BulkOutcome<true>[]> {
    return this.bulk(mall, 'PUT', '/orders', 'orders', shopNo, changes, (change) => ({
      order_id: change.orderId,
      process_status: change.processStatus,
      ...(change.orderItemCodes ? { order_item_code: change.orderItemCodes } : {}),
    }), s.orderUpdatesResponse, () => true as const);
  }

  /**
   * POST /shipments: at most 100 registrations per call (more is a programming error). Each is
   * checked first (order id, item codes, tracking number ≤ 40, carrier code); the rest are sent
   * and read object by object. 429 (after the client's bounded retries) and 5xx, a dropped
   * connection or an unreadable answer throw the usual typed errors: the call may have been
   * carried out, so read the orders' shipments back before sending again.
   */
  async registerShipments(mall: Cafe24MallRef, shopNo: number, registrations: ShipmentRegistration[]): Promise<ShipmentRegistrationOutcome[]> {
    if (registrations.length > cafe24Limits.bulkWriteSize) throw new RangeError(`at most ${cafe24Limits.bulkWriteSize} shipments per call, got ${registrations.length}`);
    const outcomes: ShipmentRegistrationOutcome[] = [];
    const sent: { index: number; registration: ShipmentRegistration }[] = [];
    registrations.forEach((registration, index) => {
      const problem = registrationProblem(registration);
      if (problem) outcomes[index] = { index, outcome: 'failed', scope: 'local', status: null, code: 'invalid_request', message: problem };
      else sent.push({ index, registration });
    });
    if (sent.length === 0) return outcomes;

    let entries: unknown[];
    try {
      const { data } = await this.call(mall, {
        method: 'POST',
        path: '/shipments',
        body: {
          shop_no: shopNo,
          requests: sent.map(({ registration: r }) => ({
            order_id: r.orderId,
            order_item_code: r.orderItemCodes,
            tracking_no: r.trackingNo,
            shipping_company_code: r.shippingCompanyCode,
            status: r.status ?? 'shipping',
            ...(r.carrierId !== undefined ? { carrier_id: r.carrierId } : {}),
          })),
        },
        schema: s.shipmentsResponse,
      });
      entries = data.shipments;
    } catch (error) {
      // A whole-call refusal other than a missing scope is about the objects sent.
      if (!(error instanceof Cafe24Rejected) || error instanceof Cafe24Forbidden) throw error;
      const code = error.errorCode ?? String(error.status);
      for (const { index } of sent) {
        outcomes[index] =
          error.status === 409
            ? { index, outcome: 'already_registered', status: 409, code, message: error.message }
            : { index, outcome: 'failed', scope: sent.length === 1 ? 'object' : 'call', status: error.status ?? null, code, message: error.message };
      }
      return outcomes;
    }

    if (entries.length !== sent.length) throw new Cafe24ResponseInvalid(`Cafe24 POST /shipments: ${entries.length} results for ${sent.length} requests`, mall.mallId);
    entries.forEach((entry, i) => {
      const { index, registration } = sent[i]!;
      const result = multiStatusEntry(entry);
      if (!result.ok) {
        outcomes[index] =
          result.status === 409
            ? { index, outcome: 'already_registered', status: 409, code: result.code, message: result.message }
            : { index, outcome: 'failed', scope: 'object', status: result.status, code: result.code, message: result.message };
        return;
      }
      const shipment = toShipment(entry, mall.mallId);
      // Results are read by position; an echo that names another parcel means that reading is wrong.
      if ((shipment.trackingNo !== null && shipment.trackingNo !== registration.trackingNo) || (shipment.orderId !== null && shipment.orderId !== registration.orderId)) {
        throw new Cafe24ResponseInvalid(`Cafe24 POST /shipments: result ${i} does not echo request ${i}`, mall.mallId);
      }
      outcomes[index] = { index, outcome: 'created', shipment };
    });
    return outcomes;
  }

  /** The shipments registered on an order (GET /orders/{order_id}/shipments), to confirm a registration. */
  async listOrderShipments(mall: Cafe24MallRef, shopNo: number, orderId: string): Promise<Cafe24Shipment[]> {
    const { data } = await this.call(mall, { method: 'GET', path: `/orders/${encodeURIComponent(orderId)}/shipments`, query: { shop_no: shopNo }, schema: s.shipmentsResponse });
    return data.shipments.map((entry) => toShipment(entry, mall.mallId));
  }

  private async bulk<I, T>(
    mall: Cafe24MallRef,
    method: 'PUT' | 'POST',
    path: string,
    resource: 'orders' | 'shipments',
    shopNo: number,
    inputs: I[],
    toRequest: (input: I) => Record<string, unknown>,
    schema: z.ZodType,
    toValue: (entry: unknown, mallId: string) => T,
  ): Promise<BulkOutcome<T>[]> {
    const outcomes: BulkOutcome<T>[] = [];
    for (let start = 0; start < inputs.length; start += cafe24Limits.bulkWriteSize) {
      const chunk = inputs.slice(start, start + cafe24Limits.bulkWriteSize);
      const { data } = await this.call(mall, { method, path, body: { shop_no: shopNo, requests: chunk.map(toRequest) }, schema });
      const entries = (data as Record<string, unknown[]>)[resource] ?? [];
      if (entries.length !== chunk.length) throw new Cafe24ResponseInvalid(`Cafe24 ${method} ${path}: ${entries.length} results for ${chunk.length} requests`, mall.mallId);
      entries.forEach((entry, i) => {
        const index = start + i;
        const result = multiStatusEntry(entry);
        outcomes.push(result.ok ? { index, ok: true, value: toValue(entry, mall.mallId) } : { index, ok: false, status: result.status, message: result.message, alreadyApplied: result.status === 409 });
      });
    }
    return outcomes;
  }

  // --- products, shops, carriers -------------------------------------------------------------

  /**
   * One page of products after `sinceProductNo` (keyset paging, so the 5000 offset cap never
   * applies), filtered by display/selling status, variants embedded on request. `next` is where
   * the following page starts, null after the last one.
   */
  async productPage(
    mall: Cafe24MallRef,
    options: { shopNo: number; sinceProductNo: number; display?: 'T' | 'F'; selling?: 'T' | 'F'; withVariants?: boolean },
  ): Promise<{ products: s.Cafe24Product[]; next: number | null }> {
    const { data } = await this.call(mall, {
      method: 'GET',
      path: '/products',
      query: {
        shop_no: options.shopNo,
        display: options.display,
        selling: options.selling,
        embed: options.withVariants ? 'variants' : undefined,
        since_product_no: options.sinceProductNo,
        limit: cafe24Limits.productPageSize,
      },
      schema: s.productsResponse,
    });
    const full = data.products.length >= cafe24Limits.productPageSize;
    return { products: data.products, next: full ? Math.max(...data.products.map((p) => p.product_no)) : null };
  }

  /** Every page of products, in turn (see productPage). */
  async *productPages(mall: Cafe24MallRef, options: { shopNo: number; display?: 'T' | 'F'; selling?: 'T' | 'F'; withVariants?: boolean }): AsyncGenerator<s.Cafe24Product[]> {
    let since: number | null = 0;
    while (since !== null) {
      const page = await this.productPage(mall, { ...options, sinceProductNo: since });
      if (page.products.length > 0) yield page.products;
      since = page.next;
    }
  }

  async listVariants(mall: Cafe24MallRef, shopNo: number, productNo: number): Promise<s.Cafe24Variant[]> {
    const { data } = await this.call(mall, { method: 'GET', path: `/products/${productNo}/variants`, query: { shop_no: shopNo }, schema: s.variantsResponse });
    return data.variants;
  }

  async listShops(mall: Cafe24MallRef): Promise<s.Cafe24Shop[]> {
    return (await this.call(mall, { method: 'GET', path: '/shops', schema: s.shopsResponse })).data.shops;
  }

  /** The carriers the mall has set up: `shipping_carrier_code` is the `shipping_company_code` to send. */
  async listCarriers(mall: Cafe24MallRef, shopNo?: number): Promise<s.Cafe24Carrier[]> {
    return (await this.call(mall, { method: 'GET', path: '/carriers', query: { shop_no: shopNo }, schema: s.carriersResponse })).data.carriers;
  }
}

/** Cafe24's error body `{ error: { code, message } }`; the code may be a number or a string. */
function errorBody(text: string): { code: string | undefined; message: string } {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return { code: body.error?.code === undefined || body.error.code === null ? undefined : String(body.error.code), message: String(body.error?.message ?? text.slice(0, 200)) };
  } catch {
    return { code: undefined, message: text.slice(0, 200) };
  }
}

const orderIdPattern = /^\d{8}-\d{7}$/;

/** Why Cafe24 would refuse this registration (§5.2), checked before spending a call on it. */
function registrationProblem(r: ShipmentRegistration): string | null {
  if (!orderIdPattern.test(r.orderId)) return `order_id ${JSON.stringify(r.orderId)} is not YYYYMMDD-NNNNNNN`;
  if (r.orderItemCodes.length === 0) return 'no order_item_code: name the items the parcel carries';
  const foreign = r.orderItemCodes.find((code) => !code.startsWith(`${r.orderId}-`));
  if (foreign) return `order_item_code ${foreign} is not an item of order ${r.orderId}`;
  if (r.trackingNo.trim() !== r.trackingNo || r.trackingNo.length === 0 || r.trackingNo.length > 40) return 'tracking_no must be 1 to 40 characters without surrounding spaces';
  if (!r.shippingCompanyCode) return 'shipping_company_code is required';
  return null;
}

function toShipment(entry: unknown, mallId: string): Cafe24Shipment {
  const parsed = s.shipmentSchema.safeParse(entry);
  if (!parsed.success) throw new Cafe24ResponseInvalid('Cafe24 shipment entry without a shipping_code', mallId);
  const e = parsed.data;
  return {
    shippingCode: e.shipping_code,
    orderId: e.order_id ?? null,
    trackingNo: e.tracking_no ?? null,
    shippingCompanyCode: e.shipping_company_code ?? null,
    status: e.status ?? null,
    orderItemCodes: shipmentItemCodes(entry),
    carrierId: e.carrier_id ?? null,
    trackingNoUpdatedAt: e.tracking_no_updated_date ?? null,
  };
}
