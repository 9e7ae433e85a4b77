import { createHash } from 'node:crypto';
import type { ShipmentLine } from './link-resolution.js';
import type { OrderParty, StoredOrder } from './order.js';
import { kstCompactDate } from './kst.js';
import { shipmentOrdNo } from './shipment-key.js';

/**
 * Turns a stored Cafe24 order into one FMS parcel outbound request (출고요청, 택배). Pure: the
 * same order, settings and links always give the same request, so its hash identifies a payload
 * across retries.
 */

/** Sales channel label FMS shows for requests from this service. */
export const fmsSalesChannel = '카페24';
/** Longest courier note we send; FMS publishes no limit, 100 characters fits a label line. */
export const fmsShipReqTermMaxLength = 100;

export interface FmsGoodsLine {
  /** The merchant's goods code registered in FMS. */
  cstGodCd: string;
  ordQty: number;
}

/** One element of the FMS parcel outbound create body. Contains personal data. */
export interface FmsOutboundRequest {
  /** Request date YYYYMMDD (KST). */
  ordDt: string;
  ordNo: string;
  custNm: string;
  custTelNo: string;
  custAddr: string;
  /** Picking rule: 1 first in, first out. */
  outWay: '1';
  sendNm: string;
  sendTelNo: string;
  salChanel: string;
  /** Courier note (배송요청사항); omitted when the buyer left none. */
  shipReqTerm?: string;
  godCds: FmsGoodsLine[];
}

/** The mall link settings the request depends on. */
export interface ShipmentLinkSettings {
  mallLinkId: string;
  invoiceDisplay: 'company' | 'orderer';
  senderName: string | null;
  senderPhone: string | null;
}

export type ShipmentRequestProblem =
  | { code: 'missing_recipient_name' }
  | { code: 'missing_recipient_phone' }
  | { code: 'missing_address' }
  | { code: 'missing_sender'; invoiceDisplay: 'company' | 'orderer' }
  | { code: 'no_goods' };

export type ShipmentRequestResult =
  | { ok: true; request: FmsOutboundRequest }
  | { ok: false; problems: ShipmentRequestProblem[] };

export interface ShipmentRequestInput {
  order: StoredOrder;
  link: ShipmentLinkSettings;
  /** The goods to ship, resolved from product links by `resolveLinks` (bundles expanded, equal goods merged). */
  lines: readonly ShipmentLine[];
}

/** Trimmed text with runs of whitespace (including line breaks) collapsed; null when empty. */
function cleanText(value: string | null | undefined): string | null {
  const cleaned = (value ?? '').replace(/\s+/g, ' ').trim();
  return cleaned === '' ? null : cleaned;
}

/** A phone number, or null when Cafe24 sent none (it sends placeholders such as `--`). */
function cleanPhone(value: string | null | undefined): string | null {
  const cleaned = cleanText(value);
  return cleaned && /\d/.test(cleaned) ? cleaned : null;
}

/** Mobile first: the courier texts it. */
function preferredPhone(party: OrderParty): string | null {
  return cleanPhone(party.cellphone) ?? cleanPhone(party.phone);
}

function truncate(text: string, maxLength: number): string {
  const chars = Array.from(text);
  return chars.length <= maxLength ? text : chars.slice(0, maxLength).join('');
}

export function buildShipmentRequest({ order, link, lines }: ShipmentRequestInput): ShipmentRequestResult {
  const problems: ShipmentRequestProblem[] = [];

  const receiver = order.receiver;
  const custNm = cleanText(receiver?.name);
  const custTelNo = receiver ? preferredPhone(receiver) : null;
  const address = cleanText([receiver?.address1, receiver?.address2].filter(Boolean).join(' '));
  const zipcode = cleanText(receiver?.zipcode);
  if (!custNm) problems.push({ code: 'missing_recipient_name' });
  if (!custTelNo) problems.push({ code: 'missing_recipient_phone' });
  if (!cleanText(receiver?.address1)) problems.push({ code: 'missing_address' });

  const sender =
    link.invoiceDisplay === 'company'
      ? { name: cleanText(link.senderName), phone: cleanPhone(link.senderPhone) }
      : { name: cleanText(order.buyer?.name), phone: order.buyer ? preferredPhone(order.buyer) : null };
  if (!sender.name || !sender.phone) problems.push({ code: 'missing_sender', invoiceDisplay: link.invoiceDisplay });

  if (lines.length === 0) problems.push({ code: 'no_goods' });

  if (problems.length > 0 || !custNm || !custTelNo || !address || !sender.name || !sender.phone) {
    return { ok: false, problems };
  }

  const note = cleanText(receiver?.shippingMessage);
  return {
    ok: true,
    request: {
      ordDt: kstCompactDate(new Date(order.orderedAt)),
      ordNo: shipmentOrdNo({ mallLinkId: link.mallLinkId, shopNo: order.shopNo, orderId: order.orderId }),
      custNm,
      custTelNo,
      custAddr: zipcode ? `(${zipcode}) ${address}` : address,
      outWay: '1',
      sendNm: sender.name,
      sendTelNo: sender.phone,
      salChanel: fmsSalesChannel,
      ...(note ? { shipReqTerm: truncate(note, fmsShipReqTermMaxLength) } : {}),
      godCds: lines.map((line) => ({ cstGodCd: line.cstGodCd, ordQty: line.quantity })),
    },
  };
}

/** Identifies a payload: the builder fixes the key order, so JSON text is canonical. */
export function shipmentPayloadHash(request: FmsOutboundRequest): string {
  return createHash('sha256').update(JSON.stringify(request), 'utf8').digest('hex');
}
