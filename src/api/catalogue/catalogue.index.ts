import { FmsError } from '../../clients/fms/errors.js';
import { findCatalogueImport } from '../../db/repositories/cafe24-catalogue-imports.js';
import { listCatalogueVariants } from '../../db/repositories/cafe24-catalogue-variants.js';
import { listFmsGoods as listCachedFmsGoods } from '../../db/repositories/fms-goods.js';
import { startCatalogueImport as startImport } from '../../services/catalogue-imports.js';
import { ensureFmsGoods, refreshFmsGoods as refreshGoods } from '../../services/fms-goods.js';
import { isUuid, loadAccessibleMallLink } from '../lib/mall-link-access.js';
import { notFound, ProblemError } from '../lib/problem.js';
import { createRouter } from '../lib/router.js';
import type { ApiDeps } from '../lib/types.js';
import { cafe24ItemJson, catalogueImportJson, fmsGoodsJson } from './catalogue-json.js';
import {
  cafe24ItemPaging,
  fmsGoodsPaging,
  getCatalogueImport,
  listCafe24Items,
  listFmsGoods,
  refreshFmsGoods,
  startCatalogueImport,
  StartCatalogueImportSchema,
} from './catalogue.routes.js';

const flag = (value: 'true' | 'false' | undefined) => (value === undefined ? undefined : value === 'true');

/** FMS's goods API, as the cache reads it; an FMS failure is a 502 naming what FMS said. */
async function fromFms<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof FmsError) throw new ProblemError(502, 'fms-unavailable', 'FMS Unavailable', `FMS goods could not be read: ${error.message}`);
    throw error;
  }
}

const goodsDeps = (deps: ApiDeps) => ({ db: deps.db, fmsGoods: deps.fmsGoods, log: deps.log });

export const catalogueRouter = createRouter()
  .openapi(startCatalogueImport, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    // The body is optional: without one the validator hands over `{}`, which gets the defaults here.
    const { statuses } = StartCatalogueImportSchema.parse(c.req.valid('json'));
    const { db, temporal, config } = c.get('deps');
    const started = await startImport({ db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, log: c.get('log') }, link, statuses);
    return c.json(catalogueImportJson(config, started.catalogueImport), 202);
  })
  .openapi(getCatalogueImport, async (c) => {
    const { id, importId } = c.req.valid('param');
    const link = await loadAccessibleMallLink(c, id);
    const found = isUuid(importId) ? await findCatalogueImport(c.get('deps').db, importId) : undefined;
    if (!found || found.mallLinkId !== link.id) throw notFound(`catalogue import ${importId}`);
    return c.json(catalogueImportJson(c.get('deps').config, found), 200);
  })
  .openapi(listCafe24Items, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const query = c.req.valid('query');
    const page = await listCatalogueVariants(
      c.get('deps').db,
      link.id,
      {
        q: query.q,
        linked: flag(query.linked),
        linkable: flag(query.linkable),
        optionType: query.optionType,
        selling: flag(query.selling),
        display: flag(query.display),
        gone: flag(query.gone),
      },
      { after: query.cursor, limit: query.limit },
    );
    return c.json(cafe24ItemPaging.body(page, cafe24ItemJson), 200);
  })
  .openapi(listFmsGoods, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const query = c.req.valid('query');
    await fromFms(() => ensureFmsGoods(goodsDeps(c.get('deps')), link.cst_cd));
    const page = await listCachedFmsGoods(c.get('deps').db, link.cst_cd, { q: query.q, inUse: flag(query.inUse) }, { after: query.cursor, limit: query.limit });
    return c.json(fmsGoodsPaging.body(page, fmsGoodsJson), 200);
  })
  .openapi(refreshFmsGoods, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const refreshed = await fromFms(() => refreshGoods(goodsDeps(c.get('deps')), link.cst_cd));
    return c.json({ cstCd: link.cst_cd, goodsCount: refreshed.goodsCount, refreshedAt: refreshed.refreshedAt.toISOString() }, 200);
  });
