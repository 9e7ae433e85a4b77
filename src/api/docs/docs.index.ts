import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import type { AppEnv } from '../lib/types.js';

// Swagger UI is served from the swagger-ui-dist package, not a CDN: the docs work offline
// and behind firewalls that FMS integrators sit behind.
const assetDir = getAbsoluteFSPath();
const assets = {
  'swagger-ui.css': { type: 'text/css; charset=utf-8', body: readFileSync(path.join(assetDir, 'swagger-ui.css')) },
  'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(path.join(assetDir, 'swagger-ui-bundle.js')) },
} as const;

const page = `<!doctype html>
<html lang="ko">
<head>
  <meta charset="utf-8">
  <title>cafe24-fms-link API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true });
  </script>
</body>
</html>`;

export const docsRouter = new Hono<AppEnv>()
  .get('/docs', (c) => c.html(page))
  .get('/docs/assets/:file', (c) => {
    const asset = assets[c.req.param('file') as keyof typeof assets];
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=86400' });
  });
