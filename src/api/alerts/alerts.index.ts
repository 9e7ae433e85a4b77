import { alertView, listAlerts } from '../../db/repositories/alerts.js';
import { createRouter } from '../lib/router.js';
import { alertPaging, listAlertsRoute } from './alerts.routes.js';

export const alertsRouter = createRouter().openapi(listAlertsRoute, async (c) => {
  const { status, kind, mallLinkId, cursor, limit } = c.req.valid('query');
  const principal = c.get('principal');
  const cstCd = principal.role === 'customer' ? principal.cstCd : undefined;
  const page = await listAlerts(c.get('deps').db, { status, kind, mallLinkId, cstCd }, { after: cursor, limit });
  return c.json(alertPaging.body(page, alertView), 200);
});
