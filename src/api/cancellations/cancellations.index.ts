import { listCancellations as listCancellationRows } from '../../db/repositories/cancellations.js';
import { loadAccessibleMallLink } from '../lib/mall-link-access.js';
import { createRouter } from '../lib/router.js';
import { cancellationJson } from './cancellation-json.js';
import { cancellationPaging, listCancellations } from './cancellations.routes.js';

export const cancellationsRouter = createRouter().openapi(listCancellations, async (c) => {
  const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
  const { outcome, cursor, limit } = c.req.valid('query');
  const page = await listCancellationRows(c.get('deps').db, link.id, { outcome }, { after: cursor, limit });
  return c.json(cancellationPaging.body(page, cancellationJson), 200);
});
