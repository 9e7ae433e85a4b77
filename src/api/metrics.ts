import { createServer } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The API's Prometheus metrics: requests by route template, method and status, and their durations. */
export interface ApiMetrics {
  registry: Registry;
  /** Counts and times every request; mount before the routes. */
  middleware: MiddlewareHandler;
}

/** What a request that matched no route is counted as, so unknown paths cannot grow the label set. */
export const unmatchedRoute = 'unmatched';

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by route template, method and status', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to its response, by route template, method and status',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const middleware: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    await next();
    // The route template (`/v1/mall-links/:id`), not the path: ids would make a series per link.
    const route = matchedRoutes(c).findLast((r) => r.method !== 'ALL')?.path ?? unmatchedRoute;
    const labels = { method: c.req.method, route, status: String(c.res.status) };
    requests.inc(labels);
    duration.observe(labels, (performance.now() - started) / 1000);
  };
  return { registry, middleware };
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the registry at GET /metrics on its own port, apart from the public API. */
export async function serveMetrics(registry: Registry, options: { host: string; port: number }): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('metrics are at GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    url: `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${options.port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
