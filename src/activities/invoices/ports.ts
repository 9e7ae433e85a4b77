import type { FmsProgressStatus } from '../../domain/fms-progress.js';
import type { ItemShippingState, ShippedParcel } from '../../domain/invoice-sync.js';

/**
 * The two outside systems the invoice activities talk to, as narrow ports; the worker wires them to
 * the FMS and Cafe24 clients. Anything thrown is retried by the activity's retry policy; throw a
 * non-retryable ApplicationFailure for what a retry cannot fix.
 */

export interface FmsRequestProgress {
  ordNo: string;
  status: FmsProgressStatus;
  /** The status as FMS sent it (e.g. `3` or `DONE`). */
  rawStatus: string | null;
  /** Parcels in FMS's order; empty until FMS ships. */
  parcels: ShippedParcel[];
}

export interface FmsProgressQuery {
  cstCd: string;
  /** The requests to read: the slip FMS gave, the ordDt (YYYYMMDD) we sent, the status last seen. */
  requests: readonly { ordNo: string; slipNo: string; ordDt: string; lastStatus: FmsProgressStatus | null }[];
}

export interface FmsProgressReader {
  /** Progress of the requests FMS lists, by ordNo; requests it does not list are absent. */
  readProgress(query: FmsProgressQuery): Promise<Map<string, FmsRequestProgress>>;
}

export interface MallRef {
  mallLinkId: string;
  mallId: string;
}

/** One Cafe24 shipment to create: one tracking number for some items of one order. */
export interface ShipmentToRegister {
  orderId: string;
  orderItemCodes: string[];
  trackingNo: string;
  shippingCompanyCode: string;
}

export type ShipmentRegistrationAnswer = { ok: true; shippingCode: string | null } | { ok: false; message: string };

export interface RegisteredShipment {
  shippingCode: string;
  trackingNo: string;
  orderItemCodes: string[];
}

export interface ShipmentRegistrar {
  /**
   * At most 100 shipments of one shop in one call (status `shipping`); one answer per shipment, same
   * order, and the calls it took (more than one when a refused call is split).
   */
  register(mall: MallRef, shopNo: number, shipments: readonly ShipmentToRegister[]): Promise<{ answers: ShipmentRegistrationAnswer[]; calls: number }>;
  /** The order's shipments as Cafe24 holds them now: the word on whether a registration is there. */
  shipmentsOf(mall: MallRef, shopNo: number, orderId: string): Promise<RegisteredShipment[]>;
  /**
   * Each item of these orders with its main invoice and whether it has shipped, read with the
   * orders by id (a call per ≤100 ids of one order day), and the calls it took: tells many
   * registrations at once (registrationOnItem), where shipmentsOf reads one order per call.
   */
  itemShipping(mall: MallRef, shopNo: number, orderIds: readonly string[]): Promise<{ items: ItemShippingState[]; calls: number }>;
}

/** The Cafe24 item states of one order as Cafe24 holds them now. */
export interface OrderItemStates {
  orderId: string;
  items: { orderItemCode: string; status: string; hasOpenClaim: boolean }[];
}

export interface OrderStatusReader {
  /** The orders Cafe24 holds among these ids of one shop (an order it does not list is absent). */
  itemStates(mall: MallRef, shopNo: number, orderIds: readonly string[]): Promise<OrderItemStates[]>;
}

export type FmsCancelAnswer = { ok: true } | { ok: false; code: string; message: string };

export interface FmsRequestRef {
  ordNo: string;
  slipNo: string;
  /** The ordDt (YYYYMMDD) the request was sent with: FMS lists requests by it. */
  ordDt: string;
}

export interface FmsCanceller {
  /** Cancels one request (PATCH /api/v1/delivery/cancel/{cstCd}); FMS refuses one past ORDER. */
  cancel(cstCd: string, request: FmsRequestRef): Promise<FmsCancelAnswer>;
  /** The request's status as FMS lists it now; null when FMS does not list it. */
  statusOf(cstCd: string, request: FmsRequestRef): Promise<FmsProgressStatus | null>;
}
