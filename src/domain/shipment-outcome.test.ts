import { describe, expect, it } from 'vitest';
import { shipmentWarnings, type RequestedShipment } from './shipment-outcome.js';

describe('shipmentWarnings', () => {
  const requested: RequestedShipment = { kind: 'requested', slipNo: 'S1', source: 'created', outOfStock: [], payloadChanged: false };

  it('names each out-of-stock goods code', () => {
    const outOfStock = [
      { cstGodCd: 'G001', ordQty: 2, stockQty: 0 },
      { cstGodCd: 'G002', ordQty: null, stockQty: null },
    ];
    expect(shipmentWarnings({ ...requested, outOfStock })).toEqual(['out_of_stock:G001', 'out_of_stock:G002']);
  });

  it('keeps that the request FMS holds was built from an earlier payload', () => {
    expect(shipmentWarnings({ ...requested, source: 'ledger', payloadChanged: true })).toEqual(['payload_changed']);
  });

  it('is empty for a plain request', () => {
    expect(shipmentWarnings(requested)).toEqual([]);
  });
});
