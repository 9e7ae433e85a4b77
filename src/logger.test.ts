import { runInNewContext } from 'node:vm';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { Cafe24Unauthorized } from './clients/cafe24/errors.js';
import { createLogger, forwardSdkLog, serializeError } from './logger.js';

/** A logger whose lines are collected as parsed JSON. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level: 'info', service: 'test', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  return { log, lines };
}

describe('serializeError', () => {
  it('keeps type, message and the whole cause chain', () => {
    const root = new Error('Unsupported state or unable to authenticate data');
    const middle = new TypeError('could not decrypt the Cafe24 access token', { cause: root });
    const top = new Error('fetch of paid orders failed', { cause: middle });
    expect(serializeError(top)).toMatchObject({
      type: 'Error',
      message: 'fetch of paid orders failed',
      stack: expect.stringContaining('fetch of paid orders failed'),
      cause: { type: 'TypeError', message: 'could not decrypt the Cafe24 access token', cause: { type: 'Error', message: 'Unsupported state or unable to authenticate data' } },
    });
  });

  it('walks Temporal failures: ActivityFailure → ApplicationFailure (its type and retry facts) → our client error', () => {
    const cafe24 = new Cafe24Unauthorized('Cafe24 answered 401 after a token refresh', 'demomall', 401);
    const application = ApplicationFailure.create({ type: cafe24.name, message: cafe24.message, nonRetryable: true, details: [{ buyer: '홍길동' }], cause: cafe24 });
    const activity = new ActivityFailure('Activity task failed', 'fetchOrderPage', '3', RetryState.NON_RETRYABLE_FAILURE, 'worker@host', application);
    const serialized = serializeError(activity);
    expect(serialized).toMatchObject({
      type: 'ActivityFailure',
      activityType: 'fetchOrderPage',
      activityId: '3',
      cause: {
        type: 'ApplicationFailure',
        failureType: 'Cafe24Unauthorized',
        message: 'Cafe24 answered 401 after a token refresh',
        nonRetryable: true,
        cause: { type: 'Cafe24Unauthorized', message: 'Cafe24 answered 401 after a token refresh', status: 401, mallId: 'demomall', retryable: false },
      },
    });
    expect(serialized.retryState).toBeDefined();
    // Failure details can hold anything a run carried, personal data included: never logged.
    expect(JSON.stringify(serialized)).not.toContain('홍길동');
  });

  it('reads errors made in another realm (the workflow sandbox) and the errors of an AggregateError', () => {
    const foreign = runInNewContext('new RangeError("slot out of range")') as unknown;
    expect(foreign instanceof Error).toBe(false);
    expect(serializeError(foreign)).toMatchObject({ type: 'RangeError', message: 'slot out of range' });
    const connect = new AggregateError([Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED', syscall: 'connect' })], 'all addresses failed');
    expect(serializeError(new TypeError('fetch failed', { cause: connect }))).toMatchObject({
      cause: { type: 'AggregateError', errors: [{ message: 'connect ECONNREFUSED 127.0.0.1:443', code: 'ECONNREFUSED', syscall: 'connect' }] },
    });
  });

  it('ends on a cause cycle and describes a thrown non-error', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(serializeError(a)).toEqual(expect.objectContaining({ message: 'a', cause: expect.objectContaining({ message: 'b' }) }));
    expect(serializeError(a).cause?.cause).toBeUndefined();
    expect(serializeError('boom')).toEqual({ type: 'string', message: 'boom' });
  });

  it('never carries credentials: no arbitrary own properties, and tokens in messages are scrubbed', () => {
    const error = Object.assign(new Error('401 for Authorization: Bearer eyJhbGciOi.secret-part; retried with refresh_token=rt-123&x=1'), {
      request: { headers: { authorization: 'Bearer eyJhbGciOi.secret-part' } },
      accessToken: 'at-456',
    });
    const text = JSON.stringify(serializeError(error));
    for (const secret of ['eyJhbGciOi', 'secret-part', 'rt-123', 'at-456']) expect(text).not.toContain(secret);
    expect(text).toContain('Bearer [redacted]');
    expect(text).toContain('refresh_token=[redacted]');
  });
});

describe('createLogger', () => {
  it('logs an error under err with its cause chain, and redacts secrets in the logged object', () => {
    const { log, lines } = capturedLogger();
    log.warn({ err: new Error('outer', { cause: new Error('inner') }), accessToken: 'at-1', request: { authorization: 'Bearer x' } }, 'failed');
    expect(lines[0]).toMatchObject({ msg: 'failed', err: { type: 'Error', message: 'outer', cause: { message: 'inner' } }, accessToken: '[redacted]', request: { authorization: '[redacted]' } });
  });
});

describe('forwardSdkLog', () => {
  it('moves the error the SDK logs under `error` to `err`, so "Activity failed" says what failed and why', () => {
    const { log, lines } = capturedLogger();
    const cause = new Error('Unsupported state or unable to authenticate data');
    forwardSdkLog(log)({ level: 'WARN', message: 'Activity failed', meta: { activityType: 'fetchOrderPage', durationMs: 12, error: new Error('could not decrypt', { cause }) } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toHaveProperty('error');
    expect(lines[0]).toMatchObject({
      level: 40,
      msg: 'Activity failed',
      sdk: true,
      activityType: 'fetchOrderPage',
      err: { type: 'Error', message: 'could not decrypt', cause: { type: 'Error', message: 'Unsupported state or unable to authenticate data' } },
    });
  });
});
