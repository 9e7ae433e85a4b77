import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { operationRef } from './links.js';
import type { ApiDeps } from './types.js';

// The document only: no request here reaches a handler.
const app = createApp({ config: { PUBLIC_BASE_URL: 'http://api.test' }, log: pino({ level: 'silent' }) } as unknown as ApiDeps);

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is walked as plain JSON */
type Json = any;

const document = async (): Promise<Json> => (await app.request('/openapi.json')).json();

/** The operation an `operationRef` names (a URI fragment: percent-decoded, then unescaped as RFC 6901 says), or undefined. */
function operationAt(doc: Json, ref: string): Json {
  const match = /^#\/paths\/([^/{}]+)\/(\w+)$/.exec(ref);
  if (!match) return undefined;
  return doc.paths[decodeURIComponent(match[1]!).replaceAll('~1', '/').replaceAll('~0', '~')]?.[match[2]!];
}

/** The schema a JSON Pointer into a response body reaches (through $ref, nullable anyOf and array items), or undefined. */
function schemaAt(doc: Json, schema: Json, pointer: string): Json {
  const resolve = (s: Json): Json => {
    if (s?.$ref) return resolve(doc.components.schemas[s.$ref.split('/').at(-1)]);
    const nonNull = s?.anyOf?.filter((option: Json) => option.type !== 'null');
    return nonNull?.length === 1 ? resolve(nonNull[0]) : s;
  };
  let at = resolve(schema);
  for (const token of pointer.split('/').slice(1)) {
    at = /^\d+$/.test(token) ? resolve(at?.items) : resolve(at?.properties?.[token] ?? at?.allOf?.map(resolve).find((part: Json) => part?.properties?.[token])?.properties[token]);
    if (at === undefined) return undefined;
  }
  return at;
}

interface DeclaredLink {
  where: string;
  source: Json;
  response: Json;
  name: string;
  link: Json;
}

function declaredLinks(doc: Json): DeclaredLink[] {
  return Object.entries<Json>(doc.paths).flatMap(([path, operations]) =>
    Object.entries<Json>(operations).flatMap(([method, source]) =>
      Object.entries<Json>(source.responses).flatMap(([status, response]) =>
        Object.entries<Json>(response.links ?? {}).map(([name, link]) => ({ where: `${method.toUpperCase()} ${path} ${status} → ${name}`, source, response, name, link })),
      ),
    ),
  );
}

describe('OpenAPI links', () => {
  it('every link names an operation of the document, fills each of its path parameters, and reads values the source has', async () => {
    const doc = await document();
    const links = declaredLinks(doc);
    expect(links.length).toBeGreaterThan(30);
    for (const { where, source, response, link } of links) {
      const target = operationAt(doc, link.operationRef);
      expect(target, where).toBeDefined();
      expect(link.description, where).toEqual(expect.any(String));
      const targetParameters = new Map<string, Json>((target.parameters ?? []).map((p: Json) => [`${p.in}.${p.name}`, p]));
      for (const required of [...targetParameters.keys()].filter((key) => key.startsWith('path.'))) {
        expect(Object.keys(link.parameters).map((key) => (key.includes('.') ? key : `path.${key}`)), `${where}: ${required}`).toContain(required);
      }
      for (const [key, expression] of Object.entries<string>(link.parameters)) {
        expect(targetParameters.has(key.includes('.') ? key : `path.${key}`), `${where}: ${key} is not a parameter of the target`).toBe(true);
        const body = /^\$response\.body#(\/.*)$/.exec(expression);
        const requestPath = /^\$request\.path\.(.+)$/.exec(expression);
        const header = /^\$response\.header\.(.+)$/.exec(expression);
        if (body) expect(schemaAt(doc, response.content['application/json'].schema, body[1]!), `${where}: ${expression}`).toBeDefined();
        else if (requestPath) expect(source.parameters.some((p: Json) => p.in === 'path' && p.name === requestPath[1]), `${where}: ${expression}`).toBe(true);
        else if (header) expect(Object.keys(response.headers ?? {}), `${where}: ${expression}`).toContain(header[1]);
        else expect.fail(`${where}: ${expression} is not an expression these links use`);
      }
    }
  });

  it('chains the main flows: a created mall link to its reads, runs, update and delete (with its ETag); an import to its progress; a stored product link, carrier mapping and override to their removal', async () => {
    const doc = await document();
    const linksOf = (method: string, path: string, status: string) => doc.paths[path][method].responses[status].links ?? {};
    const targets = (links: Json) => Object.values<Json>(links).map((link) => link.operationRef);

    const created = linksOf('post', '/v1/mall-links', '201');
    expect(targets(created)).toEqual(
      expect.arrayContaining([
        operationRef('get', '/v1/mall-links/{id}'),
        operationRef('patch', '/v1/mall-links/{id}'),
        operationRef('delete', '/v1/mall-links/{id}'),
        operationRef('get', '/v1/mall-links/{id}/status'),
        operationRef('get', '/v1/mall-links/{id}/product-links'),
        operationRef('post', '/v1/mall-links/{id}/product-imports'),
        operationRef('post', '/v1/mall-links/{id}/collections'),
        operationRef('get', '/v1/mall-links/{id}/collections'),
        operationRef('post', '/v1/mall-links/{id}/backfill'),
      ]),
    );
    // Every sub-resource of a link that needs nothing but its id is reachable from its creation.
    const idOnly = Object.entries<Json>(doc.paths)
      .filter(([path]) => /^\/v1\/mall-links\/\{id\}(\/[^{}]*)?$/.test(path))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => operationRef(method as 'get', path)));
    expect(targets(created).sort()).toEqual([...new Set(idOnly)].sort());
    expect(created.UpdateMallLink.parameters).toEqual({ id: '$response.body#/id', 'header.if-match': '$response.header.ETag' });

    // Update and delete come from the responses that carry the link's ETag, which a list does not.
    const listed = targets(linksOf('get', '/v1/mall-links', '200'));
    expect(listed).toContain(operationRef('get', '/v1/mall-links/{id}/status'));
    expect(listed).not.toContain(operationRef('delete', '/v1/mall-links/{id}'));
    expect(listed).not.toContain(operationRef('patch', '/v1/mall-links/{id}'));
    for (const [method, status] of [['get', '200'], ['patch', '200']] as const) {
      expect(linksOf(method, '/v1/mall-links/{id}', status).DeleteMallLink.parameters['header.if-match'], `${method} ${status}`).toBe('$response.header.ETag');
    }

    expect(linksOf('post', '/v1/mall-links/{id}/product-imports', '202').GetCatalogueImport.parameters).toEqual({ id: '$request.path.id', importId: '$response.body#/importId' });
    expect(targets(linksOf('post', '/v1/mall-links/{id}/shops', '201'))).toEqual([
      operationRef('post', '/v1/mall-links/{id}/shops/{shopNo}/approve'),
      operationRef('post', '/v1/mall-links/{id}/shops/{shopNo}/reject'),
    ]);
    expect(targets(linksOf('put', '/v1/mall-links/{id}/product-links/{variantCode}', '200'))).toContain(operationRef('delete', '/v1/mall-links/{id}/product-links/{variantCode}'));
    for (const status of ['200', '201']) expect(targets(linksOf('put', '/v1/carrier-mappings/{fmsCarrierKey}', status))).toEqual([operationRef('delete', '/v1/carrier-mappings/{fmsCarrierKey}')]);
    expect(targets(linksOf('put', '/v1/calendar/overrides/{date}', '200'))).toEqual([operationRef('delete', '/v1/calendar/overrides/{date}')]);
  });
});
