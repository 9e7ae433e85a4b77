import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { Cafe24NotFound, Cafe24RateLimited, Cafe24Unavailable } from '../clients/cafe24/errors.js';
import { asActivityFailure } from './cafe24-failure.js';

describe('Cafe24 errors as activity failures', () => {
  it('carries the rate-limit delay as the next retry interval', () => {
    const failure = asActivityFailure(new Cafe24RateLimited('demomall', 5500)) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'Cafe24RateLimited', nonRetryable: false, nextRetryDelay: 5500 });
  });

  it('makes 4xx rejections non-retryable and keeps transient ones retryable', () => {
    expect(asActivityFailure(new Cafe24NotFound('no order', 'demomall', 404))).toMatchObject({ type: 'Cafe24NotFound', nonRetryable: true });
    expect(asActivityFailure(new Cafe24Unavailable('503', 'demomall', 503))).toMatchObject({ type: 'Cafe24Unavailable', nonRetryable: false });
  });

  it('passes other errors through', () => {
    const error = new Error('boom');
    expect(asActivityFailure(error)).toBe(error);
  });
});
