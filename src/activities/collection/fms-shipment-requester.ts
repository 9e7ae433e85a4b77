import { buildShipmentRequest } from '../../domain/shipment-request.js';
import { requestShipmentOnce, type ShipmentRequestDeps } from '../../services/shipment-requests.js';
import { asActivityFailure } from '../activity-failure.js';
import type { ShipmentRequester } from './ports.js';

/**
 * The collection's ShipmentRequester on FMS: builds the request from the stored order and the
 * resolved lines, then creates it through the exactly-once service. Missing recipient or sender
 * data is a rejection with its reason (asked again at a later slot), not a failure.
 */
export function createFmsShipmentRequester(deps: ShipmentRequestDeps): ShipmentRequester {
  return {
    async requestShipment({ link, shopNo, order, lines, items }) {
      const built = buildShipmentRequest({ order, link, lines });
      if (!built.ok) return { kind: 'rejected', reason: built.problems.map((problem) => problem.code).join(',') };
      try {
        return await requestShipmentOnce(deps, { key: { mallLinkId: link.mallLinkId, shopNo, orderId: order.orderId }, cstCd: link.cstCd, request: built.request, items });
      } catch (error) {
        throw asActivityFailure(error);
      }
    },
  };
}
