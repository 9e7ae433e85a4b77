import { describe, expect, it } from 'vitest';
import type { OrderItem, StoredOrder } from './order.js';
import { fmsOrdNoMaxLength, shipmentOrdNo } from './shipment-key.js';
import {
  buildShipmentRequest,
  fmsShipReqTermMaxLength,
  shipmentPayloadHash,
  type ShipmentLinkSettings,
} from './shipment-request.js';
import { resolveLinks, type ProductLinkMap, type ShipmentLine } from './link-resolution.js';
import { summarizeOrder } from './order-summary.js';

const linkId = '3f1c2a9e-5b7d-4c1e-9a2f-0d8e6b4a1c30';

function item(overrides: Partial<OrderItem> = {}): OrderItem {
  return {
    orderItemCode: '20261130-0000123-01',
    variantCode: 'P000000A000A',
    productNo: 10,
    productName: '면 티셔츠',
    optionValue: 'L',
    optionType: 'T',
    quantity: 1,
    status: 'N10',
    bundle: null,
    hasOpenClaim: false,
    ...overrides,
  };
}

function order(overrides: Partial<StoredOrder> = {}): StoredOrder {
  return {
    orderId: '20261130-0000123',
    shopNo: 1,
    paid: true,
    canceled: 'F',
    orderedAt: '2026-11-30T16:30:00Z',
    paidAt: '2026-11-30T16:31:00Z',
    items: [item()],
    receiver: {
      name: '김수령',
      phone: '02-123-4567',
      cellphone: '010-1111-2222',
      zipcode: '06236',
      address1: '서울특별시 강남구 테헤란로 1',
      address2: '101호',
      shippingMessage: '문 앞에 놓아주세요',
    },
    buyer: { name: '이주문', phone: '031-765-4321', cellphone: '010-3333-4444' },
    ...overrides,
  };
}

const company: ShipmentLinkSettings = { mallLinkId: linkId, invoiceDisplay: 'company', senderName: '파스토샵', senderPhone: '1588-0000' };
const links: ProductLinkMap = new Map([
  ['P000000A000A', [{ cstGodCd: 'TSHIRT-L', quantity: 1 }]],
  ['P000000B000A', [{ cstGodCd: 'SOCKS', quantity: 2 }]],
  ['P000000C000A', [{ cstGodCd: 'TSHIRT-L', quantity: 1 }, { cstGodCd: 'GIFTBOX', quantity: 1 }]],
]);

const tshirt: ShipmentLine[] = [{ cstGodCd: 'TSHIRT-L', quantity: 1 }];

/** What resolveLinks makes of an order's items: the lines the builder receives in production. */
function resolvedLines(stored: StoredOrder): ShipmentLine[] {
  const [resolved] = resolveLinks([summarizeOrder(stored)], links);
  if (resolved?.kind !== 'ready') throw new Error(`expected a ready order, got ${JSON.stringify(resolved)}`);
  return resolved.lines;
}

function built(input: Parameters<typeof buildShipmentRequest>[0]) {
  const result = buildShipmentRequest(input);
  if (!result.ok) throw new Error(`expected a request, got ${JSON.stringify(result.problems)}`);
  return result.request;
}

describe('buildShipmentRequest', () => {
  it('maps recipient, KST date, deterministic ordNo, channel and the note', () => {
    const request = built({ order: order(), link: company, lines: tshirt });
    expect(request).toEqual({
      ordDt: '20261201', // 16:30 UTC on Nov 30 is 01:30 KST on Dec 1
      ordNo: shipmentOrdNo({ mallLinkId: linkId, shopNo: 1, orderId: '20261130-0000123' }),
      custNm: '김수령',
      custTelNo: '010-1111-2222',
      custAddr: '(06236) 서울특별시 강남구 테헤란로 1 101호',
      outWay: '1',
      sendNm: '파스토샵',
      sendTelNo: '1588-0000',
      salChanel: '카페24',
      shipReqTerm: '문 앞에 놓아주세요',
      godCds: [{ cstGodCd: 'TSHIRT-L', ordQty: 1 }],
    });
  });

  it('uses the buyer as sender when the invoice shows the orderer', () => {
    const request = built({ order: order(), link: { ...company, invoiceDisplay: 'orderer' }, lines: tshirt });
    expect([request.sendNm, request.sendTelNo]).toEqual(['이주문', '010-3333-4444']);
  });

  it('falls back to the landline when there is no mobile number', () => {
    const base = order();
    const request = built({ order: order({ receiver: { ...base.receiver!, cellphone: '--' } }), link: company, lines: tshirt });
    expect(request.custTelNo).toBe('02-123-4567');
  });

  it('ships the resolved lines: bundles expanded, quantities multiplied, identical goods merged', () => {
    const items = [
      item({ quantity: 2 }),
      item({
        orderItemCode: '20261130-0000123-02',
        variantCode: 'P000000Z000A',
        quantity: 3,
        bundle: { kind: 'C', components: [{ variantCode: 'P000000B000A', quantity: 2 }, { variantCode: 'P000000C000A', quantity: 1 }] },
      }),
    ];
    const request = built({ order: order({ items }), link: company, lines: resolvedLines(order({ items })) });
    // TSHIRT-L: 2 direct + 3 bundles × 1 component × 1; SOCKS: 3 × 2 × 2-pack; GIFTBOX: 3 × 1 × 1.
    expect(request.godCds).toEqual([
      { cstGodCd: 'TSHIRT-L', ordQty: 5 },
      { cstGodCd: 'SOCKS', ordQty: 12 },
      { cstGodCd: 'GIFTBOX', ordQty: 3 },
    ]);
  });

  it('collapses and trims a long courier note to the field limit', () => {
    const base = order();
    const message = `  부재시\n경비실에   맡겨주세요 ${'가'.repeat(300)}`;
    const request = built({ order: order({ receiver: { ...base.receiver!, shippingMessage: message } }), link: company, lines: tshirt });
    expect(Array.from(request.shipReqTerm!)).toHaveLength(fmsShipReqTermMaxLength);
    expect(request.shipReqTerm!.startsWith('부재시 경비실에 맡겨주세요 가')).toBe(true);
  });

  it('omits the note when the buyer left none', () => {
    const base = order();
    const request = built({ order: order({ receiver: { ...base.receiver!, shippingMessage: '   ' } }), link: company, lines: tshirt });
    expect(request).not.toHaveProperty('shipReqTerm');
  });

  it('reports missing phone and address as reasons, not exceptions', () => {
    const base = order();
    const result = buildShipmentRequest({
      order: order({ receiver: { ...base.receiver!, phone: null, cellphone: ' ', address1: null, address2: null } }),
      link: company,
      lines: tshirt,
    });
    expect(result).toEqual({ ok: false, problems: [{ code: 'missing_recipient_phone' }, { code: 'missing_address' }] });
  });

  it('reports an order without receiver, and a company sender that is not configured', () => {
    const result = buildShipmentRequest({ order: order({ receiver: null }), link: { ...company, senderPhone: null }, lines: tshirt });
    expect(result).toEqual({
      ok: false,
      problems: [
        { code: 'missing_recipient_name' },
        { code: 'missing_recipient_phone' },
        { code: 'missing_address' },
        { code: 'missing_sender', invoiceDisplay: 'company' },
      ],
    });
  });

  it('reports a request without goods', () => {
    expect(buildShipmentRequest({ order: order(), link: company, lines: [] })).toEqual({ ok: false, problems: [{ code: 'no_goods' }] });
  });

  it('hashes equal payloads equally and different payloads differently', () => {
    const a = built({ order: order(), link: company, lines: tshirt });
    const b = built({ order: order(), link: company, lines: tshirt });
    const c = built({ order: order(), link: { ...company, invoiceDisplay: 'orderer' }, lines: tshirt });
    expect(shipmentPayloadHash(a)).toBe(shipmentPayloadHash(b));
    expect(shipmentPayloadHash(a)).not.toBe(shipmentPayloadHash(c));
  });
});

describe('shipmentOrdNo', () => {
  it('is readable, deterministic and distinct per link and shop', () => {
    const key = { mallLinkId: linkId, shopNo: 1, orderId: '20261130-0000123' };
    const ordNo = shipmentOrdNo(key);
    expect(ordNo).toMatch(/^20261130-0000123-1-[a-z2-7]{6}$/);
    expect(shipmentOrdNo({ ...key })).toBe(ordNo);
    expect(shipmentOrdNo({ ...key, shopNo: 2 })).not.toBe(ordNo);
    expect(shipmentOrdNo({ ...key, mallLinkId: '00000000-0000-4000-8000-000000000000' })).not.toBe(ordNo);
  });

  it('hashes order ids that would not fit or are not plain', () => {
    const long = shipmentOrdNo({ mallLinkId: linkId, shopNo: 12, orderId: '20261130-000012345678' });
    const odd = shipmentOrdNo({ mallLinkId: linkId, shopNo: 1, orderId: '주문 1' });
    for (const ordNo of [long, odd]) {
      expect(ordNo).toMatch(/^c24-[a-z2-7]+$/);
      expect(ordNo).toHaveLength(fmsOrdNoMaxLength);
    }
    expect(long).not.toBe(odd);
  });
});
