import { z } from 'zod';

/**
 * Response shapes of the FMS open API as publicly known (../shared/reference/fassto-fms-api.md).
 * Objects strip fields we do not know instead of failing on them, so FMS may add fields freely.
 * Empty values arrive as null or are left out, hence the many `nullish()`.
 */

const text = z.string();
/** Codes arrive as strings in some responses and numbers in others. */
const code = z.union([z.string(), z.number()]).transform(String);
/** A field we read but must never fail on: text or a number as text, anything else (or nothing) as null. */
const anyText = z.unknown().optional().transform((value) => (typeof value === 'string' || typeof value === 'number' ? String(value) : null));

/** Quantities arrive as numbers or numeric strings. */
const quantity = z.union([z.number(), z.string().trim().regex(/^\d+(\.0+)?$/)]).transform(Number);
/** A quantity we only report (shortage details): anything that is not one reads as null. */
const lenientQuantity = z.unknown().optional().transform((value) => quantity.safeParse(value).data ?? null);

export const envelopeSchema = z.object({
  header: z.object({ code: code.nullish(), dataCount: anyText, msg: anyText }).nullish(),
  errorInfo: z
    .object({ errorCode: anyText, errorMessage: anyText, errorData: z.unknown() })
    .nullish(),
  data: z.unknown(),
});

export const tokenSchema = z.object({
  accessToken: text.min(1),
  /** Expiry in Korean time, as yyyyMMddHHmmss or with separators (yyyy-MM-dd HH:mm:ss): read as its 14 digits. */
  expreDatetime: code.transform((value) => value.replace(/\D/g, '')).pipe(z.string().regex(/^\d{14}$/)),
});

export const outOfStockGoodsSchema = z.object({
  cstGodCd: code,
  ordQty: lenientQuantity,
  stockQty: lenientQuantity,
});

export const createResultSchema = z.object({
  fmsSlipNo: code.nullish(),
  /** Echo of our ordNo. */
  orderNo: code.nullish(),
  code,
  msg: anyText,
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
  slipNo: code.nullish(),
  ordNo: code.nullish(),
  code,
  msg: anyText,
});

export const goodsSchema = z.object({
  cstGodCd: code,
  godCd: anyText,
  godNm: code,
  godType: anyText,
  godBarcd: anyText,
  useYn: anyText,
});
