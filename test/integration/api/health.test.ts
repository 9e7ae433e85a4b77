import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporalProbe } from '../../../src/clients/temporal.js';
import { createTestApp, json } from '../../support/api.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';

describe('operations endpoints', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
  });
  afterAll(async () => {
    await temporal?.close();
    await database?.drop();
  });

  it('GET /healthz answers while the process is up', async () => {
    const res = await createTestApp({ db: database.db, temporal: temporal.client }).request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz is 200 when PostgreSQL and Temporal answer', async () => {
    const res = await createTestApp({ db: database.db, temporal: temporal.client }).request('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { postgres: { ok: true }, temporal: { ok: true } } });
  });

  it('GET /readyz is 503 naming Temporal when it is unreachable', async () => {
    const temporalProbe = createTemporalProbe({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
    try {
      const res = await createTestApp({ db: database.db, temporal: temporal.client, temporalProbe }).request('/readyz');
      expect(res.status).toBe(503);
      const body = await json(res);
      expect(body.checks.postgres).toEqual({ ok: true });
      expect(body.checks.temporal.ok).toBe(false);
      expect(body.checks.temporal.error).toEqual(expect.any(String));
    } finally {
      await temporalProbe.close();
    }
  });

  it('GET /readyz is 503 naming PostgreSQL when it is unreachable', async () => {
    const { createDb } = await import('../../../src/db/database.js');
    const deadDb = createDb('postgres://postgres:postgres@127.0.0.1:1/none', { maxConnections: 1 });
    try {
      const res = await createTestApp({ db: deadDb, temporal: temporal.client }).request('/readyz');
      expect(res.status).toBe(503);
      const body = await json(res);
      expect(body.checks.postgres.ok).toBe(false);
      expect(body.checks.temporal).toEqual({ ok: true });
    } finally {
      await deadDb.destroy();
    }
  });

  it('GET /openapi.json is an OpenAPI 3.1 document and /docs renders a reference UI served locally', async () => {
    const app = createTestApp({ db: database.db, temporal: temporal.client });
    const spec = await json(await app.request('/openapi.json'));
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
    const docs = await app.request('/docs');
    expect(docs.status).toBe(200);
    const html = await docs.text();
    expect(html).toContain('/openapi.json');
    const bundle = await app.request('/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });

  it('unknown routes get a problem+json 404', async () => {
    const res = await createTestApp({ db: database.db, temporal: temporal.client }).request('/no/such/route');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ type: '/problems/not-found', title: 'Not Found', status: 404 });
  });
});
