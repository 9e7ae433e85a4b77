import { z } from 'zod';
import {
  compactFmsDay,
  normalizeFmsCarrier,
  parseFmsStatus,
  rawFmsStatus,
  splitInvoiceNos,
  type FmsOutbound,
  type FmsOutboundBox,
  type FmsOutboundDetail,
} from '../../domain/fms-progress.js';
import { outboundDetailSchema, outboundSchema } from './schemas.js';

/** Delivery-list rows and the outbound detail, from FMS's shapes into the normalised domain rows. */

function toOutbound(row: z.output<typeof outboundSchema>): FmsOutbound {
  return {
    slipNo: row.slipNo,
    ordNo: row.ordNo,
    ordDt: compactFmsDay(row.ordDt),
    status: parseFmsStatus(row.wrkStat, row.wrkStatNm),
    rawStatus: rawFmsStatus(row.wrkStat, row.wrkStatNm),
    invoiceNos: splitInvoiceNos(row.invoiceNo),
    carrier: normalizeFmsCarrier(row.parcelCd, row.parcelNm),
    outDt: compactFmsDay(row.outDt),
  };
}

function toDetail(row: z.output<typeof outboundDetailSchema>): FmsOutboundDetail {
  const outbound = toOutbound(row);
  const goods = (row.godCds ?? []).map((g) => ({ cstGodCd: g.cstGodCd, ordQty: g.ordQty ?? 0, outQty: g.outQty ?? 0 }));
  const boxes: FmsOutboundBox[] = (row.boxes ?? []).flatMap((box) => {
    const carrier = normalizeFmsCarrier(box.parcelCd, box.parcelNm) ?? outbound.carrier;
    const boxGoods = (box.godCds ?? []).map((g) => ({ cstGodCd: g.cstGodCd, qty: g.outQty ?? 0 })).filter((g) => g.qty > 0);
    return splitInvoiceNos(box.invoiceNo).map((invoiceNo) => ({ boxNo: box.boxNo ?? null, invoiceNo, carrier, outDt: compactFmsDay(box.outDt) ?? outbound.outDt, goods: boxGoods }));
  });
  if (boxes.length === 0 && outbound.invoiceNos.length > 0) {
    // No box list: the row's invoice number(s) carry everything shipped so far.
    const shipped = goods.filter((g) => g.outQty > 0).map((g) => ({ cstGodCd: g.cstGodCd, qty: g.outQty }));
    for (const invoiceNo of outbound.invoiceNos) boxes.push({ boxNo: null, invoiceNo, carrier: outbound.carrier, outDt: outbound.outDt, goods: shipped });
  }
  const invoiceNos = [...new Set([...boxes.map((b) => b.invoiceNo), ...outbound.invoiceNos])];
  return { ...outbound, invoiceNos, goods, boxes };
}

/** The delivery list's `data`: rows that cannot be identified (no slipNo or ordNo) are skipped; any other oddity stays in its row. */
export const outboundListReader = z
  .array(z.unknown())
  .nullish()
  .transform((rows) =>
    (rows ?? []).flatMap((row) => {
      const parsed = outboundSchema.safeParse(row);
      return parsed.success ? [toOutbound(parsed.data)] : [];
    }),
  );

/** The outbound detail's `data`. */
export const outboundDetailReader = outboundDetailSchema.transform(toDetail);
