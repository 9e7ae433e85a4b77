import { buildShipmentRequest } from '../../domain/shipment-request.js';
import { requestShipmentsOnce, type ShipmentRequestCommand, type ShipmentRequestDeps } from '../../services/shipment-requests.js';
import { asActivityFailure } from '../activity-failure.js';
import type { ShipmentAnswer, ShipmentRequester } from './ports.js';

/**
 * The collection's ShipmentRequester on FMS: builds each request from the stored order and the
 * resolved lines, then creates the batch with one call through the exactly-once service. Missing
 * recipient or sender data is a rejection with its reason (asked again at a later slot), not a
 * failure. One batch goes to one FMS customer (one link).
 */
export function createFmsShipmentRequester(deps: ShipmentRequestDeps): ShipmentRequester {
  return {
    async requestShipments(requests) {
      const answers: (ShipmentAnswer | null)[] = requests.map(() => null);
      const commands: ShipmentRequestCommand[] = [];
      const positions: number[] = [];
      requests.forEach(({ link, shopNo, order, lines, items }, i) => {
        const built = buildShipmentRequest({ order, link, lines });
        if (!built.ok) {
          answers[i] = { outcome: { kind: 'rejected', reason: built.problems.map((problem) => problem.code).join(',') } };
          return;
        }
        commands.push({ key: { mallLinkId: link.mallLinkId, shopNo, orderId: order.orderId }, cstCd: link.cstCd, request: built.request, items });
        positions.push(i);
      });
      try {
        const results = await requestShipmentsOnce(deps, commands);
        results.forEach((result, n) => {
          answers[positions[n]!] = 'error' in result ? { error: asActivityFailure(result.error) as Error } : { outcome: result.outcome };
        });
      } catch (error) {
        throw asActivityFailure(error);
      }
      return answers.map((answer) => answer!);
    },
  };
}
