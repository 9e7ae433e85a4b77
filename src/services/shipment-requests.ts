import type { FmsClient, FmsOutbound } from '../clients/fms/fms-client.js';
import { FmsProtocolError, FmsRejectedError } from '../clients/fms/errors.js';
import type { Db } from '../db/database.js';
import {
  markShipmentsCreated,
  markShipmentsRejected,
  markShipmentsSending,
  recordShipmentIntents,
  withShipmentRequestLocks,
  type ShipmentLedgerEntry,
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
 * requestShipmentsOnce does this for a batch with one create call (FMS answers per element).
 * The locks are held across the FMS call, so one pooled connection per batch in flight is busy;
 * size the pool for the concurrency wanted. Not covered: FMS storing a request later than the
 * in-flight window after it was sent, or listing it later than it acknowledges it (nothing public
 * says either happens).
 */

export interface ShipmentRequestDeps {
  db: Db;
  fms: Pick<FmsClient, 'createParcelOutbounds' | 'findOutboundsByOrdNo' | 'listOutbounds' | 'timeoutMs'>;
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

/** One order's answer within a batch: its outcome, or why it has none yet (retry it as a whole call would be). */
export type ShipmentBatchAnswer = { ordNo: string; outcome: ShipmentOutcome } | { ordNo: string; error: Error };

/**
 * requestShipmentOnce for many orders of one FMS customer with one create call: the same protocol
 * per ordNo (locks, intent rows, sending before the call, a look-up before any repeat), with the
 * locks, ledger writes and look-ups done once for the batch. FMS answers each element on its own:
 * an accepted element is created, a refused one is looked up (FMS may hold it already) and else
 * rejected. A failure of the whole call (timeout, lost answer, 5xx) is thrown: every sent row stays
 * sending and the next call looks them up. Answers come back in command order; an order that may
 * still be in flight gets a ShipmentOutcomePendingError as its answer instead of an outcome.
 */
export async function requestShipmentsOnce(deps: ShipmentRequestDeps, commands: readonly ShipmentRequestCommand[]): Promise<ShipmentBatchAnswer[]> {
  const { db, fms, log } = deps;
  if (commands.length === 0) return [];
  const now = deps.now ?? Date.now;
  const inFlightWindowMs = deps.inFlightWindowMs ?? 2 * fms.timeoutMs;
  const cstCd = commands[0]!.cstCd;
  const byOrdNo = new Map<string, { command: ShipmentRequestCommand; payloadHash: string }>();
  for (const command of commands) {
    const ordNo = shipmentOrdNo(command.key);
    if (command.request.ordNo !== ordNo) throw new Error(`request ordNo ${command.request.ordNo} is not the key of order ${command.key.orderId}`);
    if (command.cstCd !== cstCd) throw new Error(`one batch goes to one FMS customer: ${command.cstCd} is not ${cstCd}`);
    if (byOrdNo.has(ordNo)) throw new Error(`order ${command.key.orderId} appears twice in one batch`);
    byOrdNo.set(ordNo, { command, payloadHash: shipmentPayloadHash(command.request) });
  }

  /** The requests FMS already holds under these ordNos (the oldest of each when FMS made duplicates). */
  async function findInFms(ordNos: readonly string[], fromOrdDt: string): Promise<Map<string, FmsOutbound>> {
    // From the ordDt we sent through tomorrow (KST), so a clock a little ahead of FMS's still matches.
    const range = { from: fromOrdDt, to: kstCompactTomorrow(now()) };
    // One order: the look-up by ordNo; several: one list of the range instead of one call each.
    const wanted = new Set(ordNos);
    const rows =
      ordNos.length === 1 ? await fms.findOutboundsByOrdNo(cstCd, ordNos[0]!, range) : (await fms.listOutbounds(cstCd, range)).filter((row) => wanted.has(row.ordNo));
    const found = new Map<string, FmsOutbound>();
    for (const row of rows) {
      const first = found.get(row.ordNo);
      if (first) log.warn({ ordNo: row.ordNo, cstCd, slips: [first.slipNo, row.slipNo] }, 'FMS holds several requests for one ordNo; keeping the first');
      else found.set(row.ordNo, row);
    }
    return found;
  }
  const earliest = (days: readonly string[]) => days.reduce((a, b) => (b < a ? b : a));

  return withShipmentRequestLocks(db, [...byOrdNo.keys()], async (conn) => {
    const answers = new Map<string, ShipmentBatchAnswer>();
    const rows = await recordShipmentIntents(
      conn,
      [...byOrdNo].map(([ordNo, { command, payloadHash }]) => ({
        ordNo,
        mallLinkId: command.key.mallLinkId,
        shopNo: command.key.shopNo,
        orderId: command.key.orderId,
        cstCd,
        ordDt: command.request.ordDt,
        payloadHash,
        items: command.items,
      })),
    );
    const changed = (row: ShipmentLedgerEntry) => row.payload_hash !== byOrdNo.get(row.ord_no)!.payloadHash;
    const unanswered = rows.filter((row) => {
      if (row.status !== 'created' || !row.fms_slip_no) return true;
      answers.set(row.ord_no, { ordNo: row.ord_no, outcome: { kind: 'requested', slipNo: row.fms_slip_no, source: 'ledger', outOfStock: [], payloadChanged: changed(row) } });
      return false;
    });

    // A sending row means a create may have landed: look before creating again.
    const sending = unanswered.filter((row) => row.status === 'sending');
    const adopted: { ordNo: string; slipNo: string }[] = [];
    if (sending.length > 0) {
      const found = await findInFms(
        sending.map((row) => row.ord_no),
        earliest(sending.map((row) => row.ord_dt)),
      );
      for (const row of sending) {
        const existing = found.get(row.ord_no);
        if (existing) {
          adopted.push({ ordNo: row.ord_no, slipNo: existing.slipNo });
          answers.set(row.ord_no, { ordNo: row.ord_no, outcome: { kind: 'requested', slipNo: existing.slipNo, source: 'found_in_fms', outOfStock: [], payloadChanged: changed(row) } });
        } else if (row.sent_ms_ago !== null && row.sent_ms_ago < inFlightWindowMs) {
          answers.set(row.ord_no, { ordNo: row.ord_no, error: new ShipmentOutcomePendingError(row.ord_no, inFlightWindowMs - row.sent_ms_ago) });
        }
      }
      await markShipmentsCreated(conn, adopted);
      if (adopted.length > 0) log.info({ cstCd, ordNos: adopted.map((a) => a.ordNo) }, 'found the shipment requests of earlier unanswered creates');
    }

    // In command order, so FMS gets them in the order the run met them.
    const toSend = [...byOrdNo.keys()].filter((ordNo) => !answers.has(ordNo)).map((ordNo) => byOrdNo.get(ordNo)!);
    if (toSend.length > 0) {
      await markShipmentsSending(
        conn,
        toSend.map(({ command, payloadHash }) => ({ ordNo: command.request.ordNo, ordDt: command.request.ordDt, payloadHash, items: command.items })),
      );
      let results;
      try {
        results = await fms.createParcelOutbounds(
          cstCd,
          toSend.map(({ command }) => command.request),
        );
      } catch (error) {
        // A refusal of the whole call stored nothing; any other failure may have (rows stay sending).
        if (error instanceof FmsRejectedError) await markShipmentsRejected(conn, toSend.map(({ command }) => ({ ordNo: command.request.ordNo, error: `${error.code}: ${error.message}` })));
        throw error;
      }
      const created: { ordNo: string; slipNo: string }[] = [];
      const refused: { ordNo: string; code: string; message: string }[] = [];
      toSend.forEach(({ command }, i) => {
        const ordNo = command.request.ordNo;
        const result = results[i]!;
        if (result.ordNo !== ordNo) throw new FmsProtocolError(`FMS answered element ${i} with ordNo ${result.ordNo}, sent ${ordNo}`);
        if (result.ok) {
          created.push({ ordNo, slipNo: result.slipNo });
          answers.set(ordNo, { ordNo, outcome: { kind: 'requested', slipNo: result.slipNo, source: 'created', outOfStock: result.outOfStock, payloadChanged: false } });
        } else {
          refused.push({ ordNo, code: result.code, message: result.message });
        }
      });
      await markShipmentsCreated(conn, created);
      if (refused.length > 0) {
        // FMS may refuse a repeated ordNo it already holds.
        const found = await findInFms(
          refused.map((r) => r.ordNo),
          earliest(refused.map((r) => byOrdNo.get(r.ordNo)!.command.request.ordDt)),
        );
        const held: { ordNo: string; slipNo: string }[] = [];
        const rejected: { ordNo: string; error: string }[] = [];
        for (const r of refused) {
          const existing = found.get(r.ordNo);
          if (existing) {
            held.push({ ordNo: r.ordNo, slipNo: existing.slipNo });
            log.info({ ordNo: r.ordNo, slipNo: existing.slipNo, code: r.code }, 'FMS refused a repeated ordNo it already holds');
            const row = rows.find((x) => x.ord_no === r.ordNo)!;
            answers.set(r.ordNo, { ordNo: r.ordNo, outcome: { kind: 'requested', slipNo: existing.slipNo, source: 'found_in_fms', outOfStock: [], payloadChanged: changed(row) } });
          } else {
            const reason = `${r.code}: ${r.message}`;
            rejected.push({ ordNo: r.ordNo, error: reason });
            answers.set(r.ordNo, { ordNo: r.ordNo, outcome: { kind: 'rejected', reason } });
          }
        }
        await markShipmentsCreated(conn, held);
        await markShipmentsRejected(conn, rejected);
      }
    }
    return [...byOrdNo.keys()].map((ordNo) => answers.get(ordNo)!);
  });
}

/** requestShipmentsOnce for one order: its outcome, or its error thrown. */
export async function requestShipmentOnce(deps: ShipmentRequestDeps, command: ShipmentRequestCommand): Promise<ShipmentOutcome> {
  const [answer] = await requestShipmentsOnce(deps, [command]);
  if ('error' in answer!) throw answer.error;
  return answer!.outcome;
}
