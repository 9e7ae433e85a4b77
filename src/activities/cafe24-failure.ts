import { ApplicationFailure } from '@temporalio/common';
import { Cafe24Error, Cafe24RateLimited } from '../clients/cafe24/errors.js';

/**
 * A Cafe24 client error as the failure an activity throws: typed (the class name), non-retryable
 * when Cafe24 will answer the same again, and for 429 with the bucket's delay as the next retry
 * interval. Other errors pass through unchanged.
 */
export function asActivityFailure(error: unknown): unknown {
  if (!(error instanceof Cafe24Error)) return error;
  return ApplicationFailure.create({
    type: error.name,
    message: error.message,
    nonRetryable: !error.retryable,
    details: [{ mallId: error.mallId, status: error.status ?? null }],
    ...(error instanceof Cafe24RateLimited ? { nextRetryDelay: error.retryAfterMs } : {}),
    cause: error,
  });
}
