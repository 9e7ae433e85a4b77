import type { Context } from 'hono';
import type { MallLinkRow } from '../../../db/schema.js';
import type { Db } from '../../db/database.js';
import { linkScheduleStatus } from '../../schedules/preview.js';
import { insertAuditEntry, listAuditEntries } from '../../db/repositories/audit-log.js';
import { findCafe24TokenExpiry } from '../../db/repositories/cafe24-tokens.js';
import { listCollectionRuns } from '../../db/repositories/collection-runs.js';
import { decideMallLinkShop, listMallLinkShops, listShopsOfMallLinks, requestMallLinkShop } from '../../db/repositories/mall-link-shops.js';
import {
  deleteMallLinkIfVersion,
  findMallLinkByMallId,
  hasCollectedOrders,
  insertMallLink,
  isDuplicateMallId,
  listMallLinks as listMallLinkRows,
  lockMallLink,
  setScheduleState,
  updateMallLinkIfVersion,
  settingsColumns,
  settingsOf,
} from '../../db/repositories/mall-links.js';
import { pageOf } from '../../db/page.js';
import { countUnlinkedOrders } from '../../db/repositories/unlinked-orders.js';
import {
  canDecideShop,
  defaultLinkStartDate,
  fmsLinkGaps,
  mallLinkDefaults,
  sellerChecklist,
  settingsProblems,
  shopRequestRefusal,
  type MallLinkSettings,
} from '../../domain/mall-links.js';
import { collectionRunJson } from '../collections/collection-run-json.js';
import { assertAdmin, canAccessCustomer } from '../lib/auth.js';
import { etagOf, ifMatchAccepts } from '../lib/etag.js';
import { loadAccessibleMallLink } from '../lib/mall-link-access.js';
import { notFound, ProblemError, validationFailed } from '../lib/problem.js';
import { createRouter } from '../lib/router.js';
import { isoTimeOrNull } from '../lib/time.js';
import type { AppEnv } from '../lib/types.js';
import { auditSnapshot, mallLinkJson, settingsDiff, shopJson, shopsJson } from './mall-link-json.js';
import {
  approveShop,
  auditPaging,
  createMallLink,
  deleteMallLink,
  getMallLink,
  getMallLinkStatus,
  listAudit,
  listMallLinks,
  listShops,
  mallLinkPaging,
  rejectShop,
  requestShop,
  shopPaging,
  updateMallLink,
} from './mall-links.routes.js';

type Ctx = Context<AppEnv>;

/** How long the status waits for Temporal's view of the schedule before leaving it null. */
const statusScheduleDeadlineMs = 3_000;

/**
 * Brings the link's schedules in line after a committed change. A failure never fails the
 * request: the link is marked pending and the periodic reconcile repairs it.
 */
async function syncSchedules(c: Ctx, mallLinkId: string): Promise<MallLinkRow['schedule_state']> {
  const { schedules, db } = c.get('deps');
  let state: MallLinkRow['schedule_state'];
  try {
    state = await schedules.syncLink(mallLinkId);
  } catch (err) {
    c.get('log').warn({ err, mallLinkId }, 'schedule sync failed; link left pending');
    state = 'pending';
  }
  try {
    await setScheduleState(db, mallLinkId, state);
  } catch (err) {
    c.get('log').error({ err, mallLinkId }, 'could not record the schedule state');
  }
  return state;
}

const preconditionFailed = (version: number) =>
  new ProblemError(412, 'precondition-failed', 'Precondition Failed', `the link changed since you read it (now ${etagOf(version)}); GET it again and retry`);

function assertIfMatch(c: Ctx, link: MallLinkRow): void {
  if (!ifMatchAccepts(c.req.header('if-match'), link.version)) throw preconditionFailed(link.version);
}

/** A concurrent writer got there first (or deleted the link). */
async function lostRace(db: Db, link: MallLinkRow): Promise<never> {
  const now = await db.selectFrom('mall_links').select('version').where('id', '=', link.id).executeTakeFirst();
  throw now ? preconditionFailed(now.version) : notFound(`mall link ${link.id}`);
}

const withoutUndefined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

const auditAction = {
  created: 'mall_link.created',
  updated: 'mall_link.updated',
  deleted: 'mall_link.deleted',
  shopRequested: 'shop.requested',
  shopApproved: 'shop.approved',
  shopRejected: 'shop.rejected',
} as const;

export const mallLinksRouter = createRouter()
  .openapi(createMallLink, async (c) => {
    const body = c.req.valid('json');
    const principal = c.get('principal');
    // 403, not 404: the caller named the customer code, so there is nothing to hide.
    if (!canAccessCustomer(principal, body.cstCd)) {
      throw new ProblemError(403, 'forbidden', 'Forbidden', `this API key is bound to another customer code and cannot create links for ${body.cstCd}`);
    }
    const { platform = 'cafe24', mallId, cstCd, shops = [], ...given } = body;
    const settings: MallLinkSettings = { ...mallLinkDefaults, linkStartDate: defaultLinkStartDate(new Date()), ...withoutUndefined(given) };
    const problems = settingsProblems(settings);
    if (problems.length > 0) throw validationFailed(problems);

    const { db, config } = c.get('deps');
    let created;
    try {
      created = await db.transaction().execute(async (tx) => {
        const row = await insertMallLink(tx, { platform, mall_id: mallId, cst_cd: cstCd, ...settingsColumns(settings) });
        const shopRows = [];
        for (const shop of shops) shopRows.push(await requestMallLinkShop(tx, row.id, shop.shopNo));
        await insertAuditEntry(tx, { mallLinkId: row.id, actorKeyId: principal.keyId, action: auditAction.created, before: null, after: auditSnapshot(row, shopRows) });
        return { row, shopRows };
      });
    } catch (error) {
      if (!isDuplicateMallId(error)) throw error;
      const existing = await findMallLinkByMallId(db, platform, mallId);
      const visible = existing && canAccessCustomer(principal, existing.cst_cd);
      throw new ProblemError(
        409,
        'mall-id-taken',
        'Mall Already Linked',
        visible ? `mall ${mallId} is already linked as ${existing.id}` : `mall ${mallId} is already linked by another customer`,
        visible ? { existingLinkId: existing.id } : {},
      );
    }
    const state = await syncSchedules(c, created.row.id);
    c.header('ETag', etagOf(created.row.version));
    c.header('Location', `/v1/mall-links/${created.row.id}`);
    return c.json(mallLinkJson(config.PUBLIC_BASE_URL, created.row, created.shopRows, state), 201);
  })
  .openapi(listMallLinks, async (c) => {
    const query = c.req.valid('query');
    const principal = c.get('principal');
    const { db, config } = c.get('deps');
    if (principal.role === 'customer' && query.cstCd !== undefined && query.cstCd !== principal.cstCd) {
      return c.json({ items: [], nextCursor: null }, 200);
    }
    const page = await listMallLinkRows(
      db,
      {
        cstCd: principal.role === 'customer' ? principal.cstCd : query.cstCd,
        mallId: query.mallId,
        enabled: query.enabled === undefined ? undefined : query.enabled === 'true',
        collectionMethod: query.collectionMethod,
      },
      { after: query.cursor, limit: query.limit },
    );
    const shops = await listShopsOfMallLinks(db, page.rows.map((row) => row.id));
    return c.json(
      mallLinkPaging.body(page, (row) => mallLinkJson(config.PUBLIC_BASE_URL, row, shops.filter((shop) => shop.mall_link_id === row.id), row.schedule_state)),
      200,
    );
  })
  .openapi(getMallLink, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const { db, config } = c.get('deps');
    const shops = await listMallLinkShops(db, link.id);
    c.header('ETag', etagOf(link.version));
    return c.json(mallLinkJson(config.PUBLIC_BASE_URL, link, shops, link.schedule_state), 200);
  })
  .openapi(updateMallLink, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    assertIfMatch(c, link);
    const current = settingsOf(link);
    const next: MallLinkSettings = { ...current, ...withoutUndefined(c.req.valid('json')) };
    const problems = settingsProblems(next);
    if (problems.length > 0) throw validationFailed(problems);

    const { db, config } = c.get('deps');
    const diff = settingsDiff(current, next);
    if (!diff) {
      c.header('ETag', etagOf(link.version));
      return c.json(mallLinkJson(config.PUBLIC_BASE_URL, link, await listMallLinkShops(db, link.id), link.schedule_state), 200);
    }
    const updated = await db.transaction().execute(async (tx) => {
      const row = await updateMallLinkIfVersion(tx, link.id, link.version, settingsColumns(next));
      if (!row) return lostRace(tx, link);
      await insertAuditEntry(tx, { mallLinkId: link.id, actorKeyId: c.get('principal').keyId, action: auditAction.updated, ...diff });
      return row;
    });
    const state = await syncSchedules(c, link.id);
    c.header('ETag', etagOf(updated.version));
    return c.json(mallLinkJson(config.PUBLIC_BASE_URL, updated, await listMallLinkShops(db, link.id), state), 200);
  })
  .openapi(deleteMallLink, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    assertIfMatch(c, link);
    const { db } = c.get('deps');
    if (await hasCollectedOrders(db, link.id)) {
      throw new ProblemError(409, 'link-has-orders', 'Link Has Orders', 'orders were collected through this link; disable it instead (PATCH enabled: false) to keep their history');
    }
    const shops = await listMallLinkShops(db, link.id);
    await db.transaction().execute(async (tx) => {
      await insertAuditEntry(tx, { mallLinkId: link.id, actorKeyId: c.get('principal').keyId, action: auditAction.deleted, before: auditSnapshot(link, shops), after: null });
      if (!(await deleteMallLinkIfVersion(tx, link.id, link.version))) await lostRace(tx, link);
    });
    // The reconcile removes the schedules of a link that no longer exists.
    await syncSchedules(c, link.id);
    return c.body(null, 204);
  })
  .openapi(getMallLinkStatus, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const settings = settingsOf(link);
    const gaps = fmsLinkGaps(settings);
    const { temporal, db, config } = c.get('deps');
    // The schedule part is best effort: a Temporal outage leaves it null, the rest still answers.
    const schedule = await temporal.connection
      .withDeadline(Date.now() + statusScheduleDeadlineMs, () => linkScheduleStatus({ db, temporal }, link))
      .catch((err: unknown) => {
        c.get('log').warn({ err, mallLinkId: link.id }, 'schedule status unavailable');
        return null;
      });
    const [tokenExpiry, { rows: [lastRun] }, unlinkedOrderCount] = await Promise.all([
      findCafe24TokenExpiry(db, link.id),
      listCollectionRuns(db, link.id, { limit: 1 }),
      countUnlinkedOrders(db, link.id, ['open']),
    ]);
    return c.json(
      {
        mallLinkId: link.id,
        cafe24Auth: {
          status: link.cafe24_auth_status,
          accessTokenExpiresAt: isoTimeOrNull(tokenExpiry?.accessTokenExpiresAt ?? null),
          refreshTokenExpiresAt: isoTimeOrNull(tokenExpiry?.refreshTokenExpiresAt ?? null),
        },
        fmsLink: { complete: gaps.length === 0, gaps, sellerChecklist: sellerChecklist(settings) },
        schedule: {
          state: link.schedule_state,
          paused: schedule?.paused ?? null,
          note: schedule?.note ?? null,
          nextRunTimes: schedule ? schedule.nextRunTimes : null,
        },
        lastCollection: lastRun ? collectionRunJson(config, lastRun) : null,
        // Invoice sync is not built yet.
        lastInvoiceSync: null,
        unlinkedOrderCount,
      },
      200,
    );
  })
  .openapi(listShops, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const { cursor, limit } = c.req.valid('query');
    // Shop 1 has no row and a link has a handful of shops: paged here, not in SQL.
    const shops = shopsJson(await listMallLinkShops(c.get('deps').db, link.id)).filter((shop) => cursor === undefined || shop.shopNo > cursor);
    return c.json(shopPaging.body(pageOf(shops, limit, (shop) => shop.shopNo), (shop) => shop), 200);
  })
  .openapi(requestShop, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const { shopNo } = c.req.valid('json');
    const { db } = c.get('deps');
    const result = await db.transaction().execute(async (tx) => {
      const locked = (await lockMallLink(tx, link.id)) ?? (await lostRace(tx, link));
      const existing = (await listMallLinkShops(tx, link.id)).map((s) => ({ shopNo: s.shop_no, status: s.status }));
      const refusal = shopRequestRefusal(existing, shopNo);
      if (refusal?.kind === 'duplicate') throw new ProblemError(409, 'shop-exists', 'Shop Already Requested', `shop ${shopNo} is already ${refusal.status}`);
      if (refusal?.kind === 'limit') throw new ProblemError(409, 'shop-limit', 'Shop Limit Reached', `a mall link has at most ${refusal.limit} extra shops (requested or active)`);
      const shop = await requestMallLinkShop(tx, link.id, shopNo);
      const row = (await updateMallLinkIfVersion(tx, link.id, locked.version, {})) ?? (await lostRace(tx, link));
      await insertAuditEntry(tx, { mallLinkId: link.id, actorKeyId: c.get('principal').keyId, action: auditAction.shopRequested, before: null, after: shopJson(shop) });
      return { shop, row };
    });
    const state = await syncSchedules(c, link.id);
    c.header('ETag', etagOf(result.row.version));
    return c.json({ ...shopJson(result.shop), schedule: { state } }, 201);
  })
  .openapi(approveShop, async (c) => {
    const decided = await decideShop(c, c.req.valid('param'), 'active');
    c.header('ETag', etagOf(decided.version));
    return c.json(decided.body, 200);
  })
  .openapi(rejectShop, async (c) => {
    const decided = await decideShop(c, c.req.valid('param'), 'rejected');
    c.header('ETag', etagOf(decided.version));
    return c.json(decided.body, 200);
  })
  .openapi(listAudit, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const { cursor, limit } = c.req.valid('query');
    const page = await listAuditEntries(c.get('deps').db, link.id, { after: cursor, limit });
    return c.json(
      auditPaging.body(page, (row) => ({ id: Number(row.id), action: row.action, actorKeyId: row.actor_key_id, before: row.before, after: row.after, at: row.at.toISOString() })),
      200,
    );
  });

/** Approval or rejection of a requested shop; admin keys only (403 before anything is looked up). */
async function decideShop(c: Ctx, { id, shopNo }: { id: string; shopNo: number }, status: 'active' | 'rejected') {
  assertAdmin(c.get('principal'));
  const link = await loadAccessibleMallLink(c, id);
  const { db } = c.get('deps');
  const result = await db.transaction().execute(async (tx) => {
    const locked = (await lockMallLink(tx, link.id)) ?? (await lostRace(tx, link));
    const before = (await listMallLinkShops(tx, link.id)).find((s) => s.shop_no === shopNo);
    if (!before) throw notFound(`shop ${shopNo} of mall link ${link.id}`);
    if (!canDecideShop(before.status)) throw new ProblemError(409, 'shop-already-decided', 'Shop Already Decided', `shop ${shopNo} is already ${before.status}`);
    const shop = (await decideMallLinkShop(tx, link.id, shopNo, status))!;
    const row = (await updateMallLinkIfVersion(tx, link.id, locked.version, {})) ?? (await lostRace(tx, link));
    await insertAuditEntry(tx, {
      mallLinkId: link.id,
      actorKeyId: c.get('principal').keyId,
      action: status === 'active' ? auditAction.shopApproved : auditAction.shopRejected,
      before: shopJson(before),
      after: shopJson(shop),
    });
    return { shop, row };
  });
  const state = await syncSchedules(c, link.id);
  return { version: result.row.version, body: { ...shopJson(result.shop), schedule: { state } } };
}
