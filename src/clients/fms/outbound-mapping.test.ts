import { describe, expect, it } from 'vitest';
import { outboundDetailReader, outboundListReader } from './outbound-mapping.js';

// What FMS may send, in each form seen in FASSTO clients, read into the normalised rows.

describe('delivery list rows', () => {
  it('reads codes with names, words, numbers as numbers, and both date forms', () => {
    const rows = outboundListReader.parse([
      { slipNo: 'FS1', ordNo: 'A', ordDt: '20261130', wrkStat: '3', wrkStatNm: '출고완료', invoiceNo: '601234567890', parcelCd: '04', parcelNm: 'CJ대한통운', outDt: '2026-12-01' },
      { slipNo: 'FS2', ordNo: 'B', ordDt: '2026-11-30', wrkStat: 'PARTDONE', invoiceNo: 601234567891, parcelCd: 'CJ', outDt: '20261201', updTime: '2026-12-01 10:00:00' },
      { slipNo: 12345, ordNo: 'C', wrkStat: 1, wrkStatNm: '출고요청', invoiceNo: null, parcelCd: null, parcelNm: null },
    ]);
    expect(rows).toEqual([
      { slipNo: 'FS1', ordNo: 'A', ordDt: '20261130', status: 'DONE', rawStatus: { code: '3', name: '출고완료' }, invoiceNos: ['601234567890'], carrier: { code: '04', name: 'CJ대한통운', key: 'CJ', recognised: true }, outDt: '20261201' },
      { slipNo: 'FS2', ordNo: 'B', ordDt: '20261130', status: 'PARTDONE', rawStatus: { code: 'PARTDONE', name: null }, invoiceNos: ['601234567891'], carrier: { code: 'CJ', name: null, key: 'CJ', recognised: true }, outDt: '20261201' },
      { slipNo: '12345', ordNo: 'C', ordDt: null, status: 'ORDER', rawStatus: { code: '1', name: '출고요청' }, invoiceNos: [], carrier: null, outDt: null },
    ]);
  });

  it('keeps a row with an unknown status and skips only rows that name no slip or order', () => {
    const rows = outboundListReader.parse([
      { slipNo: 'FS1', ordNo: 'A', wrkStat: '6', wrkStatNm: '보류' },
      { slipNo: 'FS2', wrkStat: '3' },
      { ordNo: 'C', wrkStat: '3' },
      'not a row',
      { slipNo: 'FS5', ordNo: 'E', wrkStat: { nested: true } },
      { slipNo: 'FS6', ordNo: 'F' },
    ]);
    expect(rows.map((r) => [r.slipNo, r.status, r.rawStatus.code])).toEqual([
      ['FS1', 'UNKNOWN', '6'],
      ['FS5', 'UNKNOWN', null],
      ['FS6', 'UNKNOWN', null],
    ]);
    expect(outboundListReader.parse(null)).toEqual([]);
  });
});

describe('outbound detail', () => {
  it('reads goods and boxes, quantities as strings included, from an object or a one-element array', () => {
    const body = {
      slipNo: 'FS1',
      ordNo: 'A',
      wrkStat: '3',
      wrkStatNm: '부분출고',
      invoiceNo: '601000000001',
      parcelCd: '04',
      parcelNm: 'CJ대한통운',
      godCds: [{ cstGodCd: 'G1', ordQty: '2', outQty: '0' }, { cstGodCd: 'G2', ordQty: 1, outQty: 1 }],
      boxes: [{ boxNo: 1, invoiceNo: '601000000001', outDt: '2026-12-01', godCds: [{ cstGodCd: 'G2', outQty: '1' }] }],
    };
    const expected = {
      status: 'PARTDONE',
      goods: [{ cstGodCd: 'G1', ordQty: 2, outQty: 0 }, { cstGodCd: 'G2', ordQty: 1, outQty: 1 }],
      boxes: [{ boxNo: '1', invoiceNo: '601000000001', carrier: { key: 'CJ' }, outDt: '20261201', goods: [{ cstGodCd: 'G2', qty: 1 }] }],
      invoiceNos: ['601000000001'],
    };
    expect(outboundDetailReader.parse(body)).toMatchObject(expected);
    expect(outboundDetailReader.parse([body])).toMatchObject(expected);
  });

  it('takes the row invoice numbers as boxes holding everything shipped when FMS lists no boxes', () => {
    const detail = outboundDetailReader.parse({
      slipNo: 'FS1',
      ordNo: 'A',
      wrkStat: '3',
      invoiceNo: '601000000001,601000000002',
      parcelNm: '한진택배',
      outDt: '20261201',
      godCds: [{ cstGodCd: 'G1', ordQty: 2, outQty: 2 }],
    });
    expect(detail.boxes).toEqual([
      { boxNo: null, invoiceNo: '601000000001', carrier: expect.objectContaining({ key: 'HANJIN' }), outDt: '20261201', goods: [{ cstGodCd: 'G1', qty: 2 }] },
      { boxNo: null, invoiceNo: '601000000002', carrier: expect.objectContaining({ key: 'HANJIN' }), outDt: '20261201', goods: [{ cstGodCd: 'G1', qty: 2 }] },
    ]);
    expect(detail.invoiceNos).toEqual(['601000000001', '601000000002']);
  });
});
