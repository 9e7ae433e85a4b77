import { describe, expect, it } from 'vitest';
import { cancelResultSchema, createResultSchema, envelopeSchema, goodsSchema, tokenSchema } from './schemas.js';

describe('FMS answer schemas accept each known form and never fail on a field we only report', () => {
  it('reads an envelope whose counts and messages come as numbers, text or odd shapes', () => {
    expect(envelopeSchema.parse({ header: { code: 200, dataCount: '3', msg: null }, errorInfo: { errorCode: 500, errorMessage: 'x', errorData: {} }, data: [] })).toEqual({
      header: { code: '200', dataCount: '3', msg: null },
      errorInfo: { errorCode: '500', errorMessage: 'x', errorData: {} },
      data: [],
    });
  });

  it('reads the token expiry with or without separators', () => {
    expect(tokenSchema.parse({ accessToken: 't', expreDatetime: '20261130235959' }).expreDatetime).toBe('20261130235959');
    expect(tokenSchema.parse({ accessToken: 't', expreDatetime: '2026-11-30 23:59:59' }).expreDatetime).toBe('20261130235959');
    expect(tokenSchema.safeParse({ accessToken: 't', expreDatetime: 'tomorrow' }).success).toBe(false);
  });

  it('reads create and cancel results with numeric slips and shortage quantities as text', () => {
    expect(
      createResultSchema.parse({ fmsSlipNo: 123, orderNo: 'A-1', code: 200, msg: 7, outOfStockGoodsDetail: [{ cstGodCd: 42, ordQty: '2', stockQty: 'n/a' }] }),
    ).toEqual({ fmsSlipNo: '123', orderNo: 'A-1', code: '200', msg: '7', outOfStockGoodsDetail: [{ cstGodCd: '42', ordQty: 2, stockQty: null }] });
    expect(cancelResultSchema.parse({ slipNo: 9, ordNo: null, code: '200' })).toEqual({ slipNo: '9', ordNo: null, code: '200', msg: null });
  });

  it('reads goods whose codes are numbers and flags are odd', () => {
    expect(goodsSchema.parse({ cstGodCd: 1001, godNm: '양말', godCd: 5, useYn: true })).toEqual({ cstGodCd: '1001', godNm: '양말', godCd: '5', godType: null, godBarcd: null, useYn: null });
  });
});
