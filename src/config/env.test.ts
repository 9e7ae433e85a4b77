import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env.js';

const key = Buffer.alloc(32, 7).toString('base64');
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://app:secret@db:5432/app',
  TEMPORAL_ADDRESS: 'temporal:7233',
  PUBLIC_BASE_URL: 'https://link.example.com/',
  TOKEN_ENCRYPTION_KEY: key,
  FMS_BASE_URL: 'https://fmsapi.fassto.ai',
  FMS_API_CD: 'api-cd',
  FMS_API_KEY: 'api-key',
  CAFE24_CLIENT_ID: 'app-client-id',
  CAFE24_CLIENT_SECRET: 'app-client-secret',
};

function problemsOf(source: Record<string, string>): string[] {
  try {
    loadConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('runs on embedded-stack defaults in development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'cafe24-fms-link',
      API_PORT: 3000,
      LOG_LEVEL: 'info',
      FMS_BASE_URL: 'http://127.0.0.1:3202',
    });
    expect(config.TOKEN_ENCRYPTION_KEY).toBeUndefined();
  });

  it('accepts a complete production environment and normalises URLs', () => {
    const config = loadConfig(production);
    expect(config.PUBLIC_BASE_URL).toBe('https://link.example.com');
    expect(config.TEMPORAL_TASK_QUEUE).toBe('cafe24-fms-link');
  });

  it.each(['DATABASE_URL', 'TEMPORAL_ADDRESS', 'PUBLIC_BASE_URL', 'TOKEN_ENCRYPTION_KEY', 'FMS_BASE_URL', 'FMS_API_CD', 'FMS_API_KEY'])(
    'in production, a missing %s is named with what is expected',
    (name) => {
      const { [name]: _dropped, ...rest } = production as Record<string, string>;
      const problems = problemsOf(rest);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${name} is required: expected .+`));
    },
  );

  it.each([
    ['DATABASE_URL', 'mysql://x'],
    ['TEMPORAL_ADDRESS', 'temporal'],
    ['API_PORT', '70000'],
    ['TOKEN_ENCRYPTION_KEY', 'too-short'],
    ['LOG_LEVEL', 'loud'],
  ])('in production, a malformed %s is named', (name, value) => {
    const problems = problemsOf({ ...production, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name} is malformed: expected .+`));
  });

  it('treats an empty value as missing', () => {
    expect(problemsOf({ ...production, DATABASE_URL: '' })[0]).toMatch(/^DATABASE_URL is required/);
  });

  it('an alert webhook needs its signing secret', () => {
    expect(problemsOf({ ...production, ALERT_WEBHOOK_URL: 'https://ops.example.com/hook' })).toEqual([
      expect.stringMatching(/^ALERT_WEBHOOK_SECRET is required: expected .*HMAC-SHA256/),
    ]);
    expect(problemsOf({ ...production, ALERT_WEBHOOK_URL: 'https://ops.example.com/hook', ALERT_WEBHOOK_SECRET: 'a-secret-of-16-chars' })).toEqual([]);
    const defaults = loadConfig({ NODE_ENV: 'development' });
    expect(defaults.ALERT_WEBHOOK_URL).toBeUndefined();
    expect(defaults).toMatchObject({ ALERT_UNLINKED_ORDER_AGE_HOURS: 24, ALERT_MISSED_SLOT_LOOKBACK_HOURS: 24 });
  });
});
