import type { FmsClient, FmsOutbound } from '../clients/fms/fms-client.js';
import { FmsRejectedError } from '../clients/fms/errors.js';
import type { Db } from '../db/database.js';
import {
  markShipmentCreated,
  markShipmentRejected,
  markShipmentSending,
  recordShipmentIntent,
  withShipmentRequestLock,
} from '../db/repositories/fms-shipment-requests.js';
import type { ResolvedItem } from '../domain/link-resolution.js';
import { shipmentOrdNo, type ShipmentKeyParts } from '../domain/shipment-key.js';
import { kstCompactTomorrow } from '../domain/kst.js';
import type { ShipmentOutcome } from '../domain/shipment-outcome.js';
import { shipmentPayloadHash, type FmsOutboundRequest } from '../domain/shipment-request.js';
import type { Logger } from '../logger.js';

/**
 * Exactly one FMS shipment request per order, however often and however concurrently this runs,
 * through timeouts, lost responses and crashes:
 *
 * 1. An advisory lock on the ordNo serialises calls for the same order (any process, any worker).
 * 2. The ledger row (key, payload hash) exists before FMS is called, and is marked `sending`
 *    (committed) before each create. A crash, timeout or lost response leaves it `sending`.
 * 3. A `sending` row means a create may have landed: FMS is searched by ordNo before anything is
 *    created. So is a refused create, since FMS may refuse a repeated ordNo it already holds.
 *    A create sent less than `inFlightWindowMs` ago may still land (its sender crashed, or FMS is
 *    slow): while that is possible and FMS does not list it, the call fails retryably instead of
 *    creating.
 * 4. Only FMS's answer (accepted or refused) moves the row on; anything else is rethrown as is
 *    (retryable errors stay retryable) and the next call resumes at 3.
 *
 * The lock is held across the FMS call, so one pooled connection per order in flight is busy;
 * size the pool for the concurrency wanted. Not covered: FMS storing a request later than the
 * in-flight window after it was sent, or listing it later than it acknowledges it (nothing public
 * says either happens).
 */

export interface ShipmentRequestDeps {
  db: Db;
  fms: Pick<FmsClient, 'createParcelOutbounds' | 'findOutboundsByOrdNo' | 'timeoutMs'>;
  log: Logger;
  now?: () => number;
  /** How long after a create was sent FMS may still store it; twice the client timeout by default. */
  inFlightWindowMs?: number;
}

/** An earlier create may still land in FMS; try again after `retryAfterMs`. */
export class ShipmentOutcomePendingError extends Error {
  readonly retryable = true;
  constructor(
    readonly ordNo: string,
    readonly retryAfterMs: number,
  ) {
    super(`the last create of ${ordNo} may still reach FMS; retry in ${Math.ceil(retryAfterMs)} ms`);
    this.name = 'ShipmentOutcomePendingError';
  }
}

export interface ShipmentRequestCommand {
  key: ShipmentKeyParts;
  cstCd: string;
  /** Built by buildShipmentRequest for the same key. */
  request: FmsOutboundRequest;
  /** The order items the request ships, each with its own goods; kept on the ledger row for invoice sync. */
  items: ResolvedItem[];
}

export async function requestShipmentOnce(deps: ShipmentRequestDeps, command: ShipmentRequestCommand): Promise<ShipmentOutcome> {
  const { db, fms, log } = deps;
  const now = deps.now ?? Date.now;
  const inFlightWindowMs = deps.inFlightWindowMs ?? 2 * fms.timeoutMs;
  const { key, cstCd, request, items } = command;
  const ordNo = shipmentOrdNo(key);
  if (request.ordNo !== ordNo) throw new Error(`request ordNo ${request.ordNo} is not the key of order ${key.orderId}`);
  const payloadHash = shipmentPayloadHash(request);

  /** The request FMS already holds under our ordNo, if any (the oldest when FMS made duplicates). */
  async function findInFms(ordDt: string): Promise<FmsOutbound | undefined> {
    // From the ordDt we sent through tomorrow (KST), so a clock a little ahead of FMS's still matches.
    const found = await fms.findOutboundsByOrdNo(cstCd, ordNo, { from: ordDt, to: kstCompactTomorrow(now()) });
    if (found.length > 1) log.warn({ ordNo, cstCd, slips: found.map((f) => f.slipNo) }, 'FMS holds several requests for one ordNo; keeping the first');
    return found[0];
  }

  return withShipmentRequestLock(db, ordNo, async (conn) => {
    const row = await recordShipmentIntent(conn, {
      ordNo,
      mallLinkId: key.mallLinkId,
      shopNo: key.shopNo,
      orderId: key.orderId,
      cstCd,
      ordDt: request.ordDt,
      payloadHash,
      items,
    });
    if (row.status === 'created' && row.fms_slip_no) {
      return { kind: 'requested', slipNo: row.fms_slip_no, source: 'ledger', outOfStock: [], payloadChanged: row.payload_hash !== payloadHash };
    }
    if (row.status === 'sending') {
      const existing = await findInFms(row.ord_dt);
      if (existing) {
        await markShipmentCreated(conn, ordNo, existing.slipNo);
        log.info({ ordNo, slipNo: existing.slipNo }, 'found the shipment request of an earlier unanswered create');
        return { kind: 'requested', slipNo: existing.slipNo, source: 'found_in_fms', outOfStock: [], payloadChanged: row.payload_hash !== payloadHash };
      }
      if (row.sent_ms_ago !== null && row.sent_ms_ago < inFlightWindowMs) {
        throw new ShipmentOutcomePendingError(ordNo, inFlightWindowMs - row.sent_ms_ago);
      }
    }

    await markShipmentSending(conn, ordNo, { ordDt: request.ordDt, payloadHash, items });
    let results;
    try {
      results = await fms.createParcelOutbounds(cstCd, [request]);
    } catch (error) {
      // A refusal of the whole call stored nothing; any other failure may have (row stays sending).
      if (error instanceof FmsRejectedError) await markShipmentRejected(conn, ordNo, `${error.code}: ${error.message}`);
      throw error;
    }
    const result = results[0]!;
    if (result.ok) {
      await markShipmentCreated(conn, ordNo, result.slipNo);
      return { kind: 'requested', slipNo: result.slipNo, source: 'created', outOfStock: result.outOfStock, payloadChanged: false };
    }
    const existing = await findInFms(request.ordDt);
    if (existing) {
      await markShipmentCreated(conn, ordNo, existing.slipNo);
      log.info({ ordNo, slipNo: existing.slipNo, code: result.code }, 'FMS refused a repeated ordNo it already holds');
      return { kind: 'requested', slipNo: existing.slipNo, source: 'found_in_fms', outOfStock: [], payloadChanged: row.payload_hash !== payloadHash };
    }
    const reason = `${result.code}: ${result.message}`;
    await markShipmentRejected(conn, ordNo, reason);
    return { kind: 'rejected', reason };
  });
}
