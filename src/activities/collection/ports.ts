import type { MallLinkRow } from '../../../db/schema.js';
import type { ShipmentLine } from '../../domain/link-resolution.js';
import type { StoredOrder } from '../../domain/order.js';

/**
 * The two outside systems the collection activities talk to, as narrow ports. The worker wires
 * them to the Cafe24 client (OrderSource) and to the FMS exactly-once shipment request
 * (ShipmentRequester); tests use in-memory adapters.
 *
 * Errors: anything thrown is retried by the activity's retry policy. Throw
 * `ApplicationFailure.nonRetryable` (or a type listed in the workflow's nonRetryableErrorTypes)
 * for failures a retry cannot fix.
 */

export interface PaidOrdersQuery {
  mallLink: MallLinkRow;
  shopNo: number;
  /** ISO instants: orders paid in [from, to]. */
  from: string;
  to: string;
  /** Opaque position returned by the previous page; null for the first page. */
  cursor: string | null;
  /** At most this many orders in the page. */
  limit: number;
}

export interface PaidOrdersPage {
  orders: StoredOrder[];
  /** null when there are no more pages. */
  nextCursor: string | null;
}

export interface OrderSource {
  fetchPaidOrders(query: PaidOrdersQuery): Promise<PaidOrdersPage>;
}

export interface ShipmentRequest {
  mallLink: MallLinkRow;
  shopNo: number;
  order: StoredOrder;
  /** The goods to ship: merged, quantities already multiplied out. */
  lines: ShipmentLine[];
}

export type ShipmentRequestResult =
  /** `warnings` carries FMS's non-fatal notes such as out-of-stock answers. */
  | { outcome: 'created' | 'already_requested'; slipNo: string; warnings: string[] }
  | { outcome: 'rejected'; reason: string };

/** Creates at most one FMS shipment request per (mall, shop, order), however often it is called. */
export interface ShipmentRequester {
  requestShipment(request: ShipmentRequest): Promise<ShipmentRequestResult>;
}
