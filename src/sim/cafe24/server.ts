import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as admin from './admin-api.js';
import { generateCatalog, type SimProduct } from './catalog.js';
import { SimState, type Fault, type FaultKind, type SimMall } from './state.js';

/**
 * A Cafe24 stand-in over real HTTP for development and tests (never imported by product code).
 * Mall `m` lives under `/malls/m`, so the API base-URL template is `{url}/malls/{mall_id}`.
 * The control API under `/__control` is documented in the README.
 */

export interface Cafe24SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  seed?: string | number;
  clientId?: string;
  clientSecret?: string;
  /** Leaky bucket per mall; Cafe24's is 40 deep and drains about 2 calls/s. */
  bucket?: { capacity?: number; leakPerSecond?: number };
  productCount?: number;
  accessTokenTtlMs?: number;
  refreshTokenTtlMs?: number;
}

export interface Cafe24Simulator {
  url: string;
  port: number;
  /** `CAFE24_API_BASE_URL` for this simulator. */
  apiBaseUrlTemplate: string;
  clientId: string;
  clientSecret: string;
  state: SimState;
  stop(): Promise<void>;
}

export const simulatorDefaults = { clientId: 'sim-client-id', clientSecret: 'sim-client-secret' };

const scopeOf = (method: string, path: string): string => {
  if (path.startsWith('/orders') || path.startsWith('/shipments')) return method === 'GET' ? 'mall.read_order' : 'mall.write_order';
  if (path.startsWith('/products')) return 'mall.read_product';
  if (path.startsWith('/shops')) return 'mall.read_store';
  if (path.startsWith('/carriers')) return 'mall.read_shipping';
  return 'mall.read_application';
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export async function startCafe24Simulator(options: Cafe24SimulatorOptions = {}): Promise<Cafe24Simulator> {
  const state = new SimState({
    seed: String(options.seed ?? 'cafe24-sim'),
    clientId: options.clientId ?? simulatorDefaults.clientId,
    clientSecret: options.clientSecret ?? simulatorDefaults.clientSecret,
    bucketCapacity: options.bucket?.capacity ?? 40,
    leakPerSecond: options.bucket?.leakPerSecond ?? 2,
    productCount: options.productCount ?? 24,
    accessTokenTtlMs: options.accessTokenTtlMs ?? 2 * 3600_000,
    refreshTokenTtlMs: options.refreshTokenTtlMs ?? 14 * 24 * 3600_000,
  });

  const server = createServer((req, res) => {
    handle(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { code: 500, message: String(error) } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    apiBaseUrlTemplate: `${url}/malls/{mall_id}`,
    clientId: state.settings.clientId,
    clientSecret: state.settings.clientSecret,
    state,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(state: SimState, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://sim.local');
  if (url.pathname.startsWith('/__control/')) return control(state, req, res, url);
  const match = /^\/malls\/([a-z0-9_-]+)\/api\/v2\/(oauth|admin)(\/.*)$/.exec(url.pathname);
  if (!match) return send(res, 404, { error: { code: 404, message: 'Not found' } });
  const [, mallId, area, rest] = match as unknown as [string, string, string, string];
  const mall = state.mall(mallId);
  if (area === 'oauth') return oauth(state, mall, req, res, url, rest);

  mall.stats.requests += 1;
  const fault = state.takeFault('admin', mallId, `${req.method ?? 'GET'} ${rest}`);
  if (fault && (await applyFault(fault, mall, res))) return;

  const admitted = mall.bucket.admit();
  mall.stats.maxBucketLevel = mall.bucket.maxLevel;
  const limitHeader = { 'x-api-call-limit': `${admitted.used}/${mall.bucket.capacity}` };
  const reply = (status: number, body: unknown) => {
    // Answered before the call was carried out (bucket, token, scope, body): the lost answer is still to come.
    if (fault?.kind === 'lost_answer') state.giveBack(fault);
    mall.stats.byStatus[status] = (mall.stats.byStatus[status] ?? 0) + 1;
    send(res, status, body, limitHeader);
  };
  if (!admitted.admitted) {
    mall.stats.rateLimitedByBucket += 1;
    return reply(429, { error: { code: 429, message: 'Too Many Requests' } });
  }
  const routeKey = `${req.method} ${rest.replace(/\/\d{8}-\d{7}/, '/{order_id}').replace(/\/\d+/, '/{no}')}`;
  mall.stats.byRoute[routeKey] = (mall.stats.byRoute[routeKey] ?? 0) + 1;

  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const scopes = bearer ? state.authorize(mallId, bearer) : null;
  if (!scopes) {
    mall.stats.invalidAccessToken += 1;
    return reply(401, { error: { code: 401, message: 'access_token time expired. (invalid_token)' } });
  }
  const method = req.method ?? 'GET';
  const scope = scopeOf(method, rest);
  if (!scopes.includes(scope)) return reply(403, { error: { code: 403, message: `[${scope}] scope is required.` } });

  let body: unknown;
  if (method === 'PUT' || method === 'POST') {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return reply(400, { error: { code: 400, message: 'Content-Type must be application/json.' } });
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return reply(400, { error: { code: 400, message: 'The request body is not valid JSON.' } });
    }
  }
  const out = adminRoute(state, mall, method, rest, url, body);
  if (fault?.kind === 'lost_answer') {
    // Carried out; the client never hears so.
    mall.stats.lostAnswers += 1;
    res.socket?.destroy();
    return;
  }
  reply(out.status, out.body);
}

function adminRoute(state: SimState, mall: SimMall, method: string, path: string, url: URL, body: unknown): admin.AdminResponse {
  const q = url.searchParams;
  const route = `${method} ${path}`;
  if (route === 'GET /orders') return admin.listOrders(mall, q, url);
  if (route === 'GET /orders/count') return admin.countOrders(mall, q);
  if (route === 'PUT /orders') return admin.updateOrders(mall, body);
  if (route === 'POST /shipments') return admin.createShipments(mall, body, state.now());
  if (route === 'GET /products') return admin.listProducts(mall, q);
  if (route === 'GET /products/count') return admin.countProducts(mall, q);
  if (route === 'GET /shops') return admin.listShops(mall);
  if (route === 'GET /carriers') return admin.listCarriers();
  const shipments = /^GET \/orders\/(\d{8}-\d{7})\/shipments$/.exec(route);
  if (shipments) return admin.listOrderShipments(mall, shipments[1]!, q);
  const order = /^GET \/orders\/(\d{8}-\d{7})$/.exec(route);
  if (order) return admin.getOrder(mall, order[1]!, q);
  const variants = /^GET \/products\/(\d+)\/variants$/.exec(route);
  if (variants) return admin.listVariants(mall, Number(variants[1]), q);
  return admin.cafe24Error(404, `No API found for ${method} ${path}.`);
}

/** Returns true when the fault answered the request itself. */
async function applyFault(fault: Fault, mall: SimMall, res: ServerResponse): Promise<boolean> {
  switch (fault.kind) {
    case 'rate_limit':
      mall.stats.rateLimitedInjected += 1;
      send(res, 429, { error: { code: 429, message: 'Too Many Requests' } }, { 'x-api-call-limit': `${mall.bucket.capacity}/${mall.bucket.capacity}` });
      return true;
    case 'server_error': {
      const status = fault.status ?? 500;
      send(res, status, { error: { code: status, message: 'Internal Server Error' } });
      return true;
    }
    case 'latency':
      await new Promise((r) => setTimeout(r, fault.latencyMs ?? 1000));
      return false;
    case 'drop':
      res.socket?.destroy();
      return true;
    case 'malformed':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"orders":[{"order_id":');
      return true;
    case 'lost_answer':
      return false;
  }
}

async function oauth(state: SimState, mall: SimMall, req: IncomingMessage, res: ServerResponse, url: URL, path: string) {
  if (req.method === 'GET' && path === '/authorize') {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri');
    if (q.get('client_id') !== state.settings.clientId || q.get('response_type') !== 'code' || !redirectUri) {
      return send(res, 400, { error: 'invalid_request', error_description: 'client_id, response_type=code and redirect_uri are required' });
    }
    const scopes = (q.get('scope') ?? '').split(/[ ,]+/).filter(Boolean);
    const code = state.issueCode(mall.mallId, redirectUri, scopes);
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (q.get('state') !== null) target.searchParams.set('state', q.get('state')!);
    const href = escapeHtml(target.toString());
    // The auto-consent page: a real browser follows the refresh at once.
    return send(
      res,
      200,
      `<!doctype html><html lang="ko"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>앱 설치 동의</title></head>` +
        `<body><h1>${escapeHtml(mall.mallId)} 쇼핑몰 앱 권한 동의 (simulated)</h1><p>${escapeHtml(scopes.join(', '))}</p>` +
        `<a id="consent" href="${href}">동의하고 계속 / Agree and continue</a></body></html>`,
    );
  }
  if (req.method === 'POST' && path === '/token') {
    mall.stats.requests += 1;
    const fault = state.takeFault('token', mall.mallId);
    if (fault && (await applyFault(fault, mall, res))) return;
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    if (id !== state.settings.clientId || secret !== state.settings.clientSecret) {
      return send(res, 401, { error: 'invalid_client', error_description: 'Invalid client_secret' });
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return send(res, 400, { error: 'invalid_request', error_description: 'Content-Type must be application/x-www-form-urlencoded' });
    }
    const form = new URLSearchParams(await readBody(req));
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const tokens = state.exchangeCode(mall.mallId, form.get('code') ?? '', form.get('redirect_uri') ?? '');
      return tokens ? send(res, 200, tokens) : send(res, 400, { error: 'invalid_grant', error_description: 'Invalid authorization code' });
    }
    if (grantType === 'refresh_token') {
      const tokens = state.refresh(mall.mallId, form.get('refresh_token') ?? '');
      return tokens ? send(res, 200, tokens) : send(res, 400, { error: 'invalid_grant', error_description: 'Invalid refresh_token' });
    }
    return send(res, 400, { error: 'unsupported_grant_type', error_description: `grant_type ${String(grantType)}` });
  }
  return send(res, 404, { error: { code: 404, message: 'Not found' } });
}

const faultKinds = new Set<FaultKind>(['rate_limit', 'server_error', 'latency', 'drop', 'malformed', 'lost_answer']);

async function control(state: SimState, req: IncomingMessage, res: ServerResponse, url: URL) {
  const method = req.method ?? 'GET';
  const path = url.pathname.slice('/__control'.length);
  let body: Record<string, unknown> = {};
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const text = await readBody(req);
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return send(res, 400, { error: 'body must be JSON' });
    }
  }
  if (method === 'GET' && path === '/stats') {
    const mallId = url.searchParams.get('mallId');
    const malls = Object.fromEntries([...state.malls.values()].filter((m) => !mallId || m.mallId === mallId).map((m) => [m.mallId, m.stats]));
    return send(res, 200, { clockOffsetMs: state.clockOffsetMs, faults: state.faults, malls });
  }
  if (method === 'POST' && path === '/reset') {
    state.resetStats();
    return send(res, 200, { ok: true });
  }
  if (method === 'PUT' && path === '/clock') {
    state.clockOffsetMs = Number(body.offsetMs ?? 0);
    return send(res, 200, { clockOffsetMs: state.clockOffsetMs, now: new Date(state.now()).toISOString() });
  }
  if (method === 'POST' && path === '/faults') {
    if (!faultKinds.has(body.kind as FaultKind)) return send(res, 400, { error: `kind must be one of ${[...faultKinds].join(', ')}` });
    const fault: Fault = {
      kind: body.kind as FaultKind,
      remaining: Number(body.count ?? 1),
      target: (body.target as Fault['target']) ?? 'admin',
      ...(typeof body.mallId === 'string' ? { mallId: body.mallId } : {}),
      ...(typeof body.route === 'string' ? { route: body.route } : {}),
      ...(body.status !== undefined ? { status: Number(body.status) } : {}),
      ...(body.latencyMs !== undefined ? { latencyMs: Number(body.latencyMs) } : {}),
    };
    state.faults.push(fault);
    return send(res, 201, fault);
  }
  if (method === 'DELETE' && path === '/faults') {
    state.faults = [];
    return send(res, 200, { ok: true });
  }
  const mallRoute = /^\/malls\/([a-z0-9_-]+)(\/.*)$/.exec(path);
  if (!mallRoute) return send(res, 404, { error: `no control route ${method} ${path}` });
  const mall = state.mall(mallRoute[1]!);
  const sub = mallRoute[2]!;
  if (method === 'POST' && sub === '/orders/generate') {
    const from = new Date(String(body.from));
    const to = new Date(String(body.to));
    const count = Number(body.count);
    if (!Number.isInteger(count) || count < 1 || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from) {
      return send(res, 400, { error: 'count (integer ≥ 1), from and to (ISO instants, from < to) are required' });
    }
    const created = state.generateOrders(mall, count, from, to, Number(body.shopNo ?? 1), body.status as string | undefined);
    return send(res, 201, { count: created.length, first: created[0]?.order_id, orderIds: count <= 100 ? created.map((o) => o.order_id) : undefined });
  }
  if (method === 'POST' && sub === '/orders') {
    const specs = (body.orders as { shopNo?: number; paidAt: string; status?: string; lines?: { variantCode: string; quantity: number }[] }[] | undefined) ?? [];
    try {
      const created = state.addOrders(
        mall,
        specs.map((s) => ({ shopNo: s.shopNo ?? 1, paidAt: new Date(s.paidAt), status: s.status, lines: s.lines })),
      );
      return send(res, 201, { orders: created });
    } catch (error) {
      return send(res, 400, { error: error instanceof Error ? error.message : String(error) });
    }
  }
  if (method === 'GET' && sub === '/products') return send(res, 200, { products: mall.catalog });
  if (method === 'PUT' && sub === '/products') {
    const count = Number(body.count);
    if (!Number.isInteger(count) || count < 0 || count > 100_000) return send(res, 400, { error: 'count (integer 0–100000) is required' });
    mall.catalog = generateCatalog(`${state.settings.seed}:${mall.mallId}:${String(body.seed ?? '')}`, count, '2025-01-02T10:00:00+09:00');
    return send(res, 200, { products: mall.catalog.length, variants: mall.catalog.reduce((n, p) => n + p.variants.length, 0) });
  }
  const productRoute = /^\/products\/(\d+)$/.exec(sub);
  if (productRoute) {
    const index = mall.catalog.findIndex((p) => p.product_no === Number(productRoute[1]));
    if (index < 0) return send(res, 404, { error: `no product ${productRoute[1]}` });
    if (method === 'DELETE') {
      mall.catalog.splice(index, 1);
      return send(res, 200, { ok: true });
    }
    if (method === 'PATCH') {
      const product = mall.catalog[index]!;
      const { variants, ...fields } = body as Partial<SimProduct>;
      Object.assign(product, fields, { updated_date: new Date(state.now()).toISOString() });
      // Variants by code: listed ones are changed, `null` removes one.
      for (const [code, patch] of Object.entries((variants ?? {}) as Record<string, Partial<SimProduct['variants'][number]> | null>)) {
        const at = product.variants.findIndex((v) => v.variant_code === code);
        if (at < 0) continue;
        if (patch === null) product.variants.splice(at, 1);
        else Object.assign(product.variants[at]!, patch);
      }
      return send(res, 200, { product });
    }
  }
  if (method === 'GET' && sub === '/shipments') return send(res, 200, { shipments: mall.shipments });
  const orderRoute = /^\/orders\/(\d{8}-\d{7})(\/items\/status)?$/.exec(sub);
  if (orderRoute) {
    const order = mall.ordersById.get(orderRoute[1]!);
    if (!order) return send(res, 404, { error: `no order ${orderRoute[1]}` });
    if (method === 'GET' && !orderRoute[2]) return send(res, 200, { order });
    if (method === 'POST' && orderRoute[2]) {
      const codes = body.orderItemCodes as string[] | undefined;
      const status = String(body.status);
      for (const item of order.items) {
        if (codes && !codes.includes(item.order_item_code)) continue;
        item.order_status = status;
        if (status.startsWith('C')) {
          item.status_code = 'C2';
          item.status_text = '배송전취소';
          item.claim_code = `C${order.order_id.slice(0, 8)}-0000001`;
          item.claim_type = 'C';
        } else if (status.startsWith('N')) {
          // Back to a normal status: the claim is withdrawn.
          item.status_code = 'N1';
          item.status_text = '정상';
          item.claim_code = null;
          item.claim_type = null;
        }
      }
      const cancelled = order.items.filter((i) => i.order_status.startsWith('C')).length;
      order.canceled = cancelled === 0 ? 'F' : cancelled === order.items.length ? 'T' : 'M';
      return send(res, 200, { order });
    }
  }
  if (method === 'POST' && sub === '/authorize') {
    const code = state.issueCode(mall.mallId, String(body.redirectUri), (body.scopes as string[] | undefined) ?? []);
    return send(res, 201, { code });
  }
  if (method === 'POST' && sub === '/tokens/expire-access') {
    state.expireAccessTokens(mall.mallId);
    return send(res, 200, { ok: true });
  }
  if (method === 'POST' && sub === '/tokens/revoke') {
    state.revokeRefreshTokens(mall.mallId);
    return send(res, 200, { ok: true });
  }
  return send(res, 404, { error: `no control route ${method} ${path}` });
}
