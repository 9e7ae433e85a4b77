import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { Cafe24NotFound, Cafe24RateLimited, Cafe24Unavailable } from '../clients/cafe24/errors.js';
import { FmsAuthError, FmsProtocolError, FmsRejectedError, FmsUnavailableError } from '../clients/fms/errors.js';
import { ShipmentOutcomePendingError } from '../services/shipment-requests.js';
import { asActivityFailure } from './activity-failure.js';

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
});

describe('FMS errors as activity failures', () => {
  it('makes refusals and protocol errors non-retryable, typed by their class', () => {
    for (const error of [new FmsRejectedError('E001', 'bad goods code', 200), new FmsAuthError('AUTH', 'bad key', 401), new FmsProtocolError('no slip number')]) {
      const failure = asActivityFailure(error);
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type: error.name, message: error.message, nonRetryable: true });
    }
  });

  it('leaves an outage as it is, for the ordinary retry policy', () => {
    const error = new FmsUnavailableError('timeout', 'FMS did not answer in time');
    expect(asActivityFailure(error)).toBe(error);
  });

  it('retries a pending shipment outcome after the delay it names', () => {
    const failure = asActivityFailure(new ShipmentOutcomePendingError('C24-1-20261130-0000001', 1234.2));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ShipmentOutcomePendingError', nonRetryable: false, nextRetryDelay: 1235 });
  });
});

describe('other errors', () => {
  it('pass through', () => {
    const error = new Error('boom');
    expect(asActivityFailure(error)).toBe(error);
  });
});
