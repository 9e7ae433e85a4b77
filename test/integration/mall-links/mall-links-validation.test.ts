import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json } from '../../support/api.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { adminScope, apiCaller, createTestApiKey, minimalLink, recordingScheduleSync, type TestApiKey } from '../../support/mall-link-api.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';
import type { App } from '../../../src/api/app.js';

describe('mall link input validation', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let admin: TestApiKey;
  let app: App;
  let call: ReturnType<typeof apiCaller>;
  const schedules = recordingScheduleSync();
  let counter = 0;
  const nextMallId = () => `valid${String(++counter).padStart(4, '0')}`;

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    admin = await createTestApiKey(database.db, adminScope);
    app = createTestApp({ db: database.db, temporal: temporal.client, schedules });
    call = apiCaller(app);
  });
  afterAll(async () => {
    await temporal?.close();
    await database?.drop();
  });

  const post = (fields: Record<string, unknown>) => call('POST', '/v1/mall-links', { key: admin, body: { ...minimalLink(nextMallId(), 'CST0001'), ...fields } });
  const linkCount = async () => (await database.db.selectFrom('mall_links').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  /** Asserts a 422 problem+json whose errors name exactly `path`. */
  async function expectFieldError(res: Response, path: string) {
    expect(res.status, `${path}: ${res.status}`).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = await json(res);
    expect(problem).toMatchObject({ type: '/problems/validation-error', title: 'Validation Failed', status: 422, detail: expect.stringContaining(path) });
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual([path]);
    expect(problem.errors[0].message).toEqual(expect.any(String));
  }

  const cases: { field: string; valid: unknown[]; invalid: unknown[] }[] = [
    { field: 'minutesAfterPayment', valid: [0, 1, 10_080], invalid: [-1, 1.5, '10', null, 10_081] },
    { field: 'collectionRangeDays', valid: [1, 30], invalid: [0, 31, -1, 2.5, '3'] },
    { field: 'collectOrderStatus', valid: ['N10', 'N20'], invalid: ['N30', 'n10', 'N00', '', 10] },
    { field: 'collectionMethod', valid: ['auto', 'manual'], invalid: ['AUTO', 'scheduled', null] },
    { field: 'invoiceDisplay', valid: ['company', 'orderer'], invalid: ['buyer', 'Company'] },
    { field: 'enabled', valid: [true, false], invalid: ['true', 1, null] },
    { field: 'invoiceSyncEnabled', valid: [true, false], invalid: ['false', 0] },
    { field: 'linkStartDate', valid: ['2026-12-01', '2028-02-29', '2026-01-31'], invalid: ['2027-02-29', '2026-02-30', '2026-13-01', '2026-00-10', '2026/12/01', '20261201', '2026-12-01T00:00:00Z', ''] },
    { field: 'mallId', valid: ['abcd', 'abcdefghij123456'], invalid: ['abc', 'abcdefghij1234567', 'Fassto', 'fass-to', '', 42] },
    { field: 'cstCd', valid: ['CST0001', 'a', 'cst_01-A'], invalid: ['', 'CST 01', 'x'.repeat(33), '고객사'] },
    { field: 'platform', valid: ['cafe24'], invalid: ['naver', 'CAFE24'] },
  ];

  for (const { field, valid, invalid } of cases) {
    it(`${field}: accepts ${valid.map((v) => JSON.stringify(v)).join(', ')}`, async () => {
      for (const value of valid) {
        const fields = field === 'mallId' ? { mallId: value } : { [field]: value };
        const res = await post(fields);
        expect(res.status, `${field}=${JSON.stringify(value)}`).toBe(201);
        expect((await json(res))[field]).toEqual(value);
      }
    });

    it(`${field}: refuses ${invalid.map((v) => JSON.stringify(v)).join(', ')} with 422 naming it, storing nothing`, async () => {
      const before = await linkCount();
      for (const value of invalid) await expectFieldError(await post({ [field]: value }), field);
      expect(await linkCount()).toBe(before);
    });
  }

  it('requires mallId and cstCd', async () => {
    await expectFieldError(await call('POST', '/v1/mall-links', { key: admin, body: { cstCd: 'CST0001', invoiceDisplay: 'orderer' } }), 'mallId');
    await expectFieldError(await call('POST', '/v1/mall-links', { key: admin, body: { mallId: nextMallId(), invoiceDisplay: 'orderer' } }), 'cstCd');
  });

  it('requires a sender when the invoice shows the company (the default), not when it shows the orderer', async () => {
    await expectFieldError(await call('POST', '/v1/mall-links', { key: admin, body: { mallId: nextMallId(), cstCd: 'CST0001' } }), 'sender');
    await expectFieldError(await post({ invoiceDisplay: 'company', sender: null }), 'sender');
    expect((await post({ invoiceDisplay: 'orderer', sender: null })).status).toBe(201);
  });

  it('checks the sender fields', async () => {
    await expectFieldError(await post({ sender: { name: '', phone: '02-1234-5678' } }), 'sender.name');
    await expectFieldError(await post({ sender: { name: '   ', phone: '02-1234-5678' } }), 'sender.name');
    await expectFieldError(await post({ sender: { name: '가'.repeat(51), phone: '02-1234-5678' } }), 'sender.name');
    await expectFieldError(await post({ sender: { name: '패스토', phone: '1234' } }), 'sender.phone');
    await expectFieldError(await post({ sender: { name: '패스토' } }), 'sender.phone');
    await expectFieldError(await post({ sender: { name: '패스토', phone: '010-1234-5678', email: 'a@b.c' } }), 'sender.email');
    for (const phone of ['02-1234-5678', '010-1234-5678', '01012345678', '031-123-4567', '1588-1234']) {
      expect((await post({ sender: { name: '패스토', phone } })).status, phone).toBe(201);
    }
  });

  it('refuses unknown fields by name, also several at once', async () => {
    const res = await post({ minutesAfterPaymnet: 5, colour: 'red' });
    expect(res.status).toBe(422);
    const problem = await json(res);
    expect(problem.errors).toEqual([
      { path: 'minutesAfterPaymnet', message: 'unknown field' },
      { path: 'colour', message: 'unknown field' },
    ]);
  });

  it('names every offending field of one request', async () => {
    const res = await post({ minutesAfterPayment: -1, collectionRangeDays: 31, collectOrderStatus: 'N30' });
    const paths = (await json(res)).errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['collectOrderStatus', 'collectionRangeDays', 'minutesAfterPayment']);
  });

  it('answers malformed bodies with 4xx problem+json, never 500, storing nothing', async () => {
    const before = await linkCount();
    const raw = (body: string | undefined, contentType?: string) =>
      app.request('/v1/mall-links', { method: 'POST', headers: { authorization: `Bearer ${admin.plaintext}`, ...(contentType ? { 'content-type': contentType } : {}) }, body });
    const answers = [
      { res: await raw('{"mallId": ', 'application/json'), status: 400 },
      { res: await raw('[]', 'application/json'), status: 422 },
      { res: await raw('"fassto"', 'application/json'), status: 422 },
      { res: await raw('null', 'application/json'), status: 422 },
      { res: await raw('mallId=fassto', 'application/x-www-form-urlencoded'), status: 415 },
      { res: await raw('{}', 'text/plain'), status: 415 },
      { res: await raw(undefined), status: 422 },
      { res: await raw(JSON.stringify({ ...minimalLink(nextMallId(), 'CST0001'), pad: 'x'.repeat(1024 * 1024) }), 'application/json'), status: 413 },
    ];
    for (const [i, { res, status }] of answers.entries()) {
      expect(res.status, `case ${i}`).toBe(status);
      expect(res.headers.get('content-type'), `case ${i}`).toBe('application/problem+json');
      const problem = await json(res);
      expect(problem).toMatchObject({ type: expect.stringMatching(/^\/problems\//), title: expect.any(String), status, detail: expect.any(String) });
    }
    expect(await linkCount()).toBe(before);
  });

  describe('PATCH', () => {
    let link: { id: string };
    beforeAll(async () => {
      link = await json(await post({}));
    });
    const snapshot = async () => ({
      row: await database.db.selectFrom('mall_links').selectAll().where('id', '=', link.id).executeTakeFirstOrThrow(),
      audit: (await database.db.selectFrom('audit_log').select('id').where('mall_link_id', '=', link.id).execute()).length,
    });

    it('a 422 leaves the row, its version and the audit trail unchanged and syncs nothing', async () => {
      const before = await snapshot();
      schedules.calls.length = 0;
      const bad: [Record<string, unknown>, string][] = [
        [{ minutesAfterPayment: -1 }, 'minutesAfterPayment'],
        [{ collectionRangeDays: 0 }, 'collectionRangeDays'],
        [{ collectionRangeDays: 31 }, 'collectionRangeDays'],
        [{ collectOrderStatus: 'N30' }, 'collectOrderStatus'],
        [{ linkStartDate: '2026-02-30' }, 'linkStartDate'],
        [{ sender: null }, 'sender'],
        [{ invoiceDisplay: 'company', sender: null }, 'sender'],
        [{ mallId: 'othermall' }, 'mallId'],
        [{ cstCd: 'CST0002' }, 'cstCd'],
        [{ platform: 'cafe24' }, 'platform'],
        [{ shops: [{ shopNo: 2 }] }, 'shops'],
        [{ enabled: false, unknownSetting: 1 }, 'unknownSetting'],
      ];
      for (const [body, path] of bad) await expectFieldError(await call('PATCH', `/v1/mall-links/${link.id}`, { key: admin, body }), path);
      expect(await snapshot()).toEqual(before);
      expect(schedules.calls).toEqual([]);
    });

    it('accepts the boundaries', async () => {
      const res = await call('PATCH', `/v1/mall-links/${link.id}`, { key: admin, body: { minutesAfterPayment: 0, collectionRangeDays: 30, linkStartDate: '2028-02-29' } });
      expect(res.status).toBe(200);
      expect(await json(res)).toMatchObject({ minutesAfterPayment: 0, collectionRangeDays: 30, linkStartDate: '2028-02-29' });
      const again = await call('PATCH', `/v1/mall-links/${link.id}`, { key: admin, body: { collectionRangeDays: 1 } });
      expect((await json(again)).collectionRangeDays).toBe(1);
    });

    it('refuses a non-JSON body with 415 and a broken one with 400', async () => {
      const before = await snapshot();
      const text = await app.request(`/v1/mall-links/${link.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${admin.plaintext}`, 'content-type': 'text/plain' }, body: 'enabled=false' });
      expect(text.status).toBe(415);
      const broken = await app.request(`/v1/mall-links/${link.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${admin.plaintext}`, 'content-type': 'application/json' }, body: '{"enabled":' });
      expect(broken.status).toBe(400);
      expect(await snapshot()).toEqual(before);
    });
  });
});
