import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCarrierMappings } from '../../../src/db/repositories/carrier-mappings.js';
import { createTestApp, json, unreachableTemporal } from '../../support/api.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { adminScope, apiCaller, createTestApiKey, customerScope, type TestApiKey } from '../../support/mall-link-api.js';

describe('carrier mappings API (/v1/carrier-mappings)', () => {
  let database: TestDatabase;
  let temporal: ReturnType<typeof unreachableTemporal>;
  let call: ReturnType<typeof apiCaller>;
  let admin: TestApiKey;
  let customer: TestApiKey;

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = unreachableTemporal();
    call = apiCaller(createTestApp({ db: database.db, temporal: temporal.client }));
    admin = await createTestApiKey(database.db, adminScope);
    customer = await createTestApiKey(database.db, customerScope('CST001'));
  });

  afterAll(async () => {
    await temporal?.close();
    await database?.drop();
  });

  it('documents the routes with their status codes', async () => {
    const spec = await json(await call('GET', '/openapi.json'));
    expect(Object.keys(spec.paths['/v1/carrier-mappings'])).toEqual(['get']);
    const one = spec.paths['/v1/carrier-mappings/{fmsCarrierKey}'];
    expect(Object.keys(one).sort()).toEqual(['delete', 'put']);
    expect(Object.keys(one.put.responses).sort()).toEqual(['200', '201', '400', '401', '403', '404', '413', '415', '422']);
    expect(Object.keys(one.delete.responses).sort()).toEqual(['204', '401', '403', '404', '422']);
    expect(one.put.description).toContain('unknown_carrier');
  });

  it('lists the seeded mappings by carrier key to any valid key', async () => {
    const res = await call('GET', '/v1/carrier-mappings', { key: customer });
    expect(res.status).toBe(200);
    const { items, nextCursor } = await json(res);
    expect(nextCursor).toBeNull();
    expect(items.map((m: { fmsCarrierKey: string }) => m.fmsCarrierKey)).toEqual(['CJ', 'EPOST', 'HANJIN', 'KDEXP', 'LOGEN', 'LOTTE']);
    expect(items[0]).toEqual({
      fmsCarrierKey: 'CJ',
      carrierName: 'CJ대한통운',
      cafe24ShippingCompanyCode: '0006',
      confirmed: true,
      note: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await call('GET', '/v1/carrier-mappings')).status).toBe(401);
  });

  it('creates (201), then replaces (200) a mapping, and invoice sync reads it', async () => {
    const created = await call('PUT', '/v1/carrier-mappings/07', { key: admin, body: { carrierName: '대신택배', cafe24ShippingCompanyCode: '0021' } });
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ fmsCarrierKey: '07', carrierName: '대신택배', cafe24ShippingCompanyCode: '0021', confirmed: false, note: null });

    const replaced = await call('PUT', '/v1/carrier-mappings/07', { key: admin, body: { carrierName: '대신택배', cafe24ShippingCompanyCode: '0022', confirmed: true, note: 'checked on a mall' } });
    expect(replaced.status).toBe(200);
    expect(await json(replaced)).toMatchObject({ fmsCarrierKey: '07', cafe24ShippingCompanyCode: '0022', confirmed: true, note: 'checked on a mall' });
    expect(await findCarrierMappings(database.db)).toContainEqual({ fmsCarrierKey: '07', cafe24ShippingCompanyCode: '0022' });
    const row = await database.db.selectFrom('carrier_mappings').select('updated_by_key_id').where('fms_carrier_key', '=', '07').executeTakeFirstOrThrow();
    expect(row.updated_by_key_id).toBe(admin.id);
  });

  it('refuses a customer key (403) on PUT and DELETE and changes nothing', async () => {
    const put = await call('PUT', '/v1/carrier-mappings/CJ', { key: customer, body: { carrierName: 'CJ대한통운', cafe24ShippingCompanyCode: '0001' } });
    expect(put.status).toBe(403);
    expect(put.headers.get('content-type')).toBe('application/problem+json');
    expect(await json(put)).toMatchObject({ type: '/problems/forbidden' });
    expect((await call('DELETE', '/v1/carrier-mappings/CJ', { key: customer })).status).toBe(403);
    expect(await findCarrierMappings(database.db)).toContainEqual({ fmsCarrierKey: 'CJ', cafe24ShippingCompanyCode: '0006' });
  });

  it('answers 422 naming the field for a code that is not four digits, an unknown field or a missing name', async () => {
    for (const [body, path] of [
      [{ carrierName: '한진택배', cafe24ShippingCompanyCode: '18' }, 'cafe24ShippingCompanyCode'],
      [{ carrierName: '한진택배', cafe24ShippingCompanyCode: '00a8' }, 'cafe24ShippingCompanyCode'],
      [{ cafe24ShippingCompanyCode: '0018' }, 'carrierName'],
    ] as const) {
      const res = await call('PUT', '/v1/carrier-mappings/HANJIN', { key: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect((await json(res)).errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const extra = await call('PUT', '/v1/carrier-mappings/HANJIN', { key: admin, body: { carrierName: '한진택배', cafe24ShippingCompanyCode: '0018', code: 'x' } });
    expect(extra.status).toBe(422);
    expect(await findCarrierMappings(database.db)).toContainEqual({ fmsCarrierKey: 'HANJIN', cafe24ShippingCompanyCode: '0018' });
  });

  it('deletes a mapping (204), then answers 404', async () => {
    expect((await call('DELETE', '/v1/carrier-mappings/07', { key: admin })).status).toBe(204);
    expect((await findCarrierMappings(database.db)).map((m) => m.fmsCarrierKey)).not.toContain('07');
    const again = await call('DELETE', '/v1/carrier-mappings/07', { key: admin });
    expect(again.status).toBe(404);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
  });
});
