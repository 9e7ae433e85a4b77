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
/** A field we read but must never fail on: text or a number as text, anything else (or nothing) as null. */
const anyText = z.unknown().optional().transform((value) => (typeof value === 'string' || typeof value === 'number' ? String(value) : null));

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

/**
 * One delivery-list row. Status, carrier and dates come in several forms (codes or words, codes
 * or names, yyyyMMdd or YYYY-MM-DD): they are kept as text here and read by
 * src/domain/fms-progress.ts, so an odd value never fails the list. A row without slipNo or
 * ordNo cannot be matched to anything of ours and is skipped by the client.
 */
export const outboundSchema = z.object({
  slipNo: code.pipe(z.string().min(1)),
  ordNo: code.pipe(z.string().min(1)),
  ordDt: anyText,
  wrkStat: anyText,
  wrkStatNm: anyText,
  invoiceNo: anyText,
  parcelCd: anyText,
  parcelNm: anyText,
  outDt: anyText,
});

/** Quantities arrive as numbers or numeric strings. */
const quantity = z.union([z.number(), z.string().trim().regex(/^\d+(\.0+)?$/)]).transform(Number);

/**
 * The outbound detail by slip (GET /api/v1/delivery/detail/{cstCd}/{slipNo}). UNCONFIRMED: no
 * public client shows its body; we read the delivery-row fields plus the goods (`godCds`, ordered
 * and shipped quantities) and the boxes (`boxes`, each with its invoice number and goods). When
 * FMS sends no boxes, the row's invoice number(s) stand for one box holding every shipped goods.
 * `data` may be the object or a one-element array.
 */
export const outboundDetailSchema = z.preprocess(
  (data) => (Array.isArray(data) ? data[0] : data),
  outboundSchema.extend({
    godCds: z.array(z.object({ cstGodCd: code, ordQty: quantity.nullish(), outQty: quantity.nullish() })).nullish(),
    boxes: z
      .array(
        z.object({
          boxNo: anyText,
          invoiceNo: anyText,
          parcelCd: anyText,
          parcelNm: anyText,
          outDt: anyText,
          godCds: z.array(z.object({ cstGodCd: code, outQty: quantity.nullish() })).nullish(),
        }),
      )
      .nullish(),
  }),
);

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
