import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MallLinkRow } from '../../../db/schema.js';
import { closeAlerts, insertOpenAlerts } from '../../../src/db/repositories/alerts.js';
import type { AlertCondition } from '../../../src/domain/alerts.js';
import { createTestApp, json, unreachableTemporal } from '../../support/api.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { adminScope, apiCaller, createTestApiKey, customerScope, type TestApiKey } from '../../support/mall-link-api.js';
import { insertTestMallLink } from '../../support/mall-link-fixtures.js';

/** GET /v1/alerts: what each key sees, the filters, and the item shape. */
describe('GET /v1/alerts', () => {
  let database: TestDatabase;
  let temporal: ReturnType<typeof unreachableTemporal>;
  let call: ReturnType<typeof apiCaller>;
  let admin: TestApiKey;
  let ours: TestApiKey;
  let theirs: TestApiKey;
  let own: MallLinkRow;
  let other: MallLinkRow;
  const ids = (body: { items: { id: number }[] }) => body.items.map((item) => item.id).sort((a, b) => a - b);

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = unreachableTemporal();
    call = apiCaller(createTestApp({ db: database.db, temporal: temporal.client }));
    admin = await createTestApiKey(database.db, adminScope);
    ours = await createTestApiKey(database.db, customerScope('OURS01'));
    theirs = await createTestApiKey(database.db, customerScope('THEIRS1'));
    own = await insertTestMallLink(database.db, { cst_cd: 'OURS01' });
    other = await insertTestMallLink(database.db, { cst_cd: 'THEIRS1' });
  });
  afterAll(async () => {
    await temporal?.close();
    await database?.drop();
  });

  it('an admin sees every alert, a customer key only those of its own links; filters by status, kind and link', async () => {
    const condition = (kind: AlertCondition['kind'], mallLinkId: string | null, subject = ''): AlertCondition => ({ kind, mallLinkId, subject, since: new Date('2026-11-30T00:00:00Z'), message: `${kind} message`, action: `${kind} action`, details: { n: 1 } });
    const [ownReauth, ownHeld, otherReauth, holiday] = await insertOpenAlerts(database.db, [
      condition('reauth_required', own.id),
      condition('invoices_held', own.id),
      condition('reauth_required', other.id),
      condition('holiday_data_missing', null, '2028'),
    ]);
    await closeAlerts(database.db, [ownHeld!.id]);

    expect(ids(await json(await call('GET', '/v1/alerts', { key: admin })))).toEqual([ownReauth!.id, ownHeld!.id, otherReauth!.id, holiday!.id]);
    expect(ids(await json(await call('GET', '/v1/alerts', { key: ours })))).toEqual([ownReauth!.id, ownHeld!.id]);
    expect(ids(await json(await call('GET', '/v1/alerts', { key: theirs })))).toEqual([otherReauth!.id]);
    // Another customer's link as a filter: nothing, not a hint that it exists.
    expect(ids(await json(await call('GET', `/v1/alerts?mallLinkId=${other.id}`, { key: ours })))).toEqual([]);

    expect(ids(await json(await call('GET', '/v1/alerts?status=open', { key: admin })))).toEqual([ownReauth!.id, otherReauth!.id, holiday!.id]);
    expect(ids(await json(await call('GET', '/v1/alerts?status=closed', { key: ours })))).toEqual([ownHeld!.id]);
    expect(ids(await json(await call('GET', '/v1/alerts?kind=reauth_required', { key: admin })))).toEqual([ownReauth!.id, otherReauth!.id]);
    expect(ids(await json(await call('GET', `/v1/alerts?mallLinkId=${own.id}&status=open`, { key: admin })))).toEqual([ownReauth!.id]);

    const { items } = await json(await call('GET', `/v1/alerts?kind=invoices_held`, { key: ours }));
    expect(items).toEqual([
      {
        id: ownHeld!.id,
        kind: 'invoices_held',
        status: 'closed',
        mallLinkId: own.id,
        subject: '',
        since: '2026-11-30T00:00:00.000Z',
        message: 'invoices_held message',
        action: 'invoices_held action',
        details: { n: 1 },
        openedAt: expect.any(String),
        closedAt: expect.any(String),
      },
    ]);
  });

  it('answers 401 without a key and 422 problem+json for an unknown filter value', async () => {
    expect((await call('GET', '/v1/alerts')).status).toBe(401);
    for (const query of ['status=maybe', 'kind=nope', 'mallLinkId=not-a-uuid']) {
      const res = await call('GET', `/v1/alerts?${query}`, { key: admin });
      expect(res.status, query).toBe(422);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('is in the OpenAPI document with its status codes', async () => {
    const spec = await json(await call('GET', '/openapi.json'));
    expect(Object.keys(spec.paths['/v1/alerts'].get.responses).sort()).toEqual(['200', '401', '422']);
  });
});
