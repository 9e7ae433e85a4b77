import type { Cafe24AdminClient } from '../../clients/cafe24/admin-client.js';
import { asActivityFailure } from '../activity-failure.js';
import type { OrderStatusReader } from './ports.js';

/** The cancellation sweep's OrderStatusReader on the Cafe24 Admin API: orders read back by id, item states only. */
export function createCafe24OrderStatusReader(admin: Pick<Cafe24AdminClient, 'ordersById'>): OrderStatusReader {
  return {
    async itemStates(mall, shopNo, orderIds) {
      try {
        const orders = await admin.ordersById(mall, shopNo, orderIds);
        return orders.map((order) => ({
          orderId: order.orderId,
          items: order.items.map((item) => ({ orderItemCode: item.orderItemCode, status: item.status, hasOpenClaim: item.hasOpenClaim })),
        }));
      } catch (error) {
        throw asActivityFailure(error);
      }
    },
  };
}
