import { pino, type Logger } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line, wherever they sit in a logged object. */
const secretKeys = [
  'authorization',
  'apiKey',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'password',
  'token',
];

export function createLogger(options: { level: string; service: string }): Logger {
  return pino({
    level: options.level,
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [...secretKeys, ...secretKeys.map((k) => `*.${k}`), 'req.headers.authorization', 'headers.authorization'],
      censor: '[redacted]',
    },
  });
}
