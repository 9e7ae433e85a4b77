import type { AddressInfo } from 'node:net';
import { serve, type HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { compactFmsDay, parseFmsStatus } from '../../domain/fms-progress.js';
import { FmsSimState, kstTimestamp, type SimFaultRoute, type SimRouteFaultKind, type SimOutbound, type SimOutboundStatus, type SimSettings } from './state.js';

/**
 * A simulated FMS (FASSTO open API) over real HTTP for dev and tests: the same paths, token
 * auth and envelope as the client expects, requests in memory per customer, and the failure
 * modes that make shipment requests go missing or double: 5xx, latency, responses lost after
 * the request was stored, and a switch for what a repeated ordNo does. Delivery list and detail
 * answer in FASSTO's form (wrkStat codes with wrkStatNm, parcelCd codes with parcelNm) unless
 * `answerForm` says otherwise, and accept date segments as yyyyMMdd or YYYY-MM-DD. Control API
 * under /__control (see README).
 */

export interface FmsSimulatorOptions {
  port?: number;
  host?: string;
  seed?: string;
  apiCd?: string;
  apiKey?: string;
  tokenTtlMs?: number;
  now?: () => number;
  settings?: Partial<SimSettings>;
}

type Env = { Bindings: HttpBindings };
type Ctx = Context<Env>;

const okCode = '200';

const elementSchema = z.looseObject({
  ordDt: z.string().regex(/^\d{8}$/),
  ordNo: z.string().min(1).max(30),
  custNm: z.string().min(1),
  custTelNo: z.string().min(1),
  custAddr: z.string().min(1),
  outWay: z.enum(['1', '3']),
  shipReqTerm: z.string().max(100).optional(),
  godCds: z.array(z.looseObject({ cstGodCd: z.string().min(1), ordQty: z.number().int().positive() })).min(1),
});
const cancelSchema = z.array(z.looseObject({ slipNo: z.string().min(1), ordNo: z.string().optional() }));
const settingsPatchSchema = z.object({
  duplicateOrdNo: z.enum(['reject', 'duplicate']).optional(),
  progress: z
    .object({
      workingAfterMs: z.number().int().min(0),
      doneAfterMs: z.number().int().min(0),
      partialShare: z.number().min(0).max(1).optional(),
      restAfterMs: z.number().int().min(0).optional(),
    })
    .nullable()
    .optional(),
  answerForm: z
    .object({ status: z.enum(['code', 'word']).optional(), carrier: z.enum(['code', 'letters', 'nameOnly']).optional(), date: z.enum(['yyyyMMdd', 'YYYY-MM-DD']).optional() })
    .optional(),
  invalidTokenStatus: z.union([z.literal(200), z.literal(401)]).optional(),
  faults: z
    .object({
      latencyMs: z.number().int().min(0).optional(),
      serverErrorRate: z.number().min(0).max(1).optional(),
      lostResponseRate: z.number().min(0).max(1).optional(),
    })
    .optional(),
});
const goodsListSchema = z.array(z.object({ cstGodCd: z.string().min(1), godNm: z.string().min(1), outOfStock: z.boolean().optional() }));
const goodsPatchSchema = z.object({ outOfStock: z.boolean().optional(), useYn: z.enum(['Y', 'N']).optional() });
const advanceSchema = z.object({ to: z.enum(['WORKING', 'DONE', 'PARTDONE']), shippedGoods: z.array(z.string()).optional() });
const carrierSchema = z.object({ code: z.string(), letters: z.string().optional(), name: z.string() });
const rawStatusSchema = z.object({ wrkStat: z.string(), wrkStatNm: z.string().nullable().optional() });
const failNextSchema = z.union([
  z.object({ kind: z.enum(['serverError', 'lostResponse']), count: z.number().int().min(1), route: z.undefined().optional() }),
  z.object({ kind: z.enum(['serverError', 'lostResponse', 'lostRequest', 'malformed']), count: z.number().int().min(1), route: z.enum(['create', 'cancel', 'list', 'detail']) }),
]);

function envelope(data: unknown) {
  return { header: { code: okCode, dataCount: Array.isArray(data) ? data.length : 1, msg: 'SUCCESS' }, errorInfo: null, data };
}

function failure(c: Ctx, status: 200 | 400 | 401, errorCode: string, errorMessage: string) {
  return c.json({ header: { code: String(status), dataCount: 0, msg: 'FAIL' }, errorInfo: { errorCode, errorMessage, errorData: [] }, data: null }, status);
}

/** The connection drops: the client never hears whether the request was stored. */
function loseResponse(c: Ctx): Response {
  c.env.incoming.socket.destroy();
  return new Response(null, { status: 204 });
}

/**
 * Answers with a fault forced on this endpoint, if one is: a 500 or a dropped connection before
 * doing anything (lostRequest), or, once the work is done, a dropped connection or a cut-off body.
 * A create call is one batch, so a fault hits every element of it alike.
 */
function withRouteFault(state: FmsSimState, c: Ctx, route: SimFaultRoute, work: () => Response | Promise<Response>): Response | Promise<Response> {
  const fault = state.takeRouteFault(route);
  if (fault === 'serverError') {
    state.stats.serverErrors += 1;
    return c.text('simulated server error', 500);
  }
  if (fault === 'lostRequest') {
    state.stats.lostRequests += 1;
    return loseResponse(c);
  }
  if (!fault) return work();
  return Promise.resolve(work()).then((answer) => {
    if (fault === 'malformed') return c.body('{"header":{"code":"200"},"data":[{"slipNo":', 200, { 'content-type': 'application/json' });
    state.stats.lostResponses += 1;
    void answer.body?.cancel();
    return loseResponse(c);
  });
}

/** FASSTO's wrkStat codes; a partial shipment has none, so it goes out as 3 named 부분출고. */
const statusForms: Record<SimOutboundStatus, { code: string; name: string }> = {
  ORDER: { code: '1', name: '출고요청' },
  WORKING: { code: '2', name: '출고작업중' },
  DONE: { code: '3', name: '출고완료' },
  PARTDONE: { code: '3', name: '부분출고' },
  CANCEL: { code: '8', name: '출고요청취소' },
  SHORTAGE: { code: '9', name: '재고부족' },
};

/** A yyyyMMdd day in the configured form. */
function answerDay(day: string | null, form: SimSettings['answerForm']): string | null {
  return day && form.date === 'YYYY-MM-DD' ? `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}` : day;
}

/** A delivery-list row as FMS answers it, in the configured form. */
function outboundRow(o: SimOutbound, form: SimSettings['answerForm']) {
  const status = o.rawStatusOverride ?? { wrkStat: form.status === 'code' ? statusForms[o.status].code : o.status, wrkStatNm: statusForms[o.status].name };
  const date = (day: string | null) => answerDay(day, form);
  const latest = o.boxes.at(-1) ?? null;
  const carrierCode = form.carrier === 'code' ? o.carrier.code : form.carrier === 'letters' ? o.carrier.letters : undefined;
  return {
    slipNo: o.slipNo,
    ordNo: o.ordNo,
    ordSeq: 1,
    ordDt: date(o.ordDt),
    outDiv: '1',
    ...status,
    // One column: the latest box's number (the detail lists every box).
    invoiceNo: latest?.invoiceNo ?? null,
    ...(latest ? { ...(carrierCode === undefined ? {} : { parcelCd: carrierCode }), parcelNm: o.carrier.name } : { parcelCd: null, parcelNm: null }),
    outDt: date(latest?.outDt ?? null),
  };
}

/** The outbound detail by slip: the row plus goods with ordered/shipped quantities and the boxes. */
function outboundDetail(o: SimOutbound, form: SimSettings['answerForm']) {
  const row = outboundRow(o, form);
  return {
    ...row,
    godCds: o.lines.map((l) => ({ cstGodCd: l.cstGodCd, ordQty: l.ordQty, outQty: l.outQty })),
    boxes: o.boxes.map((box) => ({
      boxNo: String(box.boxNo),
      invoiceNo: box.invoiceNo,
      ...('parcelCd' in row ? { parcelCd: row.parcelCd } : {}),
      parcelNm: row.parcelNm,
      outDt: answerDay(box.outDt, form),
      godCds: box.goods,
    })),
  };
}

/** The internal view the control API gives: normalised status, lines, boxes and the body sent. */
function controlView(o: SimOutbound) {
  return {
    slipNo: o.slipNo,
    ordNo: o.ordNo,
    ordDt: o.ordDt,
    wrkStat: o.status,
    carrier: o.carrier,
    invoiceNos: o.boxes.map((b) => b.invoiceNo),
    boxes: o.boxes,
    godCds: o.lines,
    body: o.body,
    cancelRequests: o.cancelRequests,
  };
}

export function createFmsSimulatorApp(state: FmsSimState, credentials: { apiCd: string; apiKey: string }) {
  const app = new Hono<Env>();
  const api = new Hono<Env>();

  api.use('/api/*', async (c, next) => {
    state.stats.activeRequests += 1;
    state.stats.requests += 1;
    try {
      const { latencyMs, serverErrorRate } = state.settings.faults;
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      if (state.drawFault('serverError', serverErrorRate)) {
        state.stats.serverErrors += 1;
        return c.text('simulated server error', 500);
      }
      if (c.req.path === '/api/v1/auth/connect') return await next();
      if (!state.tokenValid(c.req.header('accessToken'))) {
        return failure(c, state.settings.invalidTokenStatus, 'INVALID_ACCESS', '유효하지 않은 토큰입니다.');
      }
      return await next();
    } finally {
      state.stats.activeRequests -= 1;
    }
  });

  api.post('/api/v1/auth/connect', (c) => {
    if (c.req.query('apiCd') !== credentials.apiCd || c.req.query('apiKey') !== credentials.apiKey) {
      return failure(c, 200, 'AUTH_FAIL', 'API 인증 정보가 올바르지 않습니다.');
    }
    const token = state.issueToken();
    return c.json(envelope({ accessToken: token.accessToken, expreDatetime: kstTimestamp(token.expiresAt) }));
  });

  api.post('/api/v1/delivery/parcel/:cstCd', (c) => withRouteFault(state, c, 'create', async () => {
    const cstCd = c.req.param('cstCd');
    const body: unknown = await c.req.json().catch(() => null);
    if (!Array.isArray(body)) return failure(c, 200, 'INVALID_PARAM', '요청 본문은 배열이어야 합니다.');
    state.stats.createCalls += 1;
    const catalogue = state.catalogue(cstCd);
    const results = body.map((raw: unknown) => {
      const orderNo = typeof raw === 'object' && raw !== null && 'ordNo' in raw ? String(raw.ordNo) : null;
      const parsed = elementSchema.safeParse(raw);
      if (!parsed.success) {
        return { fmsSlipNo: null, orderNo, code: 'INVALID_PARAM', msg: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), outOfStockGoodsDetail: null };
      }
      const element = parsed.data;
      const unknown = element.godCds.filter((g) => catalogue.get(g.cstGodCd)?.useYn !== 'Y').map((g) => g.cstGodCd);
      if (unknown.length > 0) {
        return { fmsSlipNo: null, orderNo, code: 'GOODS_NOT_FOUND', msg: `등록되지 않은 상품코드: ${unknown.join(', ')}`, outOfStockGoodsDetail: null };
      }
      const existing = state.activeWithOrdNo(cstCd, element.ordNo);
      if (existing && state.settings.duplicateOrdNo === 'reject') {
        return { fmsSlipNo: null, orderNo, code: 'DUPLICATE_ORDER', msg: `이미 등록된 주문번호입니다 (${existing.slipNo})`, outOfStockGoodsDetail: null };
      }
      const lines = new Map<string, number>();
      for (const g of element.godCds) lines.set(g.cstGodCd, (lines.get(g.cstGodCd) ?? 0) + g.ordQty);
      const short = [...lines].filter(([cstGodCd]) => catalogue.get(cstGodCd)?.outOfStock);
      const stored = state.store(cstCd, element, [...lines].map(([cstGodCd, ordQty]) => ({ cstGodCd, ordQty })), short.length > 0);
      return {
        fmsSlipNo: stored.slipNo,
        orderNo,
        code: okCode,
        msg: short.length > 0 ? '재고부족' : '정상',
        outOfStockGoodsDetail: short.length > 0 ? short.map(([cstGodCd, ordQty]) => ({ cstGodCd, ordQty, stockQty: 0 })) : null,
      };
    });
    if (state.drawFault('lostResponse', state.settings.faults.lostResponseRate)) {
      state.stats.lostResponses += 1;
      return loseResponse(c);
    }
    return c.json(envelope(results));
  }));

  api.patch('/api/v1/delivery/cancel/:cstCd', (c) => withRouteFault(state, c, 'cancel', async () => {
    const parsed = cancelSchema.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return failure(c, 200, 'INVALID_PARAM', '취소 요청 형식이 올바르지 않습니다.');
    const outbounds = state.outboundsOf(c.req.param('cstCd'));
    const results = parsed.data.map(({ slipNo, ordNo }) => {
      const outbound = outbounds.find((o) => o.slipNo === slipNo);
      if (!outbound) return { slipNo, ordNo, code: 'NOT_FOUND', msg: '출고요청을 찾을 수 없습니다.' };
      outbound.cancelRequests += 1;
      if (outbound.status !== 'ORDER' && outbound.status !== 'SHORTAGE' && outbound.status !== 'CANCEL') {
        return { slipNo, ordNo: outbound.ordNo, code: 'CANNOT_CANCEL', msg: `취소할 수 없는 상태입니다 (${outbound.status})` };
      }
      outbound.status = 'CANCEL';
      return { slipNo, ordNo: outbound.ordNo, code: okCode, msg: '취소되었습니다.' };
    });
    if (state.drawFault('lostResponse', state.settings.faults.lostResponseRate)) {
      state.stats.lostResponses += 1;
      return loseResponse(c);
    }
    return c.json(envelope(results));
  }));

  /** Both forms FASSTO clients send: yyyyMMdd and YYYY-MM-DD. */
  const dateRange = (c: Ctx) => {
    const [start, end] = [compactFmsDay(c.req.param('start')), compactFmsDay(c.req.param('end'))];
    const exact = (segment: string | undefined) => /^\d{8}$|^\d{4}-\d{2}-\d{2}$/.test(segment ?? '');
    return start && end && exact(c.req.param('start')) && exact(c.req.param('end')) && start <= end ? { start, end } : null;
  };
  const form = () => state.settings.answerForm;

  api.get('/api/v1/delivery/parcel/:cstCd/:start/:end/:outDiv', (c) => {
    const range = dateRange(c);
    if (!range) return failure(c, 200, 'INVALID_PARAM', '조회 기간이 올바르지 않습니다.');
    const rows = c.req.param('outDiv') !== '1' ? [] : state.outboundsOf(c.req.param('cstCd')).filter((o) => o.ordDt >= range.start && o.ordDt <= range.end);
    return c.json(envelope(rows.map((o) => outboundRow(o, form()))));
  });

  api.get('/api/v1/delivery/detail/:cstCd/:slipNo', (c) =>
    withRouteFault(state, c, 'detail', () => {
      const outbound = state.outboundsOf(c.req.param('cstCd')).find((o) => o.slipNo === c.req.param('slipNo'));
      if (!outbound) return failure(c, 200, 'NOT_FOUND', '출고요청을 찾을 수 없습니다.');
      return c.json(envelope(outboundDetail(outbound, form())));
    }),
  );

  api.get('/api/v1/delivery/:cstCd/:start/:end/:status/:outDiv', (c) =>
    withRouteFault(state, c, 'list', () => {
      const range = dateRange(c);
      if (!range) return failure(c, 200, 'INVALID_PARAM', '조회 기간이 올바르지 않습니다.');
      // The filter takes the words; a code is accepted too.
      const filter = c.req.param('status');
      const status = filter === 'ALL' ? 'ALL' : parseFmsStatus(filter, null);
      if (status === 'UNKNOWN') return failure(c, 200, 'INVALID_PARAM', `알 수 없는 상태입니다: ${filter}`);
      const ordNo = c.req.query('ordNo');
      const rows =
        c.req.param('outDiv') !== '1'
          ? []
          : state
              .outboundsOf(c.req.param('cstCd'))
              .filter((o) => o.ordDt >= range.start && o.ordDt <= range.end && (status === 'ALL' || o.status === status) && (!ordNo || o.ordNo === ordNo));
      return c.json(envelope(rows.map((o) => outboundRow(o, form()))));
    }),
  );

  api.get('/api/v1/goods/:cstCd', (c) => {
    const goods = [...state.catalogue(c.req.param('cstCd')).values()].map(({ outOfStock: _outOfStock, ...g }) => g);
    return c.json(envelope(goods));
  });

  app.route('/', api);
  app.route('/__control', createControlApp(state));
  return app;
}

/** In-process handle on the simulator, the same operations as the /__control HTTP API. */
export function createFmsSimControl(state: FmsSimState) {
  /** A request that is not cancelled. */
  const find = (cstCd: string, slipNo: string) => state.outboundsOf(cstCd).find((o) => o.slipNo === slipNo && o.status !== 'CANCEL');
  const control = {
    updateSettings(patch: z.input<typeof settingsPatchSchema>): SimSettings {
      const parsed = settingsPatchSchema.parse(patch);
      const { faults, answerForm, ...rest } = parsed;
      state.settings = {
        ...state.settings,
        ...rest,
        answerForm: { ...state.settings.answerForm, ...answerForm },
        faults: { ...state.settings.faults, ...faults },
      } as SimSettings;
      return state.settings;
    },
    /**
     * Forces the next `count` calls to fail this way: without `route`, any call (serverError) or
     * creates and cancels (lostResponse); with `route`, only that endpoint's calls, where
     * lostResponse and malformed happen after the work is done and lostRequest before it.
     */
    failNext(kind: SimRouteFaultKind, count = 1, route?: SimFaultRoute): void {
      if (route) state.routeFaults.push({ route, kind, remaining: count });
      else if (kind === 'malformed' || kind === 'lostRequest') throw new Error(`a ${kind} fault needs a route`);
      else state.pendingFaults[kind] += count;
    },
    expireTokens: () => state.expireTokens(),
    /** Every request of the customer as the simulator holds it (status as a word, boxes, body). */
    outbounds: (cstCd: string) => state.outboundsOf(cstCd).map(controlView),
    goods: (cstCd: string) => [...state.catalogue(cstCd).values()],
    replaceGoods(cstCd: string, goods: z.input<typeof goodsListSchema>): void {
      state.replaceCatalogue(cstCd, goodsListSchema.parse(goods));
    },
    updateGoods(cstCd: string, cstGodCd: string, patch: z.input<typeof goodsPatchSchema>): boolean {
      const goods = state.catalogue(cstCd).get(cstGodCd);
      if (!goods) return false;
      Object.assign(goods, goodsPatchSchema.parse(patch));
      return true;
    },
    /**
     * Moves a request on: WORKING; DONE ships whatever is left in one box; PARTDONE ships the
     * rest of `shippedGoods` only, in one box (DONE if that was everything left).
     */
    advance(cstCd: string, slipNo: string, to: 'WORKING' | 'DONE' | 'PARTDONE', shippedGoods?: string[]): ReturnType<typeof controlView> | null {
      const outbound = find(cstCd, slipNo);
      if (!outbound) return null;
      if (to === 'WORKING') outbound.status = 'WORKING';
      else state.ship(outbound, to === 'DONE' ? null : (shippedGoods ?? []));
      return controlView(outbound);
    },
    /** Ships everything left now, in one box with a new invoice number. */
    shipNow: (cstCd: string, slipNo: string) => control.advance(cstCd, slipNo, 'DONE'),
    /** Ships only these goods now, in one box; a later shipNow sends the rest in another box. */
    shipPartially: (cstCd: string, slipNo: string, goods: string[]) => control.advance(cstCd, slipNo, 'PARTDONE', goods),
    /** The carrier this request's rows name (any code and name, e.g. one no mapping knows). */
    setCarrier(cstCd: string, slipNo: string, carrier: z.input<typeof carrierSchema>): boolean {
      const outbound = find(cstCd, slipNo);
      if (!outbound) return false;
      const parsed = carrierSchema.parse(carrier);
      outbound.carrier = { code: parsed.code, letters: parsed.letters ?? parsed.code, name: parsed.name };
      return true;
    },
    /** Sends this wrkStat/wrkStatNm for the request instead of its real status (null: back to real). */
    setRawStatus(cstCd: string, slipNo: string, raw: z.input<typeof rawStatusSchema> | null): boolean {
      const outbound = find(cstCd, slipNo);
      if (!outbound) return false;
      const parsed = raw === null ? null : rawStatusSchema.parse(raw);
      outbound.rawStatusOverride = parsed ? { wrkStat: parsed.wrkStat, wrkStatNm: parsed.wrkStatNm ?? null } : null;
      return true;
    },
    stats: () => ({ ...state.stats }),
    reset: () => state.reset(),
  };
  return control;
}

export type FmsSimControl = ReturnType<typeof createFmsSimControl>;

function createControlApp(state: FmsSimState) {
  const control = createFmsSimControl(state);
  const app = new Hono<Env>();
  const body = async <T extends z.ZodType>(c: Ctx, schema: T): Promise<z.output<T> | Response> => {
    const parsed = schema.safeParse(await c.req.json().catch(() => undefined));
    return parsed.success ? parsed.data : c.json({ error: z.prettifyError(parsed.error) }, 400);
  };
  app.get('/state', (c) => c.json({ settings: state.settings, stats: control.stats(), pendingFaults: { ...state.pendingFaults, routes: state.routeFaults } }));
  app.patch('/settings', async (c) => {
    const patch = await body(c, settingsPatchSchema);
    return patch instanceof Response ? patch : c.json(control.updateSettings(patch));
  });
  app.post('/faults/next', async (c) => {
    const fault = await body(c, failNextSchema);
    if (fault instanceof Response) return fault;
    control.failNext(fault.kind, fault.count, fault.route);
    return c.json({ ...state.pendingFaults, routes: state.routeFaults });
  });
  app.post('/tokens/expire', (c) => {
    control.expireTokens();
    return c.body(null, 204);
  });
  app.post('/reset', (c) => {
    control.reset();
    return c.body(null, 204);
  });
  app.get('/customers/:cstCd/outbounds', (c) => c.json(control.outbounds(c.req.param('cstCd'))));
  app.post('/customers/:cstCd/outbounds/:slipNo/advance', async (c) => {
    const step = await body(c, advanceSchema);
    if (step instanceof Response) return step;
    const row = control.advance(c.req.param('cstCd'), c.req.param('slipNo'), step.to, step.shippedGoods);
    return row ? c.json(row) : c.json({ error: 'no such outbound request (or cancelled)' }, 404);
  });
  app.put('/customers/:cstCd/outbounds/:slipNo/carrier', async (c) => {
    const carrier = await body(c, carrierSchema);
    if (carrier instanceof Response) return carrier;
    return control.setCarrier(c.req.param('cstCd'), c.req.param('slipNo'), carrier) ? c.body(null, 204) : c.json({ error: 'no such outbound request (or cancelled)' }, 404);
  });
  app.put('/customers/:cstCd/outbounds/:slipNo/raw-status', async (c) => {
    const raw = await body(c, rawStatusSchema.nullable());
    if (raw instanceof Response) return raw;
    return control.setRawStatus(c.req.param('cstCd'), c.req.param('slipNo'), raw) ? c.body(null, 204) : c.json({ error: 'no such outbound request (or cancelled)' }, 404);
  });
  app.get('/customers/:cstCd/goods', (c) => c.json(control.goods(c.req.param('cstCd'))));
  app.put('/customers/:cstCd/goods', async (c) => {
    const goods = await body(c, goodsListSchema);
    if (goods instanceof Response) return goods;
    control.replaceGoods(c.req.param('cstCd'), goods);
    return c.json(control.goods(c.req.param('cstCd')));
  });
  app.patch('/customers/:cstCd/goods/:cstGodCd', async (c) => {
    const patch = await body(c, goodsPatchSchema);
    if (patch instanceof Response) return patch;
    return control.updateGoods(c.req.param('cstCd'), c.req.param('cstGodCd'), patch) ? c.body(null, 204) : c.json({ error: 'no such goods' }, 404);
  });
  return app;
}

export interface RunningFmsSimulator {
  url: string;
  controlUrl: string;
  apiCd: string;
  apiKey: string;
  control: FmsSimControl;
  stop(): Promise<void>;
}

export async function startFmsSimulator(options: FmsSimulatorOptions = {}): Promise<RunningFmsSimulator> {
  const credentials = { apiCd: options.apiCd ?? 'sim-api-cd', apiKey: options.apiKey ?? 'sim-api-key' };
  const state = new FmsSimState(options.seed ?? 'fms-sim', options.now ?? Date.now, options.tokenTtlMs ?? 3_600_000);
  const control = createFmsSimControl(state);
  if (options.settings) control.updateSettings(options.settings);
  const app = createFmsSimulatorApp(state, credentials);
  const host = options.host ?? '127.0.0.1';
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, (info: AddressInfo) => resolve({ server, port: info.port }));
    server.once('error', reject);
  });
  const url = `http://${host}:${port}`;
  return {
    url,
    controlUrl: `${url}/__control`,
    ...credentials,
    control,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
    },
  };
}
