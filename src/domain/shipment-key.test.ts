import { describe, expect, it } from 'vitest';
import { fmsOrdNoMaxLength, fmsOrdNoPattern, shipmentOrdNo } from './shipment-key.js';

describe('fmsOrdNoPattern', () => {
  it('matches every ordNo shipmentOrdNo makes, readable or hashed', () => {
    for (const orderId of ['20261127-0000001', 'order id with spaces', '20261127-000000123456789012345']) {
      const ordNo = shipmentOrdNo({ mallLinkId: '3f2b8c1e-7a4d-4e8f-9b1a-2c3d4e5f6a7b', shopNo: 12, orderId });
      expect(ordNo.length).toBeLessThanOrEqual(fmsOrdNoMaxLength);
      expect(ordNo).toMatch(fmsOrdNoPattern);
    }
  });

  it('refuses what it cannot have made', () => {
    for (const text of ['2026-13-45', '', 'c24-short', '20261127-0000001-1-ABCDEF']) expect(text).not.toMatch(fmsOrdNoPattern);
  });
});
