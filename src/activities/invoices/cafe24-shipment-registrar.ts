import type { Cafe24AdminClient, ShipmentRegistration, ShipmentRegistrationOutcome } from '../../clients/cafe24/admin-client.js';
import { asActivityFailure } from '../activity-failure.js';
import type { ShipmentRegistrar, ShipmentRegistrationAnswer } from './ports.js';

const answerOf = (outcome: ShipmentRegistrationOutcome): ShipmentRegistrationAnswer =>
  outcome.outcome === 'created' ? { ok: true, shippingCode: outcome.shipment.shippingCode } : { ok: false, message: `${outcome.code}: ${outcome.message}` };

/**
 * The invoice sync's ShipmentRegistrar on the Cafe24 Admin API: bulk shipments with status
 * `shipping`. When Cafe24 refuses a call of several shipments as a whole without saying which one
 * is wrong, each is sent again on its own, so one bad shipment does not sink the good ones.
 */
export function createCafe24ShipmentRegistrar(admin: Pick<Cafe24AdminClient, 'registerShipments' | 'listOrderShipments' | 'itemShippingById'>): ShipmentRegistrar {
  return {
    async register(mall, shopNo, shipments) {
      const registrations: ShipmentRegistration[] = shipments.map((s) => ({ ...s, status: 'shipping' }));
      try {
        const outcomes = await admin.registerShipments(mall, shopNo, registrations);
        let calls = 1;
        const answers: ShipmentRegistrationAnswer[] = [];
        for (const [index, outcome] of outcomes.entries()) {
          if (outcome.outcome === 'failed' && outcome.scope === 'call') {
            answers.push(answerOf((await admin.registerShipments(mall, shopNo, [registrations[index]!]))[0]!));
            calls += 1;
          } else {
            answers.push(answerOf(outcome));
          }
        }
        return { answers, calls };
      } catch (error) {
        throw asActivityFailure(error);
      }
    },

    async shipmentsOf(mall, shopNo, orderId) {
      try {
        const shipments = await admin.listOrderShipments(mall, shopNo, orderId);
        return shipments.flatMap((s) => (s.trackingNo === null ? [] : [{ shippingCode: s.shippingCode, trackingNo: s.trackingNo, orderItemCodes: s.orderItemCodes }]));
      } catch (error) {
        throw asActivityFailure(error);
      }
    },

    async itemShipping(mall, shopNo, orderIds) {
      try {
        return await admin.itemShippingById(mall, shopNo, orderIds);
      } catch (error) {
        throw asActivityFailure(error);
      }
    },
  };
}
