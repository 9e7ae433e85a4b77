import type { FmsClient } from '../../clients/fms/fms-client.js';
import { kstCompactTomorrow } from '../../domain/kst.js';
import { asActivityFailure } from '../activity-failure.js';
import type { FmsCanceller } from './ports.js';

/** The cancellation sweep's FmsCanceller on the FMS client: one cancel per call, status read back from the delivery list by ordNo. */
export function createFmsCanceller(fms: Pick<FmsClient, 'cancelOutbounds' | 'findOutboundsByOrdNo'>, now: () => number = Date.now): FmsCanceller {
  return {
    async cancel(cstCd, { ordNo, slipNo }) {
      try {
        const [result] = await fms.cancelOutbounds(cstCd, [{ slipNo, ordNo }]);
        if (!result) throw new Error(`FMS answered the cancel of ${ordNo} without a result`);
        return result.ok ? { ok: true } : { ok: false, code: result.code, message: result.message };
      } catch (error) {
        throw asActivityFailure(error);
      }
    },

    async statusOf(cstCd, { ordNo, slipNo, ordDt }) {
      try {
        const rows = await fms.findOutboundsByOrdNo(cstCd, ordNo, { from: ordDt, to: kstCompactTomorrow(now()) });
        return (rows.find((row) => row.slipNo === slipNo) ?? rows[0])?.status ?? null;
      } catch (error) {
        throw asActivityFailure(error);
      }
    },
  };
}
