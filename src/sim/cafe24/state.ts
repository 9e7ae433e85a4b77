import { randomBytes } from 'node:crypto';
import { LeakyBucket } from './bucket.js';
import { generateCatalog, type SimProduct } from './catalog.js';
import { kstCompactDate } from '../../domain/kst.js';
import { buildOrder, type OrderSpec, type SimOrder, type SimShipment } from './orders.js';
import { SeededRandom } from './random.js';

/** In-memory state of the simulated Cafe24: malls, their data, tokens, statistics and faults. */

export interface MallStats {
  requests: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  rateLimitedByBucket: number;
  rateLimitedInjected: number;
  maxBucketLevel: number;
  maxOffset: number;
  maxLimit: number;
  tokenExchanges: number;
  tokenRefreshes: number;
  refreshRejected: number;
  /** Refresh attempts with a token that an earlier refresh already rotated out. */
  rotatedRefreshTokenReuse: number;
  invalidAccessToken: number;
  /** Calls carried out whose answer a `lost_answer` fault dropped. */
  lostAnswers: number;
}

/** `lost_answer`: the call is carried out, then the connection drops before the answer. */
export type FaultKind = 'rate_limit' | 'server_error' | 'latency' | 'drop' | 'malformed' | 'lost_answer';
export interface Fault {
  kind: FaultKind;
  /** How many matching requests it hits. */
  remaining: number;
  /** Which requests: Admin API calls (default), token endpoint calls, or both. */
  target: 'admin' | 'token' | 'any';
  mallId?: string;
  /** Only Admin API calls of this route, `METHOD /path` below /api/v2/admin, e.g. `POST /shipments`. */
  route?: string;
  status?: number;
  latencyMs?: number;
}

interface TokenGrant {
  mallId: string;
  scopes: string[];
  expiresAt: number;
}

export interface SimMall {
  mallId: string;
  catalog: SimProduct[];
  orders: SimOrder[];
  ordersById: Map<string, SimOrder>;
  orderSeqByDay: Map<string, number>;
  /** Every shipment (tracking number) registered, in registration order. */
  shipments: SimShipment[];
  random: SeededRandom;
  bucket: LeakyBucket;
  stats: MallStats;
}

export interface SimSettings {
  seed: string;
  clientId: string;
  clientSecret: string;
  bucketCapacity: number;
  leakPerSecond: number;
  productCount: number;
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
}

const emptyStats = (): MallStats => ({
  requests: 0,
  byRoute: {},
  byStatus: {},
  rateLimitedByBucket: 0,
  rateLimitedInjected: 0,
  maxBucketLevel: 0,
  maxOffset: 0,
  maxLimit: 0,
  tokenExchanges: 0,
  tokenRefreshes: 0,
  refreshRejected: 0,
  rotatedRefreshTokenReuse: 0,
  invalidAccessToken: 0,
  lostAnswers: 0,
});

/** Cafe24 token timestamps: KST wall-clock without an offset, e.g. `2021-03-01T14:00:00.000`. */
const tokenTime = (ms: number) => new Date(ms + 9 * 3600_000).toISOString().slice(0, 23);

/**
 * How Admin API answers are written, in the forms our reference leaves open: numbers as JSON
 * numbers or as text, and instants with `+09:00` or as KST wall-clock without an offset
 * (`2026-11-27 14:40:00`).
 */
export interface AnswerForm {
  numbers: 'number' | 'string';
  dates: 'offset' | 'wallClock';
}

export class SimState {
  readonly malls = new Map<string, SimMall>();
  faults: Fault[] = [];
  answerForm: AnswerForm = { numbers: 'number', dates: 'offset' };
  clockOffsetMs = 0;
  private readonly codes = new Map<string, TokenGrant & { redirectUri: string; used: boolean }>();
  private readonly accessTokens = new Map<string, TokenGrant>();
  private readonly refreshTokens = new Map<string, TokenGrant & { rotatedOut: boolean }>();

  constructor(readonly settings: SimSettings) {}

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  mall(mallId: string): SimMall {
    let mall = this.malls.get(mallId);
    if (!mall) {
      mall = {
        mallId,
        catalog: generateCatalog(`${this.settings.seed}:${mallId}`, this.settings.productCount, '2025-01-02T10:00:00+09:00'),
        orders: [],
        ordersById: new Map(),
        orderSeqByDay: new Map(),
        shipments: [],
        random: new SeededRandom(`${this.settings.seed}:${mallId}:orders`),
        bucket: new LeakyBucket(this.settings.bucketCapacity, this.settings.leakPerSecond),
        stats: emptyStats(),
      };
      this.malls.set(mallId, mall);
    }
    return mall;
  }

  resetStats(): void {
    for (const mall of this.malls.values()) {
      mall.stats = emptyStats();
      mall.bucket.maxLevel = 0;
    }
    this.faults = [];
  }

  /** The first fault matching this request, consumed by one. */
  takeFault(target: 'admin' | 'token', mallId: string, route?: string): Fault | undefined {
    const fault = this.faults.find(
      (f) => f.remaining > 0 && (f.target === 'any' || f.target === target) && (!f.mallId || f.mallId === mallId) && (!f.route || f.route === route),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }

  /** Puts back one hit of a fault taken for a call it could not apply to. */
  giveBack(fault: Fault): void {
    if (!this.faults.includes(fault)) this.faults.unshift(fault);
    fault.remaining += 1;
  }

  // --- orders -------------------------------------------------------------------------------

  private nextOrderId(mall: SimMall, paidAt: Date): string {
    const day = kstCompactDate(paidAt);
    const seq = (mall.orderSeqByDay.get(day) ?? 0) + 1;
    mall.orderSeqByDay.set(day, seq);
    return `${day}-${String(seq).padStart(7, '0')}`;
  }

  addOrders(mall: SimMall, specs: Omit<OrderSpec, 'orderId'>[]): SimOrder[] {
    const created = specs.map((spec) => buildOrder({ ...spec, orderId: this.nextOrderId(mall, spec.paidAt) }, mall.catalog, mall.random));
    for (const order of created) {
      mall.orders.push(order);
      mall.ordersById.set(order.order_id, order);
    }
    mall.orders.sort((a, b) => (a.payment_date ?? '').localeCompare(b.payment_date ?? '') || a.order_id.localeCompare(b.order_id));
    return created;
  }

  /** N orders with pay times spread evenly (with seeded jitter) over [from, to). */
  generateOrders(mall: SimMall, count: number, from: Date, to: Date, shopNo: number, status: string | undefined): SimOrder[] {
    const span = to.getTime() - from.getTime();
    const specs = Array.from({ length: count }, (_, i) => ({
      shopNo,
      status,
      paidAt: new Date(from.getTime() + Math.floor(((i + mall.random.next()) / count) * span)),
    }));
    return this.addOrders(mall, specs);
  }

  // --- OAuth --------------------------------------------------------------------------------

  issueCode(mallId: string, redirectUri: string, scopes: string[]): string {
    const code = randomBytes(16).toString('base64url');
    this.codes.set(code, { mallId, redirectUri, scopes, expiresAt: this.now() + 60_000, used: false });
    return code;
  }

  private issueTokens(mallId: string, scopes: string[]) {
    const now = this.now();
    const access = randomBytes(24).toString('base64url');
    const refresh = randomBytes(24).toString('base64url');
    this.accessTokens.set(access, { mallId, scopes, expiresAt: now + this.settings.accessTokenTtlMs });
    this.refreshTokens.set(refresh, { mallId, scopes, expiresAt: now + this.settings.refreshTokenTtlMs, rotatedOut: false });
    return {
      access_token: access,
      expires_at: tokenTime(now + this.settings.accessTokenTtlMs),
      refresh_token: refresh,
      refresh_token_expires_at: tokenTime(now + this.settings.refreshTokenTtlMs),
      client_id: this.settings.clientId,
      mall_id: mallId,
      user_id: `${mallId}`,
      scopes,
      issued_at: tokenTime(now),
      shop_no: '1',
      token_type: 'Bearer',
    };
  }

  exchangeCode(mallId: string, code: string, redirectUri: string) {
    const grant = this.codes.get(code);
    if (!grant || grant.used || grant.mallId !== mallId || grant.expiresAt < this.now() || grant.redirectUri !== redirectUri) return null;
    grant.used = true;
    this.mall(mallId).stats.tokenExchanges += 1;
    return this.issueTokens(mallId, grant.scopes);
  }

  refresh(mallId: string, refreshToken: string) {
    const mall = this.mall(mallId);
    const grant = this.refreshTokens.get(refreshToken);
    if (grant?.rotatedOut) mall.stats.rotatedRefreshTokenReuse += 1;
    if (!grant || grant.rotatedOut || grant.mallId !== mallId || grant.expiresAt < this.now()) {
      mall.stats.refreshRejected += 1;
      return null;
    }
    // Rotation: the old refresh token is dead from now on.
    grant.rotatedOut = true;
    mall.stats.tokenRefreshes += 1;
    return this.issueTokens(mallId, grant.scopes);
  }

  /** Scopes of a valid access token of this mall, or null. */
  authorize(mallId: string, accessToken: string): string[] | null {
    const grant = this.accessTokens.get(accessToken);
    if (!grant || grant.mallId !== mallId || grant.expiresAt <= this.now()) return null;
    return grant.scopes;
  }

  expireAccessTokens(mallId: string): void {
    for (const grant of this.accessTokens.values()) if (grant.mallId === mallId) grant.expiresAt = 0;
  }

  revokeRefreshTokens(mallId: string): void {
    for (const grant of this.refreshTokens.values()) if (grant.mallId === mallId) grant.expiresAt = 0;
  }
}

