import { createHash } from 'node:crypto';
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

export interface SimCarrier {
  /** FASSTO's two-digit code. */
  code: string;
  /** The letter code some clients see instead. */
  letters: string;
  name: string;
}

/** One parcel shipped for a request: its tracking number and the goods in it. */
export interface SimBox {
  boxNo: number;
  invoiceNo: string;
  outDt: string;
  goods: { cstGodCd: string; outQty: number }[];
}

export interface SimOutbound {
  cstCd: string;
  slipNo: string;
  ordNo: string;
  ordDt: string;
  status: SimOutboundStatus;
  createdAt: number;
  /** When the first box left (time-driven progression ships the rest from here). */
  firstShippedAt: number | null;
  /** Chosen at creation from the seed; the control API can change it. */
  carrier: SimCarrier;
  boxes: SimBox[];
  lines: SimOutboundLine[];
  /** Sent as the row's wrkStat/wrkStatNm instead of the real status (to test odd values). */
  rawStatusOverride: { wrkStat: string; wrkStatNm: string | null } | null;
  /** The element as the client sent it. */
  body: Record<string, unknown>;
  /** Cancels received for this request, accepted or refused (a client must send at most one). */
  cancelRequests: number;
}

export type SimFaultRoute = 'create' | 'cancel' | 'list' | 'detail';
/** lostRequest: the connection drops before anything is stored; lostResponse: after. */
export type SimRouteFaultKind = 'serverError' | 'lostResponse' | 'lostRequest' | 'malformed';

export interface SimSettings {
  /** What a second create with an ordNo FMS already holds (not cancelled) does. */
  duplicateOrdNo: 'reject' | 'duplicate';
  /**
   * Requests move on by themselves this long after creation; null: only by control call. A
   * `partialShare` of the requests with several goods ship only their first half of goods at
   * `doneAfterMs` (PARTDONE) and the rest in a second box `restAfterMs` later (DONE).
   */
  progress: { workingAfterMs: number; doneAfterMs: number; partialShare?: number; restAfterMs?: number } | null;
  /** How list and detail rows are written: FASSTO's codes (default) or the words of the status filter. */
  answerForm: {
    /** `code`: wrkStat 1/2/3/8/9 with wrkStatNm (PARTDONE: 3 with 부분출고); `word`: ORDER..SHORTAGE. */
    status: 'code' | 'word';
    /** parcelCd as FASSTO's two-digit code (`04`) or letters (`CJ`), or left out (parcelNm only). */
    carrier: 'code' | 'letters' | 'nameOnly';
    /** outDt and ordDt as yyyyMMdd or YYYY-MM-DD. */
    date: 'yyyyMMdd' | 'YYYY-MM-DD';
  };
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
  /** Every API call received (the token endpoint included). */
  requests: number;
  connects: number;
  createCalls: number;
  createdOutbounds: number;
  serverErrors: number;
  lostResponses: number;
  /** Calls dropped before anything was stored. */
  lostRequests: number;
}

/** Two-digit codes other than CJ's 04 are the simulator's own: clients must match these by name. */
const carriers: (SimCarrier & { weight: number })[] = [
  { code: '04', letters: 'CJ', name: 'CJ대한통운', weight: 6 },
  { code: '05', letters: 'HANJIN', name: '한진택배', weight: 2 },
  { code: '08', letters: 'LOTTE', name: '롯데택배', weight: 1 },
  { code: '01', letters: 'EPOST', name: '우체국택배', weight: 1 },
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
    answerForm: { status: 'code', carrier: 'code', date: 'yyyyMMdd' },
    invalidTokenStatus: 200,
    faults: { latencyMs: 0, serverErrorRate: 0, lostResponseRate: 0 },
  };
}

export class FmsSimState {
  settings: SimSettings = defaultSettings();
  stats: SimStats = { activeRequests: 0, requests: 0, connects: 0, createCalls: 0, createdOutbounds: 0, serverErrors: 0, lostResponses: 0, lostRequests: 0 };
  /** Faults forced on the next calls, before the random ones. */
  pendingFaults = { serverError: 0, lostResponse: 0 };
  /** Faults forced on the next calls of one endpoint, checked before the ones above. */
  routeFaults: { route: SimFaultRoute; kind: SimRouteFaultKind; remaining: number }[] = [];
  private readonly goods = new Map<string, Map<string, SimGoods>>();
  private readonly outbounds = new Map<string, SimOutbound[]>();
  /** Requests by customer and ordNo, so a batch of creates checks repeats without scanning. */
  private readonly byOrdNo = new Map<string, SimOutbound[]>();
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
    this.stats = { activeRequests: this.stats.activeRequests, requests: 0, connects: 0, createCalls: 0, createdOutbounds: 0, serverErrors: 0, lostResponses: 0, lostRequests: 0 };
    this.pendingFaults = { serverError: 0, lostResponse: 0 };
    this.routeFaults = [];
    this.goods.clear();
    this.outbounds.clear();
    this.byOrdNo.clear();
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

  /** The fault forced on this call of `route`, if any (consumed). */
  takeRouteFault(route: SimFaultRoute): SimRouteFaultKind | null {
    const fault = this.routeFaults.find((f) => f.route === route && f.remaining > 0);
    if (!fault) return null;
    fault.remaining -= 1;
    this.routeFaults = this.routeFaults.filter((f) => f.remaining > 0);
    return fault.kind;
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
        if (outbound.status === 'WORKING' && age >= progress.doneAfterMs) {
          const partial = outbound.lines.length > 1 && this.slipRandom(outbound.slipNo, 'partial') < (progress.partialShare ?? 0);
          this.ship(outbound, partial ? outbound.lines.slice(0, Math.floor(outbound.lines.length / 2)).map((l) => l.cstGodCd) : null);
        }
        if (outbound.status === 'PARTDONE' && outbound.firstShippedAt !== null && this.now() - outbound.firstShippedAt >= (progress.restAfterMs ?? progress.doneAfterMs)) {
          this.ship(outbound, null);
        }
      }
    }
    return list;
  }

  /** Time-driven progression never cancels, so this needs no catching up first. */
  activeWithOrdNo(cstCd: string, ordNo: string): SimOutbound | undefined {
    return this.byOrdNo.get(`${cstCd}\u0000${ordNo}`)?.find((o) => o.status !== 'CANCEL');
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
      firstShippedAt: null,
      carrier: { code: '', letters: '', name: '' },
      boxes: [],
      lines: lines.map((l) => ({ ...l, outQty: 0 })),
      rawStatusOverride: null,
      body,
      cancelRequests: 0,
    };
    outbound.carrier = this.carrierFor(outbound.slipNo);
    const list = this.outbounds.get(cstCd) ?? [];
    list.push(outbound);
    this.outbounds.set(cstCd, list);
    const key = `${cstCd}\u0000${outbound.ordNo}`;
    this.byOrdNo.set(key, [...(this.byOrdNo.get(key) ?? []), outbound]);
    this.stats.createdOutbounds += 1;
    return outbound;
  }

  /** A number in [0, 1) fixed by the seed and the slip, whatever order calls come in. */
  private slipRandom(slipNo: string, purpose: string): number {
    return seededRandom(`${this.seed}:${purpose}:${slipNo}`)();
  }

  private carrierFor(slipNo: string): SimCarrier {
    const weights = carriers.reduce((sum, c) => sum + c.weight, 0);
    let roll = this.slipRandom(slipNo, 'carrier') * weights;
    const { weight: _weight, ...carrier } = carriers.find((c) => (roll -= c.weight) < 0) ?? carriers[0]!;
    return carrier;
  }

  /** 12 digits fixed by the seed, the slip and the box: the same run gives the same numbers. */
  private invoiceNo(slipNo: string, boxNo: number): string {
    const hash = createHash('sha256').update(`${this.seed}:invoice:${slipNo}:${boxNo}`).digest();
    return `6${String(hash.readBigUInt64BE(0) % 10n ** 11n).padStart(11, '0')}`;
  }

  /**
   * Ships in a new box what is left of every line (`goods` null) or of the named goods only;
   * the request is DONE once every line has left, PARTDONE before. Nothing left: no box.
   */
  ship(outbound: SimOutbound, goods: readonly string[] | null): SimBox | null {
    const shipped = outbound.lines
      .filter((line) => line.outQty < line.ordQty && (goods === null || goods.includes(line.cstGodCd)))
      .map((line) => ({ line, qty: line.ordQty - line.outQty }));
    if (shipped.length === 0) return null;
    for (const { line, qty } of shipped) line.outQty += qty;
    const boxNo = outbound.boxes.length + 1;
    const box: SimBox = {
      boxNo,
      invoiceNo: this.invoiceNo(outbound.slipNo, boxNo),
      outDt: kstCompactDate(new Date(this.now())),
      goods: shipped.map(({ line, qty }) => ({ cstGodCd: line.cstGodCd, outQty: qty })),
    };
    outbound.boxes.push(box);
    outbound.firstShippedAt ??= this.now();
    outbound.status = outbound.lines.every((line) => line.outQty >= line.ordQty) ? 'DONE' : 'PARTDONE';
    return box;
  }
}
