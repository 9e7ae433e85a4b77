import type { Context } from 'hono';
import type { createRouter } from './router.js';
import { problemResponse, problemResponseSpec, problemType } from './problem.js';

type Router = ReturnType<typeof createRouter>;

/**
 * Error responses every operation can give by construction (auth middleware, request validation,
 * body parsing, body limit, `{param}` look-ups). Added to each route's OpenAPI entry unless the
 * route documents that status itself, so routes added later are documented without extra work.
 */
const sharedResponses = {
  unauthorized: [401, problemResponseSpec('No API key, or an unknown or revoked one (`/problems/unauthorized`)')],
  notFound: [404, problemResponseSpec('Nothing at this path: no such resource, or one the key may not see (`/problems/not-found`)')],
  malformed: [400, problemResponseSpec('The body is not valid JSON (`/problems/bad-request`)')],
  tooLarge: [413, problemResponseSpec('The body is over 1 MiB (`/problems/payload-too-large`)')],
  unsupportedMediaType: [415, problemResponseSpec('The body is not sent as `application/json` (`/problems/bad-request`)')],
  validation: [422, problemResponseSpec('Invalid parameters or body; `errors` names each field (`/problems/validation-error`)')],
} as const;

/** Adds the shared error responses to every registered route (call after the last `app.route`). */
export function documentSharedErrors(app: Router): void {
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== 'route') continue;
    const { route } = definition;
    const request = route.request ?? {};
    const wanted = [
      ...(route.security?.length ? [sharedResponses.unauthorized] : []),
      ...(route.path.includes('{') ? [sharedResponses.notFound] : []),
      ...(request.body ? [sharedResponses.malformed, sharedResponses.tooLarge, sharedResponses.unsupportedMediaType] : []),
      ...(request.params || request.query || request.headers || request.body ? [sharedResponses.validation] : []),
    ];
    const added = Object.fromEntries(wanted.filter(([status]) => !(status in route.responses)).map(([status, spec]) => [status, spec]));
    // A new object: the route config itself may be shared with other registries.
    route.responses = { ...route.responses, ...added };
  }
}

const methodOrder = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Hono path (`/v1/mall-links/:id`) → a regex matching concrete paths. */
function pathPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * The answer for a request no route takes: 405 with `Allow` when the path exists under other
 * methods (derived from the routes registered on `app`), else 404. Both are problem+json.
 */
export function unmatchedRequestHandler(app: Router) {
  let table: { pattern: RegExp; methods: Set<string>; staticSegments: number }[] | undefined;
  const routeTable = () => {
    if (table) return table;
    const byPath = new Map<string, Set<string>>();
    for (const { method, path } of app.routes) {
      if (method === 'ALL') continue;
      byPath.set(path, (byPath.get(path) ?? new Set()).add(method));
    }
    table = [...byPath].map(([path, methods]) => ({ pattern: pathPattern(path), methods, staticSegments: path.split('/').filter((segment) => segment !== '' && !segment.startsWith(':')).length }));
    return table;
  };
  return (c: Context) => {
    // As the router does, a literal segment wins over a parameter: `…/product-links/uploads` is not a
    // `…/product-links/{variantCode}`, so only the most literal matches answer for the path.
    const matching = routeTable().filter(({ pattern }) => pattern.test(c.req.path));
    const mostLiteral = Math.max(...matching.map(({ staticSegments }) => staticSegments));
    const allowed = new Set(matching.filter(({ staticSegments }) => staticSegments === mostLiteral).flatMap(({ methods }) => [...methods]));
    if (allowed.size === 0) {
      return problemResponse(c, { type: problemType('not-found'), title: 'Not Found', status: 404, detail: `no route for ${c.req.method} ${c.req.path}` });
    }
    // Hono answers HEAD with the GET route.
    if (allowed.has('GET')) allowed.add('HEAD');
    const allow = methodOrder.filter((method) => allowed.has(method)).join(', ');
    return problemResponse(
      c,
      { type: problemType('method-not-allowed'), title: 'Method Not Allowed', status: 405, detail: `${c.req.method} is not supported on ${c.req.path}; use ${allow}` },
      { allow },
    );
  };
}
