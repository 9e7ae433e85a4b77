import type { FmsClient } from '../../clients/fms/fms-client.js';
import { groupBy } from '../../domain/grouping.js';
import type { ShippedParcel } from '../../domain/invoice-sync.js';
import { kstCompactTomorrow } from '../../domain/kst.js';
import { asActivityFailure } from '../activity-failure.js';
import type { FmsProgressReader, FmsRequestProgress } from './ports.js';

/**
 * The invoice sync's FmsProgressReader on the FMS client: one delivery list (status ALL) from the
 * oldest request's ordDt through tomorrow (KST), matched by ordNo. The list row names only the
 * latest parcel, so a partial shipment — PARTDONE, or DONE after PARTDONE or with several tracking
 * numbers — is read from the outbound detail, box by box with the goods in each.
 */
export function createFmsProgressReader(fms: Pick<FmsClient, 'listOutbounds' | 'getOutboundDetail'>, now: () => number = Date.now): FmsProgressReader {
  return {
    async readProgress({ cstCd, requests }) {
      const progress = new Map<string, FmsRequestProgress>();
      if (requests.length === 0) return progress;
      try {
        const from = requests.reduce((oldest, r) => (r.ordDt < oldest ? r.ordDt : oldest), requests[0]!.ordDt);
        const rows = await fms.listOutbounds(cstCd, { from, to: kstCompactTomorrow(now()) }, { status: 'ALL' });
        const byOrdNo = groupBy(rows, (row) => row.ordNo);
        for (const request of requests) {
          const candidates = byOrdNo.get(request.ordNo);
          if (!candidates) continue;
          // FMS may hold duplicates of one ordNo; the slip our ledger recorded is the request.
          const row = candidates.find((c) => c.slipNo === request.slipNo) ?? candidates[0]!;
          const boxed = row.status === 'PARTDONE' || (row.status === 'DONE' && (request.lastStatus === 'PARTDONE' || row.invoiceNos.length > 1));
          let parcels: ShippedParcel[];
          if (boxed) {
            const detail = await fms.getOutboundDetail(cstCd, row.slipNo);
            parcels = detail.boxes.map((box) => ({ invoiceNo: box.invoiceNo, carrier: box.carrier, goods: box.goods.map((g) => ({ cstGodCd: g.cstGodCd, quantity: g.qty })) }));
          } else {
            parcels = row.invoiceNos.map((invoiceNo) => ({ invoiceNo, carrier: row.carrier, goods: null }));
          }
          progress.set(request.ordNo, { ordNo: request.ordNo, status: row.status, rawStatus: [row.rawStatus.code, row.rawStatus.name].filter((v) => v !== null).join(' ') || null, parcels });
        }
        return progress;
      } catch (error) {
        throw asActivityFailure(error);
      }
    },
  };
}
