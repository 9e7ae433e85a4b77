import { deleteProductLink, replaceProductLink } from '../../db/repositories/product-links.js';
import { loadAccessibleMallLink } from '../lib/mall-link-access.js';
import { notFound } from '../lib/problem.js';
import { createRouter } from '../lib/router.js';
import { deleteProductLink as deleteRoute, putProductLink } from './product-links.routes.js';

export const productLinksRouter = createRouter()
  .openapi(putProductLink, async (c) => {
    const { id, variantCode } = c.req.valid('param');
    const { components } = c.req.valid('json');
    const link = await loadAccessibleMallLink(c, id);
    await c.get('deps').db.transaction().execute((trx) => replaceProductLink(trx, link.id, variantCode, components));
    c.get('log').info({ mallLinkId: link.id, variantCode, components: components.length }, 'product link stored');
    return c.json({ mallLinkId: link.id, variantCode, components }, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { id, variantCode } = c.req.valid('param');
    const link = await loadAccessibleMallLink(c, id);
    if (!(await deleteProductLink(c.get('deps').db, link.id, variantCode))) throw notFound(`product link of variant ${variantCode}`);
    c.get('log').info({ mallLinkId: link.id, variantCode }, 'product link removed');
    return c.body(null, 204);
  });
