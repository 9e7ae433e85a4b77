import type { Cafe24AdminClient, PaidOrdersPosition } from '../../clients/cafe24/admin-client.js';
import { kstDayWindow } from '../../domain/date-windows.js';
import { asActivityFailure } from '../activity-failure.js';
import type { OrderSource } from './ports.js';

/**
 * The collection's OrderSource on the Cafe24 Admin API: paid orders of one shop, in any status,
 * over the KST days that cover [from, to]. The eligibility rules sort them (wrong_status,
 * cancelled_or_claimed, outside the window): filtering by status at Cafe24 would leave orders
 * that moved on or were cancelled unaccounted for, and a held unlinked order cancelled later
 * would never leave the open list. The cursor is the client's page position as JSON, so a
 * retried fetch resumes where its heartbeat left off.
 */
export function createCafe24OrderSource(admin: Pick<Cafe24AdminClient, 'paidOrdersPage'>): OrderSource {
  return {
    async fetchPaidOrders({ mall, shopNo, from, to, cursor, limit }) {
      try {
        const page = await admin.paidOrdersPage(
          mall,
          { shopNo, window: kstDayWindow(new Date(from), new Date(to)) },
          cursor === null ? null : (JSON.parse(cursor) as PaidOrdersPosition),
          limit,
        );
        return { orders: page.orders, nextCursor: page.next ? JSON.stringify(page.next) : null };
      } catch (error) {
        throw asActivityFailure(error);
      }
    },
  };
}
