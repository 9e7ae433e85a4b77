import type { Context } from 'hono';
import { pageOf } from '../../db/page.js';
import * as mallLinks from '../../services/mall-links.js';
import { scheduleSettings } from '../../schedules/temporal-schedule-sync.js';
import { cafe24SellerAction } from '../../domain/alerts.js';
import { cafe24InstallUrl } from '../cafe24/install-url.js';
import { collectionRunJson } from '../collections/collection-run-json.js';
import { invoiceSyncRunJson } from '../invoice-syncs/invoice-sync-run-json.js';
import { assertAdmin, canAccessCustomer } from '../lib/auth.js';
import { etagOf, ifMatchAccepts } from '../lib/etag.js';
import { loadAccessibleMallLink, loadAccessibleMallLinkWith } from '../lib/mall-link-access.js';
import { ProblemError } from '../lib/problem.js';
import { createRouter } from '../lib/router.js';
import { isoTimeOrNull } from '../lib/time.js';
import type { AppEnv } from '../lib/types.js';
import { mallLinkJson, shopChangeJson } from './mall-link-json.js';
import {
  approveShop,
  createMallLink,
  deleteMallLink,
  getMallLink,
  getMallLinkStatus,
  listAudit,
  listMallLinks,
  listShops,
  rejectShop,
  requestShop,
  updateMallLink,
} from './mall-links.routes.js';
import { auditPaging, mallLinkPaging, shopPaging } from './mall-links.schemas.js';

type Ctx = Context<AppEnv>;

/** The service's dependencies for this request (its log carries the request id). */
const serviceDeps = (c: Ctx): mallLinks.MallLinkServiceDeps => ({ ...c.get('deps'), log: c.get('log') });

const actorOf = (c: Ctx): mallLinks.Actor => ({ keyId: c.get('principal').keyId });

/** The request's If-Match, as the version check the service applies. */
const ifMatch = (c: Ctx): mallLinks.VersionCheck => (version) => ifMatchAccepts(c.req.header('if-match'), version);


export const mallLinksRouter = createRouter()
  .openapi(createMallLink, async (c) => {
    const { platform = 'cafe24', mallId, cstCd, shops = [], ...settings } = c.req.valid('json');
    // 403, not 404: the caller named the customer code, so there is nothing to hide.
    if (!canAccessCustomer(c.get('principal'), cstCd)) {
      throw new ProblemError(403, 'forbidden', 'Forbidden', `this API key is bound to another customer code and cannot create links for ${cstCd}`);
    }
    const created = await mallLinks.createMallLink(serviceDeps(c), actorOf(c), { platform, mallId, cstCd, settings, shopNos: shops.map((shop) => shop.shopNo) });
    c.header('ETag', etagOf(created.link.version));
    c.header('Location', `/v1/mall-links/${created.link.id}`);
    return c.json(mallLinkJson(c.get('deps').config.PUBLIC_BASE_URL, created), 201);
  })
  .openapi(listMallLinks, async (c) => {
    const query = c.req.valid('query');
    const principal = c.get('principal');
    if (principal.role === 'customer' && query.cstCd !== undefined && query.cstCd !== principal.cstCd) {
      return c.json({ items: [], nextCursor: null }, 200);
    }
    const page = await mallLinks.listMallLinks(
      serviceDeps(c),
      {
        cstCd: principal.role === 'customer' ? principal.cstCd : query.cstCd,
        mallId: query.mallId,
        enabled: query.enabled === undefined ? undefined : query.enabled === 'true',
        collectionMethod: query.collectionMethod,
      },
      { after: query.cursor, limit: query.limit },
    );
    const { PUBLIC_BASE_URL } = c.get('deps').config;
    return c.json(
      mallLinkPaging.body(page, ({ link, shops }) => mallLinkJson(PUBLIC_BASE_URL, { link, shops, scheduleState: link.schedule_state })),
      200,
    );
  })
  .openapi(getMallLink, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const view = await mallLinks.viewMallLink(serviceDeps(c), link);
    c.header('ETag', etagOf(link.version));
    return c.json(mallLinkJson(c.get('deps').config.PUBLIC_BASE_URL, view), 200);
  })
  .openapi(updateMallLink, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const updated = await mallLinks.updateMallLink(serviceDeps(c), actorOf(c), link, ifMatch(c), c.req.valid('json'));
    c.header('ETag', etagOf(updated.link.version));
    return c.json(mallLinkJson(c.get('deps').config.PUBLIC_BASE_URL, updated), 200);
  })
  .openapi(deleteMallLink, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    await mallLinks.deleteMallLink(serviceDeps(c), actorOf(c), link, ifMatch(c));
    return c.body(null, 204);
  })
  .openapi(getMallLinkStatus, async (c) => {
    const found = await loadAccessibleMallLinkWith(c, c.req.valid('param').id, (id) => mallLinks.findLinkForStatus(serviceDeps(c), id));
    const { link } = found;
    const status = await mallLinks.mallLinkStatus(serviceDeps(c), found, scheduleSettings(c.get('deps').config));
    return c.json(
      {
        mallLinkId: link.id,
        cafe24Auth: {
          status: link.cafe24_auth_status,
          accessTokenExpiresAt: isoTimeOrNull(status.tokenExpiry?.accessTokenExpiresAt ?? null),
          refreshTokenExpiresAt: isoTimeOrNull(status.tokenExpiry?.refreshTokenExpiresAt ?? null),
          sellerAction: cafe24SellerAction(link.cafe24_auth_status),
          installUrl: cafe24InstallUrl(c.get('deps').config.PUBLIC_BASE_URL, link.id),
        },
        fmsLink: { complete: status.fmsLink.gaps.length === 0, ...status.fmsLink },
        schedule: {
          state: link.schedule_state,
          paused: status.schedule?.paused ?? null,
          note: status.schedule?.note ?? null,
          nextRunTimes: status.schedule ? status.schedule.nextRunTimes : null,
        },
        lastCollection: status.lastRun ? collectionRunJson(c.get('deps').config, status.lastRun) : null,
        lastInvoiceSync: status.lastInvoiceSync ? invoiceSyncRunJson(c.get('deps').config, status.lastInvoiceSync) : null,
        unlinkedOrderCount: status.unlinkedOrderCount,
      },
      200,
    );
  })
  .openapi(listShops, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const { cursor, limit } = c.req.valid('query');
    // Shop 1 has no row and a link has a handful of shops: paged here, not in SQL.
    const shops = mallLinks.shopRecords(await mallLinks.listShops(serviceDeps(c), link.id)).filter((shop) => cursor === undefined || shop.shopNo > cursor);
    return c.json(shopPaging.body(pageOf(shops, limit, (shop) => shop.shopNo), (shop) => shop), 200);
  })
  .openapi(requestShop, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const change = await mallLinks.requestShop(serviceDeps(c), actorOf(c), link.id, c.req.valid('json').shopNo);
    c.header('ETag', etagOf(change.version));
    return c.json(shopChangeJson(change), 201);
  })
  .openapi(approveShop, async (c) => {
    const change = await decideShop(c, c.req.valid('param'), 'active');
    c.header('ETag', etagOf(change.version));
    return c.json(shopChangeJson(change), 200);
  })
  .openapi(rejectShop, async (c) => {
    const change = await decideShop(c, c.req.valid('param'), 'rejected');
    c.header('ETag', etagOf(change.version));
    return c.json(shopChangeJson(change), 200);
  })
  .openapi(listAudit, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const { cursor, limit } = c.req.valid('query');
    const page = await mallLinks.listAudit(serviceDeps(c), link.id, { after: cursor, limit });
    return c.json(
      auditPaging.body(page, (row) => ({ id: Number(row.id), action: row.action, actorKeyId: row.actor_key_id, before: row.before, after: row.after, at: row.at.toISOString() })),
      200,
    );
  });

/** Approval or rejection of a requested shop; admin keys only (403 before anything is looked up). */
async function decideShop(c: Ctx, { id, shopNo }: { id: string; shopNo: number }, status: 'active' | 'rejected') {
  assertAdmin(c.get('principal'));
  const link = await loadAccessibleMallLink(c, id);
  return mallLinks.decideShop(serviceDeps(c), actorOf(c), link.id, shopNo, status);
}
