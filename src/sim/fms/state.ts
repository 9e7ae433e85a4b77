import { kstCompactDate } from '../../domain/kst.js';
import { digits, pick, seededRandom } from './random.js';

/**
 * The simulated FMS's memory: goods catalogues and outbound requests per customer, tokens,
 * behaviour settings and pending faults. Everything random comes from PRNGs seeded by the
 * simulator seed, so a run with the same calls in the same order gives the same slips, invoice
 * numbers and carriers.
 */

export type SimOutboundStatus = 'ORDER' | 'WORKING' | 'DONE' | 'PARTDONE' | 'CANCEL' | 'SHORTAGE';

export interface SimGoods {
  cstGodCd: string;
  godCd: string;
  godNm: string;
  godType: '1' | '3';
  godBarcd: string;
  useYn: 'Y' | 'N';
  /** Stock is short: requests with this goods get status SHORTAGE. */
  outOfStock: boolean;
}

export interface SimOutboundLine {
  cstGodCd: string;
  ordQty: number;
  outQty: number;
}

export interface SimOutbound {
  cstCd: string;
  slipNo: string;
  ordNo: string;
  ordDt: string;
  status: SimOutboundStatus;
  createdAt: number;
  invoiceNo: string | null;
  parcelCd: string | null;
  parcelNm: string | null;
  outDt: string | null;
  lines: SimOutboundLine[];
  /** The element as the client sent it. */
  body: Record<string, unknown>;
}

export interface SimSettings {
  /** What a second create with an ordNo FMS already holds (not cancelled) does. */
  duplicateOrdNo: 'reject' | 'duplicate';
  /** Requests move on by themselves this long after creation; null: only by control call. */
  progress: { workingAfterMs: number; doneAfterMs: number } | null;
  /** HTTP status FMS answers an expired or unknown token with (always with code INVALID_ACCESS). */
  invalidTokenStatus: 200 | 401;
  faults: {
    /** Added before every API answer. */
    latencyMs: number;
    /** Share of API calls answered 500 before doing anything. */
    serverErrorRate: number;
    /** Share of creates and cancels that are stored, after which the connection is dropped unanswered. */
    lostResponseRate: number;
  };
}

export interface SimStats {
  /** API calls being handled right now (latency included). */
  activeRequests: number;
  connects: number;
  createCalls: number;
  createdOutbounds: number;
  serverErrors: number;
  lostResponses: number;
}

const carriers = [
  { code: 'CJ', name: 'CJ대한통운', weight: 6 },
  { code: 'HANJIN', name: '한진택배', weight: 2 },
  { code: 'LOTTE', name: '롯데택배', weight: 1 },
  { code: 'EPOST', name: '우체국택배', weight: 1 },
];
const goodsNouns = ['티셔츠', '양말', '머그컵', '에코백', '텀블러', '노트', '수건', '우산', '모자', '키링', '파우치', '쿠션'];
const goodsAdjectives = ['기본', '오버핏', '프리미엄', '미니', '빅', '데일리'];

/** yyyyMMddHHmmss in Korean time, the form FMS gives token expiries in. */
export function kstTimestamp(epochMs: number): string {
  return new Date(epochMs + 9 * 3_600_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

export function defaultSettings(): SimSettings {
  return {
    duplicateOrdNo: 'reject',
    progress: null,
    invalidTokenStatus: 200,
    faults: { latencyMs: 0, serverErrorRate: 0, lostResponseRate: 0 },
  };
}

export class FmsSimState {
  settings: SimSettings = defaultSettings();
  stats: SimStats = { activeRequests: 0, connects: 0, createCalls: 0, createdOutbounds: 0, serverErrors: 0, lostResponses: 0 };
  /** Faults forced on the next calls, before the random ones. */
  pendingFaults = { serverError: 0, lostResponse: 0 };
  private readonly goods = new Map<string, Map<string, SimGoods>>();
  private readonly outbounds = new Map<string, SimOutbound[]>();
  private readonly tokens = new Map<string, number>();
  private random: () => number;
  private slipSeq = 0;

  constructor(
    readonly seed: string,
    readonly now: () => number,
    private readonly tokenTtlMs: number,
  ) {
    this.random = seededRandom(`${seed}:events`);
  }

  reset(): void {
    this.settings = defaultSettings();
    this.stats = { activeRequests: this.stats.activeRequests, connects: 0, createCalls: 0, createdOutbounds: 0, serverErrors: 0, lostResponses: 0 };
    this.pendingFaults = { serverError: 0, lostResponse: 0 };
    this.goods.clear();
    this.outbounds.clear();
    this.tokens.clear();
    this.random = seededRandom(`${this.seed}:events`);
    this.slipSeq = 0;
  }

  /** Whether this call draws the fault: a forced one first, else by rate. */
  drawFault(kind: 'serverError' | 'lostResponse', rate: number): boolean {
    if (this.pendingFaults[kind] > 0) {
      this.pendingFaults[kind] -= 1;
      return true;
    }
    return rate > 0 && this.random() < rate;
  }

  issueToken(): { accessToken: string; expiresAt: number } {
    this.stats.connects += 1;
    const accessToken = `simtok_${digits(this.random, 24)}`;
    const expiresAt = this.now() + this.tokenTtlMs;
    this.tokens.set(accessToken, expiresAt);
    return { accessToken, expiresAt };
  }

  tokenValid(value: string | undefined): boolean {
    const expiresAt = value ? this.tokens.get(value) : undefined;
    return expiresAt !== undefined && expiresAt > this.now();
  }

  expireTokens(): void {
    this.tokens.clear();
  }

  /** The customer's catalogue, generated from the seed on first use. */
  catalogue(cstCd: string): Map<string, SimGoods> {
    let catalogue = this.goods.get(cstCd);
    if (!catalogue) {
      const random = seededRandom(`${this.seed}:goods:${cstCd}`);
      catalogue = new Map();
      for (let n = 1; n <= 12; n++) {
        const cstGodCd = `G${String(n).padStart(3, '0')}`;
        catalogue.set(cstGodCd, {
          cstGodCd,
          godCd: `${cstCd}${String(n).padStart(5, '0')}`,
          godNm: `${pick(random, goodsAdjectives)} ${pick(random, goodsNouns)}`,
          godType: '1',
          godBarcd: `880${digits(random, 10)}`,
          useYn: 'Y',
          outOfStock: false,
        });
      }
      this.goods.set(cstCd, catalogue);
    }
    return catalogue;
  }

  replaceCatalogue(cstCd: string, goods: { cstGodCd: string; godNm: string; outOfStock?: boolean }[]): void {
    const random = seededRandom(`${this.seed}:goods:${cstCd}:replaced`);
    this.goods.set(
      cstCd,
      new Map(
        goods.map((g, i) => [
          g.cstGodCd,
          {
            cstGodCd: g.cstGodCd,
            godCd: `${cstCd}${String(i + 1).padStart(5, '0')}`,
            godNm: g.godNm,
            godType: '1',
            godBarcd: `880${digits(random, 10)}`,
            useYn: 'Y',
            outOfStock: g.outOfStock ?? false,
          },
        ]),
      ),
    );
  }

  /** Every request of the customer, moved on by time first when progression is on. */
  outboundsOf(cstCd: string): SimOutbound[] {
    const list = this.outbounds.get(cstCd) ?? [];
    const progress = this.settings.progress;
    if (progress) {
      for (const outbound of list) {
        const age = this.now() - outbound.createdAt;
        if (outbound.status === 'ORDER' && age >= progress.workingAfterMs) outbound.status = 'WORKING';
        if (outbound.status === 'WORKING' && age >= progress.doneAfterMs) this.ship(outbound, null);
      }
    }
    return list;
  }

  activeWithOrdNo(cstCd: string, ordNo: string): SimOutbound | undefined {
    return this.outboundsOf(cstCd).find((o) => o.ordNo === ordNo && o.status !== 'CANCEL');
  }

  store(cstCd: string, body: Record<string, unknown> & { ordNo: string; ordDt: string }, lines: { cstGodCd: string; ordQty: number }[], shortage: boolean): SimOutbound {
    this.slipSeq += 1;
    const outbound: SimOutbound = {
      cstCd,
      slipNo: `FS${kstCompactDate(new Date(this.now()))}${String(this.slipSeq).padStart(6, '0')}`,
      ordNo: body.ordNo,
      ordDt: body.ordDt,
      status: shortage ? 'SHORTAGE' : 'ORDER',
      createdAt: this.now(),
      invoiceNo: null,
      parcelCd: null,
      parcelNm: null,
      outDt: null,
      lines: lines.map((l) => ({ ...l, outQty: 0 })),
      body,
    };
    const list = this.outbounds.get(cstCd) ?? [];
    list.push(outbound);
    this.outbounds.set(cstCd, list);
    this.stats.createdOutbounds += 1;
    return outbound;
  }

  /** Ships the request: all lines (DONE), or only `shippedGoods` (PARTDONE). */
  ship(outbound: SimOutbound, shippedGoods: readonly string[] | null): void {
    let total = 0;
    for (const line of outbound.lines) {
      line.outQty = shippedGoods === null || shippedGoods.includes(line.cstGodCd) ? line.ordQty : 0;
      total += line.outQty;
    }
    const weights = carriers.reduce((sum, c) => sum + c.weight, 0);
    let roll = this.random() * weights;
    const carrier = carriers.find((c) => (roll -= c.weight) < 0) ?? carriers[0]!;
    outbound.status = shippedGoods === null || total === outbound.lines.reduce((s, l) => s + l.ordQty, 0) ? 'DONE' : 'PARTDONE';
    outbound.invoiceNo = digits(this.random, 12);
    outbound.parcelCd = carrier.code;
    outbound.parcelNm = carrier.name;
    outbound.outDt = kstCompactDate(new Date(this.now()));
  }
}
