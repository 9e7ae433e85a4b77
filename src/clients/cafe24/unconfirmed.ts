import { readKstWallClock } from '../../domain/kst.js';

/**
 * Every Cafe24 behaviour our reference marks UNCONFIRMED (../shared/reference/cafe24-admin-api.md),
 * in one place, so a finding on a real test mall is corrected here and nowhere else.
 */

/** Scope separator in the authorize URL: comma is what public code uses (§2.1). */
export const authorizeScopeSeparator = ',';

/** How fast the request bucket drains (§3): 2 calls/s comes from a third-party write-up. */
export const bucketDrainPerSecond = 2;

/**
 * Token timestamps (`expires_at`, ...) carry no offset; we read them as KST wall-clock (§2.2).
 * A value that does carry an offset or Z is taken as written.
 */
export function parseTokenTimestamp(value: string): Date {
  const parsed = readKstWallClock(value);
  if (Number.isNaN(parsed.getTime())) throw new Error(`unreadable Cafe24 token timestamp: ${value}`);
  return parsed;
}

/**
 * `start_date`/`end_date` of GET /orders: whether a time part is honoured is unknown (§4.2), so we
 * send KST calendar days only and split windows by whole days.
 */
export const orderQueryDate = (kstDay: string): string => kstDay;

/**
 * The message the launch HMAC signs (§2.3): the raw query string as received, without the
 * trailing `hmac` parameter. (The alternative reading sorts the remaining parameters.)
 */
export function launchSignedMessage(rawQuery: string): string {
  return rawQuery
    .split('&')
    .filter((pair) => !pair.startsWith('hmac='))
    .join('&');
}

/** The launch HMAC key: the app's Client Secret (public implementations), not the Service Key. */
export const launchHmacKey = (clientSecret: string): string => clientSecret;

/**
 * Token-endpoint error bodies come in the OAuth shape (`error`, `error_description`) or the
 * Admin-API shape (`{ error: { code, message } }`); both are read (§2.2).
 */
export function tokenErrorText(body: unknown): string {
  if (typeof body !== 'object' || body === null) return 'no error body';
  const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
  if (typeof error === 'string') return typeof description === 'string' ? `${error}: ${description}` : error;
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return `${String(code ?? '')} ${String(message ?? '')}`.trim();
  }
  return 'unrecognised error body';
}

/** Whether `Retry-After` is sent on 429 is unknown (§3); when it is, we honour it. */
export function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * The body of a 207 from a bulk write: we read it as the resource array in request order, where
 * a failed object carries `error: { code, message }` (the exact shape is not documented, §9). A
 * code that is not an HTTP status is kept as `code` and counted as 422.
 */
export function multiStatusEntry(entry: unknown): { ok: true } | { ok: false; status: number; code: string; message: string } {
  const error = (entry as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (!error) return { ok: true };
  const status = Number(error.code);
  const httpStatus = Number.isInteger(status) && status >= 400 && status < 600 ? status : 422;
  return { ok: false, status: httpStatus, code: String(error.code ?? httpStatus), message: String(error.message ?? 'rejected') };
}

/**
 * The items of a shipment: `order_item_code` as an array (POST /shipments echo, §5.1), or `items`
 * as codes or objects carrying `order_item_code` (GET /orders/{order_id}/shipments, §5.3 lists
 * `items`; its shape is not documented).
 */
export function shipmentItemCodes(entry: unknown): string[] {
  const { order_item_code: codes, items } = (entry ?? {}) as { order_item_code?: unknown; items?: unknown };
  if (Array.isArray(codes)) return codes.map(String);
  if (typeof codes === 'string' && codes) return codes.split(',');
  if (Array.isArray(items)) {
    return items.flatMap((item: unknown) => {
      if (typeof item === 'string') return [item];
      const code = (item as { order_item_code?: unknown } | null)?.order_item_code;
      return typeof code === 'string' ? [code] : [];
    });
  }
  return [];
}

/**
 * Item statuses that hold no shipment registered with status `shipping`: such a registration moves
 * its items to 배송중, N30 (§5.1), and these come before it. INFERRED: that the order list shows the
 * move as soon as the registration call has answered is not documented. The invoice read-back relies
 * on it to send again, without reading the order's shipments, a lost registration whose items are
 * still here (a resend Cafe24 did hold after all is refused and read back before it counts).
 */
export const statusesBeforeShipping: ReadonlySet<string> = new Set(['N00', 'N02', 'N10', 'N20', 'N21', 'N22']);

/**
 * Reading orders back by id (§4.2 lists `order_id` as a comma list of GET /orders): whether the
 * date window may be left out, and how many ids one call takes, are unknown. We send a window of the
 * days around the date in the id (`YYYYMMDD-…` is the order date, KST, in every documented example)
 * and at most this many ids per call.
 */
export const orderIdsPerCall = 100;

/** The KST days [day before, day after] around the order date an order id carries, or null for an id of another form. */
export function orderIdWindow(orderId: string): { from: string; to: string } | null {
  const match = /^(\d{4})(\d{2})(\d{2})-/.exec(orderId);
  if (!match) return null;
  const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: iso(day - 86_400_000), to: iso(day + 86_400_000) };
}
