import { z } from 'zod';
import { defaultTaskQueue } from '../temporal/names.js';

/**
 * The one place that reads the environment. Every process parses it once at start-up;
 * in production a missing or malformed required value stops the process with one line
 * per variable saying what is expected.
 */

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** What each variable must look like, shown to the operator when it does not. */
const expectations: Record<string, string> = {
  NODE_ENV: 'one of development, test, production',
  LOG_LEVEL: `one of ${logLevels.join(', ')}`,
  DATABASE_URL: 'a postgres:// connection URL',
  TEMPORAL_ADDRESS: 'host:port of the Temporal frontend, e.g. temporal:7233',
  TEMPORAL_NAMESPACE: 'a Temporal namespace name',
  TEMPORAL_TASK_QUEUE: 'a task queue name',
  TEMPORAL_UI_URL: 'an http(s) URL of the Temporal UI',
  API_HOST: 'an interface address to bind, e.g. 0.0.0.0',
  API_PORT: 'a TCP port number (1-65535)',
  PUBLIC_BASE_URL: 'the public http(s) URL under which this API is reached',
  TOKEN_ENCRYPTION_KEY: '32 random bytes, base64-encoded (openssl rand -base64 32)',
  WORKER_SHUTDOWN_GRACE_MS: 'milliseconds the worker waits for running activities on shutdown',
  WORKFLOW_BUNDLE_PATH: 'path of a workflow bundle built by npm run build',
  TEMPORAL_CLI_PATH: 'path of a temporal CLI binary',
  SCHEDULE_CATCHUP_WINDOW_MINUTES: 'minutes (1-1440) a missed schedule slot may still start after a Temporal outage',
  SCHEDULE_SYNC_TIMEOUT_MS: 'milliseconds the API waits for Temporal when syncing a schedule before answering pending',
  FMS_BASE_URL: 'the http(s) base URL of the FMS open API, e.g. https://fmsapi.fassto.ai',
  FMS_API_CD: 'the FMS API code (apiCd) issued by FASSTO',
  FMS_API_KEY: 'the FMS API key (apiKey) issued by FASSTO',
  FMS_TIMEOUT_MS: 'milliseconds one FMS HTTP exchange may take',
  FMS_DATE_FORMAT: 'how date path segments are sent to FMS: yyyyMMdd or YYYY-MM-DD',
  FMS_CREATE_BATCH_SIZE: 'orders (50-1000) sent to FMS in one parcel create call',
  CAFE24_CLIENT_ID: 'the Client ID of the Cafe24 app (developer center)',
  CAFE24_CLIENT_SECRET: 'the Client Secret of the Cafe24 app (developer center)',
  CAFE24_API_BASE_URL: 'an http(s) URL template containing {mall_id}, e.g. https://{mall_id}.cafe24api.com',
  CAFE24_API_VERSION: 'a Cafe24 API version date, YYYY-MM-DD',
  CAFE24_HTTP_TIMEOUT_MS: 'milliseconds before a Cafe24 call times out',
  METRICS_HOST: 'an interface address the metrics endpoints bind, e.g. 0.0.0.0',
  WORKER_METRICS_PORT: 'a TCP port number (1-65535) for the worker\'s Prometheus metrics; unset: no endpoint',
  API_METRICS_PORT: 'a TCP port number (1-65535) for the API\'s Prometheus metrics; unset: no endpoint',
  RETENTION_DAYS: 'days (1-3650) a raw Cafe24 order keeps buyers\' personal data after its last fetch',
  ALERT_WEBHOOK_URL: 'an http(s) URL that receives one signed POST per alert opening and closing',
  ALERT_WEBHOOK_SECRET: 'a secret of at least 16 characters (HMAC-SHA256 key of the alert webhook), required with ALERT_WEBHOOK_URL',
  ALERT_WEBHOOK_TIMEOUT_MS: 'milliseconds one alert webhook POST may take',
  ALERT_UNLINKED_ORDER_AGE_HOURS: 'hours (0-720) an order may stay unlinked before it is alerted',
  ALERT_MISSED_SLOT_LOOKBACK_HOURS: 'hours (1-336) back in which passed slots with no run are alerted',
  ALERT_MISSED_SLOT_GRACE_MINUTES: 'minutes (0-120) after a slot before its missing run is alerted',
  ALERT_FAILED_RUN_LOOKBACK_HOURS: 'hours (1-720) back in which failed runs are alerted',
  ALERT_LATE_CANCELLATION_LOOKBACK_DAYS: 'days (1-90) a cancellation after shipment started stays alerted',
  PRODUCT_LINK_UPLOAD_MAX_BYTES: 'bytes (1024-52428800) an uploaded link sheet may have',
  PRODUCT_LINK_UPLOAD_MAX_ROWS: 'data rows (1-100000) an uploaded link sheet may have',
};

const port = z.coerce.number().int().min(1).max(65535);
const httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));
/** Where Cafe24 (or a stand-in) answers for a mall: `{mall_id}` is replaced per call. */
const cafe24UrlTemplate = z
  .string()
  .refine((v) => v.includes('{mall_id}') && /^https?:\/\//.test(v))
  .transform((u) => u.replace(/\/+$/, ''));
const base64Key32 = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(v));

/** Where `npm start` runs the FMS simulator unless DEV_FMS_SIM_PORT moves it. */
const devFmsSimulatorPort = 3202;

function schemaFor(production: boolean) {
  /** In production the value is required; elsewhere the embedded dev stack's value is the default. */
  const devDefault = <T extends z.ZodType>(schema: T, value: z.input<T>) =>
    production ? schema : schema.default(value as never);

  return z.object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(logLevels).default('info'),
    DATABASE_URL: devDefault(
      z.url({ protocol: /^postgres(ql)?$/ }),
      'postgres://postgres:postgres@127.0.0.1:54329/cafe24_fms_link',
    ),
    TEMPORAL_ADDRESS: devDefault(z.string().regex(/^[^:\s]+:\d+$/), '127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default(defaultTaskQueue),
    TEMPORAL_UI_URL: httpUrl.default('http://localhost:8233'),
    API_HOST: z.string().min(1).default('0.0.0.0'),
    API_PORT: port.default(3000),
    PUBLIC_BASE_URL: devDefault(httpUrl, 'http://localhost:3000'),
    TOKEN_ENCRYPTION_KEY: production ? base64Key32 : base64Key32.optional(),
    WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
    WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
    TEMPORAL_CLI_PATH: z.string().min(1).optional(),
    SCHEDULE_CATCHUP_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
    SCHEDULE_SYNC_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
    // Dev defaults point at the FMS simulator that `npm start` runs (src/sim/fms).
    FMS_BASE_URL: devDefault(httpUrl, `http://127.0.0.1:${devFmsSimulatorPort}`),
    FMS_API_CD: devDefault(z.string().min(1), 'sim-api-cd'),
    FMS_API_KEY: devDefault(z.string().min(1), 'sim-api-key'),
    FMS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    // FASSTO clients are seen sending both; the simulator accepts both.
    FMS_DATE_FORMAT: z.enum(['yyyyMMdd', 'YYYY-MM-DD']).default('yyyyMMdd'),
    // FMS's create takes an array and answers per element; one call per this many orders.
    FMS_CREATE_BATCH_SIZE: z.coerce.number().int().min(50).max(1000).default(100),
    // Development defaults point at the Cafe24 simulator that `npm start` runs.
    CAFE24_CLIENT_ID: devDefault(z.string().min(1), 'sim-client-id'),
    CAFE24_CLIENT_SECRET: devDefault(z.string().min(1), 'sim-client-secret'),
    CAFE24_API_BASE_URL: cafe24UrlTemplate.default(production ? 'https://{mall_id}.cafe24api.com' : 'http://127.0.0.1:3510/malls/{mall_id}'),
    CAFE24_API_VERSION: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).default('2025-12-01'),
    CAFE24_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    // Prometheus endpoints, each on its own port (never the public API's); off unless a port is set.
    METRICS_HOST: z.string().min(1).default('0.0.0.0'),
    WORKER_METRICS_PORT: port.optional(),
    API_METRICS_PORT: port.optional(),
    RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    ALERT_WEBHOOK_URL: httpUrl.optional(),
    ALERT_WEBHOOK_SECRET: z.string().min(16).optional(),
    ALERT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    ALERT_UNLINKED_ORDER_AGE_HOURS: z.coerce.number().int().min(0).max(720).default(24),
    ALERT_MISSED_SLOT_LOOKBACK_HOURS: z.coerce.number().int().min(1).max(336).default(24),
    ALERT_MISSED_SLOT_GRACE_MINUTES: z.coerce.number().int().min(0).max(120).default(10),
    ALERT_FAILED_RUN_LOOKBACK_HOURS: z.coerce.number().int().min(1).max(720).default(48),
    ALERT_LATE_CANCELLATION_LOOKBACK_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    // A 10,000-row sheet is about 0.3 MiB as .xlsx; the limits keep one upload's work bounded.
    PRODUCT_LINK_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(5 * 1024 * 1024),
    PRODUCT_LINK_UPLOAD_MAX_ROWS: z.coerce.number().int().min(1).max(100_000).default(10_000),
  }).superRefine((config, ctx) => {
    // A webhook nobody can verify is worse than none.
    if (config.ALERT_WEBHOOK_URL !== undefined && config.ALERT_WEBHOOK_SECRET === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ALERT_WEBHOOK_SECRET'], message: 'required with ALERT_WEBHOOK_URL' });
    }
  });
}

export type Config = z.output<ReturnType<typeof schemaFor>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Parses an environment (process.env by default). Throws ConfigError naming each bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, so `FOO=` in an env file behaves like a missing FOO.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schemaFor(cleaned.NODE_ENV === 'production').safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const state = cleaned[name] === undefined ? 'is required' : 'is malformed';
    return `${name} ${state}: expected ${expectations[name] ?? issue.message}`;
  });
  throw new ConfigError(problems);
}

const devStackSchema = z.object({
  /** Where `npm start` keeps its state; tests point it at a temporary folder. */
  DEV_DATA_DIR: z.string().min(1).optional(),
  DEV_POSTGRES_PORT: port.default(54329),
  DEV_TEMPORAL_PORT: port.default(7233),
  DEV_TEMPORAL_UI_PORT: port.default(8233),
  DEV_CAFE24_SIM_PORT: port.default(3510),
  API_PORT: port.default(3000),
  DEV_FMS_SIM_PORT: port.default(devFmsSimulatorPort),
  WORKER_METRICS_PORT: port.default(9464),
  API_METRICS_PORT: port.default(9465),
  // The demo alerts held orders at once rather than after a day (ALERT_UNLINKED_ORDER_AGE_HOURS).
  ALERT_UNLINKED_ORDER_AGE_HOURS: z.coerce.number().int().min(0).max(720).default(0),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  /** The Chromium the Temporal UI test drives; default: `chromium` on PATH. */
  CHROMIUM_PATH: z.string().min(1).optional(),
});
export type DevStackConfig = z.output<typeof devStackSchema>;

/** Ports and tools of the embedded stack behind `npm start` (dev only). */
export function loadDevStackConfig(source: NodeJS.ProcessEnv = process.env): DevStackConfig {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = devStackSchema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0])} is malformed: ${i.message}`));
}

/** The PATH variable, for tools that look binaries up the way a shell would. */
export function searchPath(source: NodeJS.ProcessEnv = process.env): string[] {
  return (source.PATH ?? '').split(':').filter(Boolean);
}

/** True when running under a CI system (CI=true), where dev conveniences such as pretty logs are off. */
export function isCi(source: NodeJS.ProcessEnv = process.env): boolean {
  return source.CI === 'true' || source.CI === '1';
}

/** For entrypoints: parse or print the problems and exit(1). */
export function loadConfigOrExit(source: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`);
    process.exit(1);
  }
}
