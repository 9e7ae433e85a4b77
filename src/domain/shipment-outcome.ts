/** Goods FMS is short of, as it answered the create that made the request. */
export interface OutOfStockGoods {
  cstGodCd: string;
  ordQty: number | null;
  stockQty: number | null;
}

/**
 * What became of one order's FMS shipment request (출고요청). The one description of FMS's answer:
 * the exactly-once service returns it, the collection's ShipmentRequester port passes it on, and
 * collected_orders records it.
 */
export type ShipmentOutcome =
  | {
      kind: 'requested';
      slipNo: string;
      /** created: by this call; found_in_fms: an earlier create whose answer was lost; ledger: recorded before. */
      source: 'created' | 'found_in_fms' | 'ledger';
      /** Goods FMS is short of (only known to the call that created the request). */
      outOfStock: OutOfStockGoods[];
      /** The request FMS holds was built from a different payload (the order changed since). */
      payloadChanged: boolean;
    }
  /** FMS refused the request (`{code}: {message}`), or it could not be built (the missing data's codes). */
  | { kind: 'rejected'; reason: string };

export type RequestedShipment = Extract<ShipmentOutcome, { kind: 'requested' }>;

/** The notes kept and shown with a requested shipment: goods out of stock, and a payload that changed since. */
export function shipmentWarnings(outcome: RequestedShipment): string[] {
  return [...outcome.outOfStock.map((goods) => `out_of_stock:${goods.cstGodCd}`), ...(outcome.payloadChanged ? ['payload_changed'] : [])];
}
