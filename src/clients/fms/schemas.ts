import { z } from 'zod';

/**
 * Response shapes of the FMS open API as publicly known (../shared/reference/fassto-fms-api.md).
 * Objects strip fields we do not know instead of failing on them, so FMS may add fields freely.
 * Empty values arrive as null or are left out, hence the many `nullish()`.
 */

const text = z.string();
const optionalText = z.string().nullish();
/** Codes arrive as strings in some responses and numbers in others. */
const code = z.union([z.string(), z.number()]).transform(String);

export const envelopeSchema = z.object({
  header: z.object({ code: code.nullish(), dataCount: z.number().nullish(), msg: optionalText }).nullish(),
  errorInfo: z
    .object({ errorCode: optionalText, errorMessage: optionalText, errorData: z.array(z.unknown()).nullish() })
    .nullish(),
  data: z.unknown(),
});

export const tokenSchema = z.object({
  accessToken: text.min(1),
  /** Expiry, yyyyMMddHHmmss in Korean time. */
  expreDatetime: text.regex(/^\d{14}$/),
});

export const outboundStatuses = ['ORDER', 'WORKING', 'DONE', 'PARTDONE', 'CANCEL', 'SHORTAGE'] as const;
export type FmsOutboundStatus = (typeof outboundStatuses)[number];

export const outOfStockGoodsSchema = z.object({
  cstGodCd: text,
  ordQty: z.number().nullish(),
  stockQty: z.number().nullish(),
});

export const createResultSchema = z.object({
  fmsSlipNo: optionalText,
  /** Echo of our ordNo. */
  orderNo: optionalText,
  code,
  msg: optionalText,
  outOfStockGoodsDetail: z.array(outOfStockGoodsSchema).nullish(),
});

export const outboundSchema = z.object({
  slipNo: text,
  ordNo: text,
  ordDt: optionalText,
  wrkStat: z.enum(outboundStatuses),
  wrkStatNm: optionalText,
  invoiceNo: optionalText,
  parcelCd: optionalText,
  parcelNm: optionalText,
  outDt: optionalText,
});

export const cancelResultSchema = z.object({
  slipNo: optionalText,
  ordNo: optionalText,
  code,
  msg: optionalText,
});

export const goodsSchema = z.object({
  cstGodCd: text,
  godCd: optionalText,
  godNm: text,
  godType: optionalText,
  godBarcd: optionalText,
  useYn: optionalText,
});
