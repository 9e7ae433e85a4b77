import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import { z } from 'zod';
import type { Config } from '../../config/env.js';
import type { FmsGoods } from '../../domain/catalogue.js';
import { formatFmsDay, type FmsDateFormat, type FmsOutbound, type FmsOutboundDetail, type FmsStatusFilter } from '../../domain/fms-progress.js';
import { readKstWallClock } from '../../domain/kst.js';
import type { FmsOutboundRequest } from '../../domain/shipment-request.js';
import { FmsAuthError, FmsProtocolError, FmsRejectedError, FmsUnavailableError } from './errors.js';
import {
  cancelResultSchema,
  createResultSchema,
  envelopeSchema,
  goodsSchema,
  tokenSchema,
} from './schemas.js';
import { outboundDetailReader, outboundListReader } from './outbound-mapping.js';

export type { FmsOutbound, FmsOutboundDetail } from '../../domain/fms-progress.js';
export type { FmsGoods } from '../../domain/catalogue.js';

/**
 * Client of the FMS open API (FASSTO): token from API code + key, the `accessToken` header, the
 * `{header, errorInfo, data}` envelope whose business errors arrive even on HTTP 200. It never
 * retries a request itself (callers own retry policy) except once after FMS declares the token
 * invalid, which FMS refuses before doing anything.
 */

export interface FmsClientOptions {
  baseUrl: string;
  apiCd: string;
  apiKey: string;
  /** Upper bound of one HTTP exchange (connect, headers, body). */
  timeoutMs?: number;
  /** Refresh the token this long before FMS says it expires. */
  tokenRefreshMarginMs?: number;
  /** How date path segments are written (default yyyyMMdd); FMS clients are seen using both. */
  dateFormat?: FmsDateFormat;
  now?: () => number;
}

/** The client options of the configured FMS (the FMS_* settings). */
export const fmsClientOptions = (config: Pick<Config, 'FMS_BASE_URL' | 'FMS_API_CD' | 'FMS_API_KEY' | 'FMS_TIMEOUT_MS' | 'FMS_DATE_FORMAT'>): FmsClientOptions => ({
  baseUrl: config.FMS_BASE_URL,
  apiCd: config.FMS_API_CD,
  apiKey: config.FMS_API_KEY,
  timeoutMs: config.FMS_TIMEOUT_MS,
  dateFormat: config.FMS_DATE_FORMAT,
});

/** Per-element result of a parcel outbound create: FMS accepts or refuses each element alone. */
export type FmsCreateResult =
  | {
      ok: true;
      ordNo: string;
      slipNo: string;
      /** Goods FMS holds too few of; the request is stored and waits (status SHORTAGE). */
      outOfStock: { cstGodCd: string; ordQty: number | null; stockQty: number | null }[];
    }
  | { ok: false; ordNo: string; code: string; message: string };

export interface FmsCancelResult {
  slipNo: string | null;
  ok: boolean;
  code: string;
  message: string;
}

/** A date range in Korean calendar days, both ends included, as yyyyMMdd or YYYY-MM-DD. */
export interface FmsDateRange {
  from: string;
  to: string;
}

/** Per-element code of an accepted element. */
export const fmsElementOkCode = '200';
/** Business code FMS sends for an unknown or expired token. */
export const fmsInvalidTokenCode = 'INVALID_ACCESS';
/** Outbound division for parcel (택배) shipments in list paths. */
const parcelOutDiv = '1';

interface Token {
  value: string;
  refreshAt: number;
}

/** `yyyyMMddHHmmss` in Korean time (UTC+9) to epoch milliseconds. */
function parseKstTimestamp(value: string): number {
  const at = (start: number, length = 2) => value.slice(start, start + length);
  return readKstWallClock(`${at(0, 4)}-${at(4)}-${at(6)}T${at(8)}:${at(10)}:${at(12)}`).getTime();
}

function toUnavailable(error: unknown): FmsUnavailableError {
  const timeouts = [undiciErrors.HeadersTimeoutError, undiciErrors.BodyTimeoutError, undiciErrors.ConnectTimeoutError];
  const timedOut =
    timeouts.some((type) => error instanceof type) || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
  const message = error instanceof Error ? error.message : String(error);
  return new FmsUnavailableError(timedOut ? 'timeout' : 'network', `FMS ${timedOut ? 'timed out' : 'unreachable'}: ${message}`, null, {
    cause: error,
  });
}

export function createFmsClient(options: FmsClientOptions) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const refreshMarginMs = options.tokenRefreshMarginMs ?? 60_000;
  const now = options.now ?? Date.now;
  const dateFormat = options.dateFormat ?? 'yyyyMMdd';
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const dispatcher = new Agent({ connectTimeout: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 10_000 });

  let token: Promise<Token> | null = null;

  /** One HTTP exchange; returns the parsed envelope or throws a typed error. */
  async function exchange(method: Dispatcher.HttpMethod, path: string, init: { accessToken?: string; body?: unknown }) {
    let status: number;
    let text: string;
    try {
      const res = await request(`${baseUrl}${path}`, {
        dispatcher,
        method,
        headers: {
          accept: 'application/json',
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(init.accessToken ? { accessToken: init.accessToken } : {}),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (error) {
      throw toUnavailable(error);
    }
    // Without the query: the token call carries the API key there.
    const route = `${method} ${path.split('?')[0]}`;
    if (status >= 500) throw new FmsUnavailableError('server_error', `FMS answered HTTP ${status} to ${route}`, status);
    if (status === 429) throw new FmsUnavailableError('rate_limited', `FMS rate-limited ${route}`, status);

    let parsed: z.infer<typeof envelopeSchema> | null = null;
    try {
      const result = envelopeSchema.safeParse(JSON.parse(text));
      if (result.success) parsed = result.data;
    } catch {
      // Not JSON: judged by status below.
    }
    const errorCode = parsed?.errorInfo?.errorCode || null;
    const errorMessage = parsed?.errorInfo?.errorMessage || parsed?.header?.msg || `HTTP ${status}`;
    if (status >= 400 || errorCode) return { ok: false as const, status, code: errorCode ?? `HTTP_${status}`, message: errorMessage };
    if (!parsed) throw new FmsProtocolError(`FMS answered ${route} with a body that is not its envelope`);
    return { ok: true as const, data: parsed.data };
  }

  async function connect(): Promise<Token> {
    const query = new URLSearchParams({ apiCd: options.apiCd, apiKey: options.apiKey });
    const result = await exchange('POST', `/api/v1/auth/connect?${query}`, {});
    if (!result.ok) throw new FmsAuthError(result.code, `FMS refused the API credentials: ${result.message}`, result.status);
    const data = tokenSchema.safeParse(result.data);
    if (!data.success) throw new FmsProtocolError('FMS token response does not match the contract', { cause: data.error });
    return { value: data.data.accessToken, refreshAt: parseKstTimestamp(data.data.expreDatetime) - refreshMarginMs };
  }

  /** The cached token, fetched once for all concurrent callers when missing, due or failed. */
  async function currentToken(): Promise<Token> {
    const held = token;
    if (held) {
      const value = await held.catch(() => null);
      if (value && value.refreshAt > now()) return value;
      if (token === held) token = null;
    }
    token ??= connect();
    return token;
  }

  /** Forgets the token FMS refused, unless a concurrent caller already replaced it. */
  async function dropToken(refused: string): Promise<void> {
    const held = token;
    if (held && (await held.catch(() => null))?.value === refused && token === held) token = null;
  }

  async function call<T extends z.ZodType>(method: Dispatcher.HttpMethod, path: string, schema: T, body?: unknown): Promise<z.output<T>> {
    for (let attempt = 1; ; attempt++) {
      const held = await currentToken();
      const result = await exchange(method, path, { accessToken: held.value, body });
      if (!result.ok) {
        const tokenRefused = result.status === 401 || result.code === fmsInvalidTokenCode;
        if (tokenRefused && attempt === 1) {
          // FMS checks the token before anything else, so sending again with a new one is safe.
          await dropToken(held.value);
          continue;
        }
        if (tokenRefused) throw new FmsAuthError(result.code, `FMS refused a fresh token: ${result.message}`, result.status);
        throw new FmsRejectedError(result.code, `FMS refused ${method} ${path}: ${result.message}`, result.status);
      }
      const data = schema.safeParse(result.data);
      if (!data.success) throw new FmsProtocolError(`FMS response to ${method} ${path} does not match the contract`, { cause: data.error });
      return data.data;
    }
  }

  const cst = (cstCd: string) => encodeURIComponent(cstCd);

  const listPath = (cstCd: string, range: FmsDateRange, status: FmsStatusFilter) =>
    `/api/v1/delivery/${cst(cstCd)}/${formatFmsDay(range.from, dateFormat)}/${formatFmsDay(range.to, dateFormat)}/${status}/${parcelOutDiv}`;

  return {
    /** Upper bound of one HTTP exchange; a request may reach FMS at any point within it. */
    timeoutMs,

    /** Parcel outbound requests (출고요청, 택배); one result per element, in request order. */
    async createParcelOutbounds(cstCd: string, requests: readonly FmsOutboundRequest[]): Promise<FmsCreateResult[]> {
      const results = await call('POST', `/api/v1/delivery/parcel/${cst(cstCd)}`, z.array(createResultSchema), requests);
      if (results.length !== requests.length) {
        throw new FmsProtocolError(`FMS returned ${results.length} results for ${requests.length} outbound requests`);
      }
      return results.map((r, i): FmsCreateResult => {
        const ordNo = r.orderNo || requests[i]!.ordNo;
        if (r.code === fmsElementOkCode && r.fmsSlipNo) {
          const outOfStock = (r.outOfStockGoodsDetail ?? []).map((g) => ({ cstGodCd: g.cstGodCd, ordQty: g.ordQty ?? null, stockQty: g.stockQty ?? null }));
          return { ok: true, ordNo, slipNo: r.fmsSlipNo, outOfStock };
        }
        return { ok: false, ordNo, code: r.code, message: r.msg ?? '' };
      });
    },

    /** Outbound requests (any status) FMS holds under our ordNo, requested within the range. */
    async findOutboundsByOrdNo(cstCd: string, ordNo: string, range: FmsDateRange): Promise<FmsOutbound[]> {
      // FMS may ignore the ordNo query (it is seen in one client only), so filter here too.
      const rows = await call('GET', `${listPath(cstCd, range, 'ALL')}?${new URLSearchParams({ ordNo })}`, outboundListReader);
      return rows.filter((row) => row.ordNo === ordNo);
    },

    /**
     * Parcel outbound requests requested within the range (by ordDt), in one status or all. The
     * list has no known paging: FMS answers the whole range, so keep ranges short. A row whose
     * status matches no rule comes back with status UNKNOWN and its raw code.
     */
    async listOutbounds(cstCd: string, range: FmsDateRange, filter: { status?: FmsStatusFilter } = {}): Promise<FmsOutbound[]> {
      return call('GET', listPath(cstCd, range, filter.status ?? 'ALL'), outboundListReader);
    },

    /** One request's goods (ordered and shipped quantities) and boxes with their invoice numbers. */
    async getOutboundDetail(cstCd: string, slipNo: string): Promise<FmsOutboundDetail> {
      return call('GET', `/api/v1/delivery/detail/${cst(cstCd)}/${encodeURIComponent(slipNo)}`, outboundDetailReader);
    },

    /** Cancels requests FMS has not started working on; one result per element. */
    async cancelOutbounds(cstCd: string, slips: readonly { slipNo: string; ordNo: string }[]): Promise<FmsCancelResult[]> {
      const results = await call('PATCH', `/api/v1/delivery/cancel/${cst(cstCd)}`, z.array(cancelResultSchema), slips);
      return results.map((r) => ({ slipNo: r.slipNo ?? null, ok: r.code === fmsElementOkCode, code: r.code, message: r.msg ?? '' }));
    },

    /** The customer's goods master, for product linking. */
    async listGoods(cstCd: string): Promise<FmsGoods[]> {
      const rows = await call('GET', `/api/v1/goods/${cst(cstCd)}`, z.array(goodsSchema).nullish());
      return (rows ?? []).map((g) => ({
        cstGodCd: g.cstGodCd,
        name: g.godNm,
        godCd: g.godCd ?? null,
        barcode: g.godBarcd ?? null,
        goodsType: g.godType ?? null,
        inUse: g.useYn !== 'N',
      }));
    },

    async close(): Promise<void> {
      await dispatcher.close();
    },
  };
}

export type FmsClient = ReturnType<typeof createFmsClient>;
