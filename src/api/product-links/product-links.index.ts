import type { Context } from 'hono';
import type { ListedProductLink } from '../../db/repositories/product-links.js';
import * as productLinks from '../../services/product-links.js';
import { xlsxContentType } from '../../services/link-sheet-file.js';
import { loadAccessibleMallLink } from '../lib/mall-link-access.js';
import { notFound } from '../lib/problem.js';
import { createRouter } from '../lib/router.js';
import type { AppEnv } from '../lib/types.js';
import {
  autoMatchProductLinks,
  deleteProductLink as deleteRoute,
  downloadLinkSheet,
  listProductLinks,
  productLinkPaging,
  putProductLink,
  uploadLinkSheet,
} from './product-links.routes.js';

const actorOf = (c: Context<AppEnv>) => ({ keyId: c.get('principal').keyId });
const flag = (value: 'true' | 'false' | undefined) => (value === undefined ? undefined : value === 'true');

function listedLinkView(link: ListedProductLink) {
  return {
    variantCode: link.variantCode,
    components: link.components,
    updatedAt: link.updatedAt.toISOString(),
    catalogue: link.catalogue && { ...link.catalogue, goneAt: link.catalogue.goneAt?.toISOString() ?? null },
  };
}

export const productLinksRouter = createRouter()
  .openapi(putProductLink, async (c) => {
    const { id, variantCode } = c.req.valid('param');
    const { components } = c.req.valid('json');
    const link = await loadAccessibleMallLink(c, id);
    const stored = await productLinks.storeProductLink(c.get('deps'), actorOf(c), link, variantCode, components);
    return c.json({ mallLinkId: link.id, ...stored }, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { id, variantCode } = c.req.valid('param');
    const link = await loadAccessibleMallLink(c, id);
    if (!(await productLinks.removeProductLink(c.get('deps'), actorOf(c), link, variantCode))) throw notFound(`product link of variant ${variantCode}`);
    return c.body(null, 204);
  })
  .openapi(listProductLinks, async (c) => {
    const { id } = c.req.valid('param');
    const { q, cstGodCd, inCatalogue, cursor, limit } = c.req.valid('query');
    const link = await loadAccessibleMallLink(c, id);
    const page = await productLinks.listProductLinks(c.get('deps'), link, { q, cstGodCd, inCatalogue: flag(inCatalogue) }, { after: cursor, limit });
    return c.json(productLinkPaging.body(page, listedLinkView), 200);
  })
  .openapi(autoMatchProductLinks, async (c) => {
    const { id } = c.req.valid('param');
    const { dryRun = true } = c.req.valid('json') as { dryRun?: boolean };
    const link = await loadAccessibleMallLink(c, id);
    return c.json(await productLinks.autoMatchProductLinks(c.get('deps'), actorOf(c), link, { dryRun }), 200);
  })
  .openapi(downloadLinkSheet, async (c) => {
    const { id } = c.req.valid('param');
    const link = await loadAccessibleMallLink(c, id);
    const workbook = await productLinks.linkSheetWorkbook(c.get('deps'), link);
    return c.body(new Uint8Array(workbook), 200, {
      'content-type': xlsxContentType,
      'content-disposition': `attachment; filename="product-links-${link.mall_id}.xlsx"`,
    });
  })
  .openapi(uploadLinkSheet, async (c) => {
    const { id } = c.req.valid('param');
    const { partial } = c.req.valid('query');
    const { file } = c.req.valid('form');
    const link = await loadAccessibleMallLink(c, id);
    const { config } = c.get('deps');
    const result = await productLinks.uploadLinkSheet(
      c.get('deps'),
      actorOf(c),
      link,
      { name: file.name, type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) },
      { partial: partial === 'true', limits: { maxBytes: config.PRODUCT_LINK_UPLOAD_MAX_BYTES, maxRows: config.PRODUCT_LINK_UPLOAD_MAX_ROWS } },
    );
    return c.json(result, 200);
  });
