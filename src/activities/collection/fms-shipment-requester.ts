import { ApplicationFailure } from '@temporalio/activity';
import { FmsError } from '../../clients/fms/errors.js';
import { buildShipmentRequest } from '../../domain/shipment-request.js';
import { requestShipmentOnce, ShipmentOutcomePendingError, type ShipmentRequestDeps } from '../shipment-request.js';
import type { ShipmentRequester } from './ports.js';

/**
 * The collection's ShipmentRequester on FMS: builds the request from the stored order and the
 * resolved lines, then creates it through the exactly-once primitive. Missing recipient or sender
 * data is a rejection with its reason (asked again at a later slot), not a failure.
 */
export function createFmsShipmentRequester(deps: ShipmentRequestDeps): ShipmentRequester {
  return {
    async requestShipment({ mallLink, shopNo, order, lines }) {
      const built = buildShipmentRequest({
        order,
        link: { mallLinkId: mallLink.id, invoiceDisplay: mallLink.invoice_display, senderName: mallLink.sender_name, senderPhone: mallLink.sender_phone },
        lines,
      });
      if (!built.ok) return { outcome: 'rejected', reason: built.problems.map((problem) => problem.code).join(',') };
      try {
        const outcome = await requestShipmentOnce(deps, {
          key: { mallLinkId: mallLink.id, shopNo, orderId: order.orderId },
          cstCd: mallLink.cst_cd,
          request: built.request,
        });
        if (outcome.kind === 'rejected') return { outcome: 'rejected', reason: `${outcome.code}: ${outcome.message}` };
        return {
          outcome: outcome.source === 'created' ? 'created' : 'already_requested',
          slipNo: outcome.slipNo,
          warnings: outcome.outOfStock.map((goods) => `out_of_stock:${goods.cstGodCd}`),
        };
      } catch (error) {
        throw asActivityFailure(error);
      }
    },
  };
}

/** FMS errors as Temporal sees them: retryable ones keep their delay, the rest stop retrying. */
function asActivityFailure(error: unknown): unknown {
  if (error instanceof ShipmentOutcomePendingError) {
    return ApplicationFailure.create({ type: error.name, message: error.message, nextRetryDelay: Math.ceil(error.retryAfterMs) });
  }
  if (error instanceof FmsError && !error.retryable) {
    return ApplicationFailure.nonRetryable(error.message, error.name);
  }
  return error;
}
