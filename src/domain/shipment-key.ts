import { createHash } from 'node:crypto';

/**
 * The FMS `ordNo` of an order's shipment request: the one external reference FMS keeps for us,
 * so it must be deterministic (every retry, crash-restart and manual run computes the same value)
 * and unique across every mall link of one FMS customer.
 */

/**
 * Longest `ordNo` we send. FMS publishes no limit; 30 characters is the shortest limit seen in
 * Korean WMS order-number fields, so anything we send fits wherever the real limit lies.
 */
export const fmsOrdNoMaxLength = 30;

export interface ShipmentKeyParts {
  mallLinkId: string;
  shopNo: number;
  /** Cafe24 order id, e.g. `20261130-0000123`. */
  orderId: string;
}

const readableOrderId = /^[0-9A-Za-z-]+$/;

function base32Digest(text: string, length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = createHash('sha256').update(text, 'utf8').digest();
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(bytes[i] ?? 0) % 32];
  return out;
}

/**
 * `{orderId}-{shopNo}-{linkTag}` when it fits (operators find the Cafe24 order id in FMS screens),
 * else a hash of all three parts. The link tag is a 6-character digest of the link id: two links of
 * one customer can share Cafe24 order ids (they are per mall), and 30 bits separate them.
 */
export function shipmentOrdNo({ mallLinkId, shopNo, orderId }: ShipmentKeyParts): string {
  const readable = `${orderId}-${shopNo}-${base32Digest(mallLinkId, 6)}`;
  if (readableOrderId.test(orderId) && readable.length <= fmsOrdNoMaxLength) return readable;
  return `c24-${base32Digest(`${mallLinkId}\u0000${shopNo}\u0000${orderId}`, fmsOrdNoMaxLength - 4)}`;
}

/** Every ordNo shipmentOrdNo makes, and nothing else (checks ordNos that come back, e.g. in a list cursor). */
export const fmsOrdNoPattern = /^(?:[0-9A-Za-z-]+-\d+-[a-z2-7]{6}|c24-[a-z2-7]{26})$/;
