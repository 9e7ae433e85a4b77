import type { CarrierMappingRow } from '../../../db/schema.js';
import { deleteCarrierMapping, listCarrierMappings, putCarrierMapping } from '../../db/repositories/carrier-mappings.js';
import { assertAdmin } from '../lib/auth.js';
import { notFound } from '../lib/problem.js';
import { createRouter } from '../lib/router.js';
import { isoTime } from '../lib/time.js';
import { carrierMappingPaging, deleteCarrierMappingRoute, listCarrierMappingsRoute, putCarrierMappingRoute } from './carrier-mappings.routes.js';

const carrierMappingJson = (row: CarrierMappingRow) => ({
  fmsCarrierKey: row.fms_carrier_key,
  carrierName: row.carrier_name,
  cafe24ShippingCompanyCode: row.cafe24_shipping_company_code,
  confirmed: row.confirmed,
  note: row.note,
  createdAt: isoTime(row.created_at),
  updatedAt: isoTime(row.updated_at),
});

export const carrierMappingsRouter = createRouter()
  .openapi(listCarrierMappingsRoute, async (c) => {
    const { cursor, limit } = c.req.valid('query');
    const page = await listCarrierMappings(c.get('deps').db, { after: cursor, limit });
    return c.json(carrierMappingPaging.body(page, carrierMappingJson), 200);
  })
  .openapi(putCarrierMappingRoute, async (c) => {
    const principal = c.get('principal');
    assertAdmin(principal);
    const { fmsCarrierKey } = c.req.valid('param');
    const body = c.req.valid('json');
    const { row, created } = await putCarrierMapping(c.get('deps').db, fmsCarrierKey, { ...body, updatedByKeyId: principal.keyId });
    c.get('log').info({ fmsCarrierKey, cafe24ShippingCompanyCode: row.cafe24_shipping_company_code, created }, 'carrier mapping stored');
    return created ? c.json(carrierMappingJson(row), 201) : c.json(carrierMappingJson(row), 200);
  })
  .openapi(deleteCarrierMappingRoute, async (c) => {
    assertAdmin(c.get('principal'));
    const { fmsCarrierKey } = c.req.valid('param');
    if (!(await deleteCarrierMapping(c.get('deps').db, fmsCarrierKey))) throw notFound(`carrier mapping ${fmsCarrierKey}`);
    c.get('log').info({ fmsCarrierKey }, 'carrier mapping removed');
    return c.body(null, 204);
  });
