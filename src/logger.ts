import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line, wherever they sit in a logged object. */
const secretKeys = [
  'authorization',
  'cookie',
  'apiKey',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'password',
  'token',
  'encryptionKey',
  'TOKEN_ENCRYPTION_KEY',
  'FMS_API_KEY',
  'CAFE24_CLIENT_SECRET',
];

/** An error as a log line carries it: what it is, what it says, and what caused it. */
export interface SerializedError {
  /** The error's name (class), e.g. `ActivityFailure`, `Cafe24Unauthorized`, `TypeError`. */
  type: string;
  message: string;
  stack?: string;
  /** An ApplicationFailure's own type (for ours: the class name of the error it wraps). */
  failureType?: string;
  /** Other scalar facts the error carries (HTTP status, error codes, retry state, ...). */
  [fact: string]: unknown;
  cause?: SerializedError;
  /** The errors an AggregateError collects (e.g. each address a connection tried). */
  errors?: SerializedError[];
}

/**
 * Scalar fields copied from an error when present. A list, not "every own property": errors of
 * HTTP clients and Temporal failures also carry request options and raw payloads, which may hold
 * tokens or personal data.
 */
const errorFacts = [
  'code',
  'errno',
  'syscall',
  'status',
  'reason',
  'errorCode',
  'mallId',
  'retryable',
  'nonRetryable',
  'category',
  'retryState',
  'activityType',
  'activityId',
  'timeoutType',
] as const;

const maxCauseDepth = 10;
const maxAggregated = 5;

/** Credentials that can appear inside a message or stack (a header echoed, a URL with a token in its query). */
function scrub(text: string): string {
  return text
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
    .replace(/\b(access_token|refresh_token|client_secret|code|apiKey|token)=([^&\s"']+)/gi, '$1=[redacted]');
}

interface ErrorLike {
  name?: unknown;
  message: string;
  stack?: unknown;
  cause?: unknown;
  errors?: unknown;
  [key: string]: unknown;
}

/** Duck-typed: errors thrown inside the workflow sandbox come from another realm's Error. */
function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

/**
 * The pino serializer for `err` (and a stray `error`): type, message, stack, the failure type and
 * scalar facts of Temporal failures and our client errors, then the whole `cause` chain.
 * Anything that is not an error is logged as `{ type: typeof, message: String(value) }`.
 */
export function serializeError(value: unknown, depth = 0, seen = new Set<unknown>()): SerializedError {
  if (!isErrorLike(value)) return { type: value === null ? 'null' : typeof value, message: scrub(String(value)) };
  seen.add(value);
  const type = typeof value.name === 'string' && value.name !== '' ? value.name : ((value as { constructor?: { name?: string } }).constructor?.name ?? 'Error');
  const serialized: SerializedError = { type, message: scrub(value.message) };
  // An ApplicationFailure's `type` names what failed; our `type` above is the class.
  if (typeof value.type === 'string') serialized.failureType = value.type;
  for (const fact of errorFacts) {
    const factValue = value[fact];
    if (typeof factValue === 'string' || typeof factValue === 'number' || typeof factValue === 'boolean') serialized[fact] = factValue;
  }
  if (typeof value.stack === 'string') serialized.stack = scrub(value.stack);
  if (depth < maxCauseDepth) {
    if (value.cause !== undefined && value.cause !== null && !seen.has(value.cause)) serialized.cause = serializeError(value.cause, depth + 1, seen);
    if (Array.isArray(value.errors) && value.errors.length > 0) {
      serialized.errors = value.errors.slice(0, maxAggregated).filter((e) => !seen.has(e)).map((e) => serializeError(e, depth + 1, seen));
    }
  }
  return serialized;
}

/** A service's logger; `destination` (stdout by default) lets tests read the lines. */
export function createLogger(options: { level: string; service: string; destination?: DestinationStream }): Logger {
  return pino(
    {
    level: options.level,
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Errors go under `err`; the Temporal SDK's own log meta says `error`, so both serialize.
    serializers: { err: (e: unknown) => serializeError(e), error: (e: unknown) => serializeError(e) },
    redact: {
      paths: [...secretKeys, ...secretKeys.map((k) => `*.${k}`), 'req.headers.authorization', 'headers.authorization'],
      censor: '[redacted]',
    },
    },
    options.destination,
  );
}

/** A Temporal SDK log entry (DefaultLogger's callback argument), without importing the SDK here. */
export interface SdkLogEntry {
  level: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  message: string;
  meta?: Record<string, unknown>;
}

const pinoLevelOf = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * Forwards the SDK's own logs (worker, activities, workflow `log`) to pino, with the error the
 * SDK puts under `error` (e.g. "Activity failed", "Workflow failed") moved to `err`.
 */
export function forwardSdkLog(log: Logger): (entry: SdkLogEntry) => void {
  return (entry) => {
    const { error, err, ...meta } = entry.meta ?? {};
    const failure = err ?? error;
    log[pinoLevelOf[entry.level]]({ ...meta, ...(failure !== undefined ? { err: failure } : {}), sdk: true }, entry.message);
  };
}
