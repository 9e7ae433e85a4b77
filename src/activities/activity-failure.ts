import { ApplicationFailure } from '@temporalio/common';
import { Cafe24Error, Cafe24RateLimited } from '../clients/cafe24/errors.js';
import { FmsError } from '../clients/fms/errors.js';
import { ShipmentOutcomePendingError } from '../services/shipment-requests.js';

/**
 * An error from Cafe24, FMS or the shipment request service as the failure an activity throws,
 * so Temporal's retry does what the error calls for:
 * - Cafe24: typed (the class name), non-retryable when Cafe24 will answer the same again, and for
 *   429 with the bucket's delay as the next retry interval.
 * - A pending shipment outcome: retryable, after the delay it names.
 * - FMS: a refusal stops retrying; an outage stays an ordinary retryable error.
 * Other errors pass through unchanged.
 */
export function asActivityFailure(error: unknown): unknown {
  if (error instanceof Cafe24Error) {
    return ApplicationFailure.create({
      type: error.name,
      message: error.message,
      nonRetryable: !error.retryable,
      details: [{ mallId: error.mallId, status: error.status ?? null }],
      ...(error instanceof Cafe24RateLimited ? { nextRetryDelay: error.retryAfterMs } : {}),
      cause: error,
    });
  }
  if (error instanceof ShipmentOutcomePendingError) {
    return ApplicationFailure.create({ type: error.name, message: error.message, nextRetryDelay: Math.ceil(error.retryAfterMs) });
  }
  if (error instanceof FmsError && !error.retryable) {
    return ApplicationFailure.nonRetryable(error.message, error.name);
  }
  return error;
}
