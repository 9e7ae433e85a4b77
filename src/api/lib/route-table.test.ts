import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import type { ApiDeps } from './types.js';

// Routing and the document only: no request here reaches a handler that needs the database.
const app = createApp({ config: { PUBLIC_BASE_URL: 'http://api.test' }, log: pino({ level: 'silent' }) } as unknown as ApiDeps);

describe('requests no route takes', () => {
  it.each([
    ['PUT', '/v1/mall-links/anything', 'GET, HEAD, PATCH, DELETE'],
    ['DELETE', '/v1/mall-links', 'GET, HEAD, POST'],
    ['OPTIONS', '/cafe24/install', 'GET, HEAD'],
    ['POST', '/healthz', 'GET, HEAD'],
    ['GET', '/v1/calendar/overrides/2026-12-31', 'PUT, DELETE'],
  ])('%s %s is a 405 problem with Allow: %s', async (method, path, allow) => {
    const res = await app.request(path, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ type: '/problems/method-not-allowed', status: 405 });
  });

  it('a path no route has is a 404 problem without Allow', async () => {
    const res = await app.request('/v1/nothing-here', { method: 'PATCH' });
    expect(res.status).toBe(404);
    expect(res.headers.get('allow')).toBeNull();
    expect(await res.json()).toMatchObject({ type: '/problems/not-found' });
  });
});

describe('shared error responses in the OpenAPI document', () => {
  it('every operation lists the errors its auth, parameters and body can cause', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const doc: any = await (await app.request('/openapi.json')).json();
    let checked = 0;
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, { security?: unknown[]; parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> }>>)) {
      for (const [method, op] of Object.entries(operations)) {
        const statuses = Object.keys(op.responses);
        const where = `${method.toUpperCase()} ${path}`;
        if (op.security?.length) expect(statuses, where).toContain('401');
        if (path.includes('{')) expect(statuses, where).toContain('404');
        if (op.requestBody) expect(statuses, where).toEqual(expect.arrayContaining(['400', '413', '415', '422']));
        if (op.parameters?.length || op.requestBody) expect(statuses, where).toContain('422');
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
