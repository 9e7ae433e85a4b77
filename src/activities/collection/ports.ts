import type { ResolvedItem, ShipmentLine } from '../../domain/link-resolution.js';
import type { StoredOrder } from '../../domain/order.js';
import type { ShipmentOutcome } from '../../domain/shipment-outcome.js';
import type { ShipmentLinkSettings } from '../../domain/shipment-request.js';

/**
 * The two outside systems the collection activities talk to, as narrow ports. The worker wires
 * them to the Cafe24 client (OrderSource) and to the FMS exactly-once shipment request
 * (ShipmentRequester); tests use in-memory adapters.
 *
 * Errors: anything thrown is retried by the activity's retry policy. Throw
 * `ApplicationFailure.nonRetryable` (or a type listed in the workflow's nonRetryableErrorTypes)
 * for failures a retry cannot fix.
 */

/** The mall orders come from: our link and its Cafe24 mall id. */
export interface OrderSourceMall {
  mallLinkId: string;
  mallId: string;
}

export interface PaidOrdersQuery {
  mall: OrderSourceMall;
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

/** The link settings a shipment request depends on, with the FMS customer it is made for. */
export interface ShipmentLink extends ShipmentLinkSettings {
  cstCd: string;
}

export interface ShipmentRequest {
  link: ShipmentLink;
  shopNo: number;
  order: StoredOrder;
  /** The goods to ship: merged, quantities already multiplied out. */
  lines: ShipmentLine[];
  /** The order items the request ships, each with its own goods (kept with the request for invoice sync). */
  items: ResolvedItem[];
}

/** One order's answer: its outcome, or the error that leaves it open (a retry asks again). */
export type ShipmentAnswer = { outcome: ShipmentOutcome } | { error: Error };

/**
 * Creates at most one FMS shipment request per (mall, shop, order), however often it is called.
 * One call sends the whole batch to FMS at once (callers size it); answers come in request order.
 * A failure of the whole call is thrown; a failure of one order is its answer.
 */
export interface ShipmentRequester {
  requestShipments(requests: readonly ShipmentRequest[]): Promise<ShipmentAnswer[]>;
}
