import { describe, expect, it } from 'vitest';
import {
  cafe24CarrierCode,
  cleanInvoiceNo,
  findRegisteredShipment,
  invoiceRequestOutcome,
  registrationOnItem,
  invoiceSettled,
  shippedItems,
  type ShippedParcel,
} from './invoice-sync.js';
import { normalizeFmsCarrier } from './fms-progress.js';
import type { ResolvedItem } from './link-resolution.js';

const cj = normalizeFmsCarrier('04', 'CJ대한통운');
const items: ResolvedItem[] = [
  { orderItemCode: 'o-01', lines: [{ cstGodCd: 'A', quantity: 1 }] },
  { orderItemCode: 'o-02', lines: [{ cstGodCd: 'B', quantity: 2 }] },
  // A set: ships once both of its goods have.
  { orderItemCode: 'o-03', lines: [{ cstGodCd: 'A', quantity: 1 }, { cstGodCd: 'C', quantity: 1 }] },
];
const parcel = (invoiceNo: string, goods: ShippedParcel['goods']): ShippedParcel => ({ invoiceNo, carrier: cj, goods });

describe('shippedItems', () => {
  it('ships nothing before FMS has shipped, or without a parcel', () => {
    for (const status of ['ORDER', 'WORKING', 'SHORTAGE', 'CANCEL', 'UNKNOWN'] as const) expect(shippedItems(status, items, [parcel('1', null)])).toEqual([]);
    expect(shippedItems('DONE', items, [])).toEqual([]);
  });

  it('DONE without goods lists ships every item under the first parcel', () => {
    expect(shippedItems('DONE', items, [parcel('111', null), parcel('222', null)]).map((s) => [s.orderItemCode, s.invoiceNo])).toEqual([
      ['o-01', '111'],
      ['o-02', '111'],
      ['o-03', '111'],
    ]);
  });

  it('PARTDONE ships only the items whose goods all shipped, first-come for shared goods', () => {
    const first = parcel('111', [
      { cstGodCd: 'A', quantity: 1 },
      { cstGodCd: 'C', quantity: 1 },
    ]);
    // One A: o-01 takes it, so the set o-03 (A + C) waits even though its C shipped.
    expect(shippedItems('PARTDONE', items, [first]).map((s) => s.orderItemCode)).toEqual(['o-01']);
  });

  it('an item completed by a later parcel takes that parcel’s tracking number', () => {
    const parcels = [
      parcel('111', [
        { cstGodCd: 'A', quantity: 1 },
        { cstGodCd: 'B', quantity: 1 },
      ]),
      parcel('222', [
        { cstGodCd: 'A', quantity: 1 },
        { cstGodCd: 'B', quantity: 1 },
        { cstGodCd: 'C', quantity: 1 },
      ]),
    ];
    expect(shippedItems('DONE', items, parcels).map((s) => [s.orderItemCode, s.invoiceNo])).toEqual([
      ['o-01', '111'],
      ['o-02', '222'],
      ['o-03', '222'],
    ]);
  });

  it('DONE with goods lists that miss an item ships it under the last parcel', () => {
    expect(shippedItems('DONE', items, [parcel('111', [{ cstGodCd: 'A', quantity: 1 }]), parcel('222', [])]).map((s) => [s.orderItemCode, s.invoiceNo])).toEqual([
      ['o-01', '111'],
      ['o-02', '222'],
      ['o-03', '222'],
    ]);
  });

  it('PARTDONE of items without a goods breakdown ships nothing', () => {
    expect(shippedItems('PARTDONE', [{ orderItemCode: 'o-01', lines: [] }], [parcel('111', [{ cstGodCd: 'A', quantity: 1 }])])).toEqual([]);
  });
});

describe('cafe24CarrierCode', () => {
  const mappings = [
    { fmsCarrierKey: 'CJ', cafe24ShippingCompanyCode: '0006' },
    { fmsCarrierKey: 'EPOST', cafe24ShippingCompanyCode: '0012' },
    { fmsCarrierKey: '77', cafe24ShippingCompanyCode: '0099' },
  ];
  it('maps a carrier by its normalised key, however FMS named it', () => {
    expect(cafe24CarrierCode(mappings, normalizeFmsCarrier('04', null))).toBe('0006');
    expect(cafe24CarrierCode(mappings, normalizeFmsCarrier(null, 'CJ대한통운'))).toBe('0006');
    expect(cafe24CarrierCode(mappings, normalizeFmsCarrier('CJ', null))).toBe('0006');
    expect(cafe24CarrierCode(mappings, normalizeFmsCarrier('01', '우체국택배'))).toBe('0012');
    // An unrecognised carrier is mapped on the code FMS sent.
    expect(cafe24CarrierCode(mappings, normalizeFmsCarrier('77', '새택배'))).toBe('0099');
  });
  it('is null for a carrier nobody mapped, or none at all', () => {
    expect(cafe24CarrierCode(mappings, normalizeFmsCarrier('99', '새택배'))).toBeNull();
    expect(cafe24CarrierCode(mappings, null)).toBeNull();
  });
});

describe('invoiceRequestOutcome', () => {
  const synced = { status: 'synced' as const, reason: null };
  it('names one outcome per request, a refusal or hold before progress', () => {
    expect(invoiceRequestOutcome({ status: null, listed: false, registrations: [] })).toBe('not_listed');
    expect(invoiceRequestOutcome({ status: 'CANCEL', listed: true, registrations: [] })).toBe('cancelled_in_fms');
    expect(invoiceRequestOutcome({ status: 'WORKING', listed: true, registrations: [] })).toBe('not_shipped');
    expect(invoiceRequestOutcome({ status: 'DONE', listed: true, registrations: [synced, { status: 'rejected', reason: 'cancelled' }] })).toBe('rejected');
    expect(invoiceRequestOutcome({ status: 'DONE', listed: true, registrations: [synced, { status: 'held', reason: 'unknown_carrier' }] })).toBe('held:unknown_carrier');
    expect(invoiceRequestOutcome({ status: 'DONE', listed: true, registrations: [synced, synced] })).toBe('synced');
    expect(invoiceRequestOutcome({ status: 'PARTDONE', listed: true, registrations: [synced] })).toBe('partially_synced');
    expect(invoiceRequestOutcome({ status: 'DONE', listed: true, registrations: [synced, { status: 'sending', reason: null }] })).toBe('pending');
    // Invoice registration off: shipped requests are watched, nothing is registered.
    expect(invoiceRequestOutcome({ status: 'DONE', listed: true, registrations: [], watchOnly: true })).toBe('shipped_not_registered');
    expect(invoiceRequestOutcome({ status: 'WORKING', listed: true, registrations: [], watchOnly: true })).toBe('not_shipped');
    expect(invoiceRequestOutcome({ status: 'CANCEL', listed: true, registrations: [], watchOnly: true })).toBe('cancelled_in_fms');
  });
});

describe('invoiceSettled', () => {
  it('settles a cancelled request, or a whole shipment with every item registered or refused', () => {
    expect(invoiceSettled('CANCEL', 2, [])).toBe(true);
    expect(invoiceSettled('DONE', 2, [{ status: 'synced' }, { status: 'rejected' }])).toBe(true);
    expect(invoiceSettled('DONE', 2, [{ status: 'synced' }])).toBe(false);
    expect(invoiceSettled('DONE', 1, [{ status: 'held' }])).toBe(false);
    expect(invoiceSettled('PARTDONE', 1, [{ status: 'synced' }])).toBe(false);
    // Watch-only: settled once shipped whole, with no registrations.
    expect(invoiceSettled('DONE', 2, [], true)).toBe(true);
    expect(invoiceSettled('PARTDONE', 2, [], true)).toBe(false);
  });
});

describe('tracking numbers', () => {
  it('cleans spaces and dashes, and finds a registration among the order’s shipments', () => {
    expect(cleanInvoiceNo(' 6012-3456 7890 ')).toBe('601234567890');
    expect(cleanInvoiceNo('  ')).toBeNull();
    const shipments = [{ trackingNo: '6012-3456-7890', orderItemCodes: ['o-01', 'o-02'], shippingCode: 'D-1' }];
    expect(findRegisteredShipment(shipments, { orderItemCode: 'o-02', invoiceNo: '601234567890' })).toBe('D-1');
    expect(findRegisteredShipment(shipments, { orderItemCode: 'o-03', invoiceNo: '601234567890' })).toBeNull();
  });

  it('reads a registration off an item of the order list: found, absent only before shipping without a number, else unknown', () => {
    const item = (beforeShipping: boolean, trackingNo: string | null, shippingCode: string | null = trackingNo && 'D-1') => ({ orderItemCode: 'o-01', trackingNo, shippingCode, beforeShipping });
    expect(registrationOnItem(item(false, '6012-3456-7890'), '601234567890')).toEqual({ kind: 'found', shippingCode: 'D-1' });
    // Not shipped: no number at all, with or without a shipping code (N20 has one).
    expect(registrationOnItem(item(true, null), '601234567890')).toEqual({ kind: 'absent' });
    expect(registrationOnItem(item(true, null, 'D-0'), '601234567890')).toEqual({ kind: 'absent' });
    // Shipped under another invoice (ours may be an extra one), standby under someone else's number,
    // shipped or closed without a number, our number without a shipping code, or not listed.
    expect(registrationOnItem(item(false, '999999999999'), '601234567890')).toEqual({ kind: 'unknown' });
    expect(registrationOnItem(item(true, '999999999999'), '601234567890')).toEqual({ kind: 'unknown' });
    expect(registrationOnItem(item(false, null), '601234567890')).toEqual({ kind: 'unknown' });
    expect(registrationOnItem(item(false, '601234567890', null), '601234567890')).toEqual({ kind: 'unknown' });
    expect(registrationOnItem(undefined, '601234567890')).toEqual({ kind: 'unknown' });
  });
});
