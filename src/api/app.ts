import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { alertsRouter } from './alerts/alerts.index.js';
import { cafe24Router } from './cafe24/cafe24.index.js';
import { catalogueRouter } from './catalogue/catalogue.index.js';
import { cancellationsRouter } from './cancellations/cancellations.index.js';
import { docsRouter } from './docs/docs.index.js';
import { calendarRouter } from './calendar/calendar.index.js';
import { healthRouter } from './health/health.index.js';
import { mallLinksRouter } from './mall-links/mall-links.index.js';
import { carrierMappingsRouter } from './carrier-mappings/carrier-mappings.index.js';
import { collectionsRouter } from './collections/collections.index.js';
import { invoiceSyncsRouter } from './invoice-syncs/invoice-syncs.index.js';
import { ordersRouter } from './orders/orders.index.js';
import { productLinksRouter } from './product-links/product-links.index.js';
import { operationsRouter } from './operations/operations.index.js';
import { isLinkSheetUpload } from './product-links/upload-limit.js';
import { problemResponse, problemType, ProblemError, validationFailed } from './lib/problem.js';
import { problemOfServiceError } from './lib/service-problems.js';
import { documentSharedErrors, unmatchedRequestHandler } from './lib/route-table.js';
import { createRouter } from './lib/router.js';
import type { ApiDeps } from './lib/types.js';
import { schedulesRouter } from './schedules/schedules.index.js';
import { timetableRouter } from './timetable/timetable.index.js';
import { ServiceError } from '../services/errors.js';

const maxBodyBytes = 1024 * 1024;

/** PostgreSQL's refusal of text it cannot store (NUL: character_not_in_repertoire). */
const isUnstorableText = (error: unknown) => typeof error === 'object' && error !== null && 'code' in error && (error.code === '22021' || error.code === '22P05');

export function createApp(deps: ApiDeps) {
  const app = createRouter();

  if (deps.metrics) app.use(deps.metrics.middleware);
  app.use(requestId());
  app.use(async (c, next) => {
    c.set('deps', deps);
    c.set('log', deps.log.child({ requestId: c.get('requestId') }));
    const started = performance.now();
    await next();
    c.get('log').info(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) },
      'request',
    );
  });
  const generalBodyLimit = bodyLimit({
    maxSize: maxBodyBytes,
    onError: (c) =>
      problemResponse(c, {
        type: problemType('payload-too-large'),
        title: 'Payload Too Large',
        status: 413,
        detail: `request bodies are limited to ${maxBodyBytes} bytes`,
      }),
  });
  app.use((c, next) => (isLinkSheetUpload(c.req.method, c.req.path) ? next() : generalBodyLimit(c, next)));

  app.route('/', healthRouter);
  app.route('/', docsRouter);
  app.route('/', mallLinksRouter);
  app.route('/', timetableRouter);
  app.route('/', calendarRouter);
  app.route('/', schedulesRouter);
  app.route('/', productLinksRouter);
  app.route('/', catalogueRouter);
  app.route('/', collectionsRouter);
  app.route('/', invoiceSyncsRouter);
  app.route('/', cancellationsRouter);
  app.route('/', carrierMappingsRouter);
  app.route('/', ordersRouter);
  app.route('/', operationsRouter);
  app.route('/', cafe24Router);
  app.route('/', alertsRouter);

  documentSharedErrors(app);
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key issued with `npm run apikey -- create`; admin keys or keys bound to one cstCd.',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'cafe24-fms-link API',
      version: '1',
      description:
        'FMS가 카페24 연동쇼핑몰을 등록·관리하는 API. The API FMS uses to register and manage Cafe24 mall links; errors are RFC 9457 problem+json.',
    },
    servers: [{ url: deps.config.PUBLIC_BASE_URL }],
  });

  app.notFound(unmatchedRequestHandler(app));
  app.onError((error, c) => {
    if (error instanceof ProblemError) return problemResponse(c, error.toProblem(c.req.path));
    const serviceProblem = error instanceof ServiceError ? problemOfServiceError(error, c.get('principal')) : undefined;
    if (serviceProblem) return problemResponse(c, serviceProblem.toProblem(c.req.path));
    if (error instanceof HTTPException && error.status < 500) {
      // Hono's own 4xx (e.g. a body that is not JSON) keep their status.
      return problemResponse(c, {
        type: problemType('bad-request'),
        title: 'Bad Request',
        status: error.status,
        detail: error.message || 'the request could not be read',
      });
    }
    if (isUnstorableText(error)) {
      // A text field whose schema does not rule out NUL yet: refuse it rather than fail.
      return problemResponse(c, validationFailed([{ path: '(request)', message: 'text must not contain NUL characters' }]).toProblem(c.req.path));
    }
    c.get('log').error({ err: error }, 'unhandled error');
    // Never leak internals in a 5xx.
    return problemResponse(c, {
      type: problemType('internal'),
      title: 'Internal Server Error',
      status: 500,
      detail: `an unexpected error occurred; quote request id ${c.get('requestId')}`,
    });
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
