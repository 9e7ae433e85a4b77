import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MallLinkRow } from '../../../db/schema.js';
import { insertOpenAlerts } from '../../../src/db/repositories/alerts.js';
import { createTestApp, json } from '../../support/api.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { adminScope, apiCaller, createTestApiKey, customerScope, recordingScheduleSync, type TestApiKey } from '../../support/mall-link-api.js';
import { insertTestMallLink } from '../../support/mall-link-fixtures.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';

/**
 * Who may call what, over EVERY `/v1` operation of the app's own OpenAPI document (so routes added
 * later are covered without editing this file): admin, the link's own customer, another customer,
 * no key and a revoked key. An operation on `/v1/mall-links/{id}…` is a link operation; every
 * other operation, and a link operation only admins may call, needs a line in `accessOf`.
 */

type Access =
  /** Any valid key; answers the same to everyone (shared reference data). */
  | 'any-key'
  /** Admin keys only; customer keys get 403. */
  | 'admin'
  /** A customer key works only with its own cstCd in the body; another cstCd is a 403. */
  | 'own-cstCd-in-body'
  /** Any valid key; customers see only their own links. */
  | 'own-links-listed'
  /** Any valid key; customers see only the alerts of their own links. */
  | 'own-link-alerts';

const accessOf: Record<string, Access> = {
  'GET /v1/mall-links': 'own-links-listed',
  'POST /v1/mall-links': 'own-cstCd-in-body',
  'POST /v1/mall-links/{id}/shops/{shopNo}/approve': 'admin',
  'POST /v1/mall-links/{id}/shops/{shopNo}/reject': 'admin',
  'GET /v1/timetable': 'any-key',
  'PUT /v1/timetable': 'admin',
  'GET /v1/calendar': 'any-key',
  'GET /v1/calendar/overrides': 'admin',
  'PUT /v1/calendar/overrides/{date}': 'admin',
  'DELETE /v1/calendar/overrides/{date}': 'admin',
  'GET /v1/carrier-mappings': 'any-key',
  'PUT /v1/carrier-mappings/{fmsCarrierKey}': 'admin',
  'DELETE /v1/carrier-mappings/{fmsCarrierKey}': 'admin',
  'GET /v1/alerts': 'own-link-alerts',
  'POST /v1/mall-links/{id}/backfill': 'admin',
};

type Schema = Record<string, unknown> & { $ref?: string };
interface Operation {
  method: string;
  path: string;
  key: string;
  parameters: { name: string; in: string; required?: boolean; schema?: Schema; example?: unknown }[];
  body?: Schema;
  statuses: Set<string>;
  /** A file upload (multipart/form-data): sent as a form with a small CSV file, not JSON. */
  multipart: boolean;
}

const ownCstCd = 'TENANT_A';
const otherCstCd = 'TENANT_B';
const linkPath = /^\/v1\/mall-links\/\{id\}/;

describe('tenancy matrix over every /v1 operation in the OpenAPI document', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let call: ReturnType<typeof apiCaller>;
  let app: ReturnType<typeof createTestApp>;
  let operations: Operation[];
  let components: Record<string, Schema>;
  const keys = {} as Record<'admin' | 'own' | 'other' | 'revoked', TestApiKey>;

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    app = createTestApp({ db: database.db, temporal: temporal.client, schedules: recordingScheduleSync() });
    call = apiCaller(app);
    keys.admin = await createTestApiKey(database.db, adminScope);
    keys.own = await createTestApiKey(database.db, customerScope(ownCstCd));
    keys.other = await createTestApiKey(database.db, customerScope(otherCstCd));
    keys.revoked = await createTestApiKey(database.db, customerScope(ownCstCd), { revoked: true });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const doc: any = await json(await call('GET', '/openapi.json'));
    components = doc.components.schemas;
    operations = Object.entries(doc.paths as Record<string, Record<string, Schema>>)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, ops]) =>
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        Object.entries(ops).map(([method, op]: [string, any]) => ({
          method: method.toUpperCase(),
          path,
          key: `${method.toUpperCase()} ${path}`,
          parameters: op.parameters ?? [],
          body: op.requestBody?.content?.['application/json']?.schema,
          statuses: new Set(Object.keys(op.responses)),
          multipart: op.requestBody?.content?.['multipart/form-data'] !== undefined,
        })),
      );
  });

  afterAll(async () => {
    await temporal?.close();
    await database?.drop();
  });

  const resolve = (schema: Schema): Schema => (schema.$ref ? resolve(components[schema.$ref.split('/').at(-1)!]!) : schema);

  /** A value the schema accepts, from its examples and defaults (what the document promises works). */
  function exampleOf(raw: Schema): unknown {
    const schema = resolve(raw);
    if (schema.example !== undefined) return schema.example;
    if (schema.default !== undefined) return schema.default;
    if (Array.isArray(schema.enum)) return schema.enum[0];
    if (schema.type === 'object') {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required as string[] | undefined) ?? []);
      return Object.fromEntries(Object.entries(properties).filter(([name]) => required.has(name)).map(([name, property]) => [name, exampleOf(property)]));
    }
    if (schema.type === 'array') return [exampleOf(schema.items as Schema)];
    if (schema.type === 'integer' || schema.type === 'number') return 1;
    if (schema.type === 'boolean') return true;
    return 'x';
  }

  function requestOf(op: Operation, linkId: string, cstCd: string) {
    const query = new URLSearchParams();
    let path = op.path;
    for (const parameter of op.parameters) {
      const value = parameter.name === 'id' && parameter.in === 'path' ? linkId : String(parameter.example ?? exampleOf(parameter.schema ?? {}));
      if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(value));
      else if (parameter.in === 'query' && parameter.required) query.set(parameter.name, value);
    }
    let body = op.body === undefined ? undefined : exampleOf(op.body);
    if (op.key === 'POST /v1/mall-links') body = { ...(body as object), cstCd, mallId: `tenancy${Math.random().toString(36).slice(2, 10)}` };
    return { path: query.size ? `${path}?${query}` : path, body };
  }

  /** The operation's request as `key` would send it: JSON, or a form with a one-line CSV file for an upload. */
  async function sendRequest(op: Operation, path: string, key: TestApiKey | undefined, body: unknown): Promise<Response> {
    if (!op.multipart) return call(op.method, path, { key, body });
    const form = new FormData();
    form.set('file', new Blob(['품목코드,FMS상품코드,수량\n'], { type: 'text/csv' }), 'links.csv');
    return app.request(path, { method: op.method, headers: key ? { authorization: `Bearer ${key.plaintext}` } : {}, body: form });
  }

  function accessOfOperation(op: Operation): Access | 'link' {
    const access = accessOf[op.key];
    if (access) return access;
    if (linkPath.test(op.path)) return 'link';
    throw new Error(`${op.key} is not classified: add it to accessOf in test/integration/security/tenancy.test.ts (any-key, admin, own-cstCd-in-body, own-links-listed or own-link-alerts)`);
  }

  const linkNotFound = (body: { status?: number; detail?: string }, linkId: string) => body.status === 404 && body.detail === `mall link ${linkId} was not found`;

  it('finds the operations, and every one is classified', () => {
    expect(operations.length).toBeGreaterThan(20);
    for (const op of operations) accessOfOperation(op);
  });

  it('no key and a revoked key are 401 on every operation', async () => {
    const link = await insertTestMallLink(database.db, { cst_cd: ownCstCd });
    for (const op of operations) {
      const { path, body } = requestOf(op, link.id, ownCstCd);
      for (const key of [undefined, keys.revoked]) {
        const res = await sendRequest(op, path, key, body);
        expect(res.status, `${op.key} with ${key ? 'a revoked key' : 'no key'}`).toBe(401);
        expect(res.headers.get('content-type'), op.key).toBe('application/problem+json');
      }
    }
  });

  it('admin and the own customer reach every operation meant for them; others are refused without learning whether the link exists', async () => {
    const outcomes: string[] = [];
    for (const op of operations) {
      const access = accessOfOperation(op);
      // A fresh link per caller: an allowed DELETE must not change what the next caller sees.
      const fresh = async (): Promise<MallLinkRow> => insertTestMallLink(database.db, { cst_cd: ownCstCd, sender_name: '테넌트', sender_phone: '02-555-0100', shops: [2] });
      const send = async (who: keyof typeof keys, link: MallLinkRow, cstCd = ownCstCd) => {
        const { path, body } = requestOf(op, link.id, cstCd);
        const res = await sendRequest(op, path, keys[who], body);
        const text = await res.text();
        outcomes.push(`${op.key} ${who} ${res.status}`);
        expect(op.statuses.has(String(res.status)), `${op.key} as ${who} answered ${res.status}, which the document does not list: ${text}`).toBe(true);
        // A binary answer (the link sheet) has no JSON body to read.
        const isJson = /json/.test(res.headers.get('content-type') ?? '');
        return { status: res.status, body: (text && isJson ? JSON.parse(text) : {}) as { status?: number; detail?: string; items?: { cstCd?: string; mallLinkId?: string }[] }, text };
      };
      const allowed = (answer: { status: number; body: { status?: number; detail?: string } }, link: MallLinkRow, who: string) => {
        expect([401, 403], `${op.key} as ${who}: ${JSON.stringify(answer.body)}`).not.toContain(answer.status);
        expect(linkNotFound(answer.body, link.id), `${op.key} as ${who} did not find its link`).toBe(false);
      };

      let link = await fresh();
      allowed(await send('admin', link), link, 'admin');
      link = await fresh();
      const own = await send('own', link);
      if (access === 'admin') expect(own.status, `${op.key} as a customer`).toBe(403);
      else allowed(own, link, 'own customer');

      link = await fresh();
      const other = await send('other', link, otherCstCd);
      if (access === 'admin') {
        expect(other.status, `${op.key} as another customer`).toBe(403);
      } else if (access === 'link') {
        // Exactly what a link that does not exist gets, apart from the id.
        const missingId = randomUUID();
        const missing = await send('other', { ...link, id: missingId }, otherCstCd);
        expect(linkNotFound(other.body, link.id), `${op.key} as another customer: ${other.text}`).toBe(true);
        expect(other.text.replaceAll(link.id, '{id}')).toBe(missing.text.replaceAll(missingId, '{id}'));
      } else if (access === 'own-links-listed') {
        expect(other.status).toBe(200);
        expect(other.body.items!.map((item) => item.cstCd)).not.toContain(ownCstCd);
        expect(own.body.items!.map((item) => item.cstCd)).toContain(ownCstCd);
        expect(new Set(own.body.items!.map((item) => item.cstCd))).toEqual(new Set([ownCstCd]));
      } else if (access === 'own-link-alerts') {
        await insertOpenAlerts(database.db, [{ kind: 'failing_runs', mallLinkId: link.id, subject: 'tenancy', since: new Date(), message: 'm', action: 'a', details: {} }]);
        const ownAlerts = await send('own', link);
        const otherAlerts = await send('other', link, otherCstCd);
        expect(ownAlerts.body.items!.map((item) => item.mallLinkId)).toContain(link.id);
        expect(otherAlerts.status).toBe(200);
        expect(otherAlerts.body.items!.map((item) => item.mallLinkId)).not.toContain(link.id);
      } else if (access === 'own-cstCd-in-body') {
        expect(other.status, `${op.key} as another customer, own cstCd`).not.toBe(403);
        const foreign = await send('other', link, ownCstCd);
        expect(foreign.status, `${op.key} as another customer for someone else's cstCd`).toBe(403);
      } else {
        allowed(other, link, 'another customer');
      }
    }
    expect(outcomes.length).toBeGreaterThanOrEqual(operations.length * 3);
  });
});
