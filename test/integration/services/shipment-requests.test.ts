import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFmsClient, type FmsClient } from '../../../src/clients/fms/fms-client.js';
import { FmsUnavailableError } from '../../../src/clients/fms/errors.js';
import { findShipmentRequest, markShipmentCancelled } from '../../../src/db/repositories/fms-shipment-requests.js';
import type { StoredOrder } from '../../../src/domain/order.js';
import type { ShipmentOutcome } from '../../../src/domain/shipment-outcome.js';
import { shipmentOrdNo } from '../../../src/domain/shipment-key.js';
import type { ShipmentLine } from '../../../src/domain/link-resolution.js';
import { buildShipmentRequest, type FmsOutboundRequest, type ShipmentLinkSettings } from '../../../src/domain/shipment-request.js';
import { startFmsSimulator, type RunningFmsSimulator } from '../../../src/sim/fms/server.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { until } from '../../support/wait.js';
import { repoRoot } from '../../../src/dev/paths.js';
import {
  requestShipmentOnce,
  requestShipmentsOnce,
  ShipmentOutcomePendingError,
  type ShipmentBatchAnswer,
  type ShipmentRequestCommand,
  type ShipmentRequestDeps,
} from '../../../src/services/shipment-requests.js';

const cstCd = 'CST777';
const link: ShipmentLinkSettings = { mallLinkId: '6b0d6f1e-1c1a-4c55-9d1b-2f3a4b5c6d7e', invoiceDisplay: 'company', senderName: '파스토샵', senderPhone: '1588-0000' };
/** The goods each order ships, as resolveLinks would give them. */
const linesOf = (variantCode: string): ShipmentLine[] => (variantCode === 'P0000001' ? [{ cstGodCd: 'G001', quantity: 1 }] : [{ cstGodCd: 'G002', quantity: 2 }]);

function order(n: number, variantCode = n % 2 === 0 ? 'P0000001' : 'P0000002'): StoredOrder {
  const orderId = `20261130-${String(n).padStart(7, '0')}`;
  return {
    orderId,
    shopNo: 1,
    paid: true,
    canceled: 'F',
    orderedAt: '2026-11-30T01:00:00Z',
    paidAt: '2026-11-30T01:01:00Z',
    items: [
      { orderItemCode: `${orderId}-01`, variantCode, productNo: 1, productName: '상품', optionValue: null, optionType: null, quantity: 1, status: 'N10', bundle: null, hasOpenClaim: false },
    ],
    receiver: { name: `수령인${n}`, phone: null, cellphone: '010-0000-0000', zipcode: '06236', address1: '서울 강남구 테헤란로 1', address2: null, shippingMessage: null },
    buyer: { name: `주문자${n}`, phone: null, cellphone: '010-9999-9999' },
  };
}

function command(stored: StoredOrder): ShipmentRequestCommand {
  const lines = linesOf(stored.items[0]!.variantCode!);
  const built = buildShipmentRequest({ order: stored, link, lines });
  if (!built.ok) throw new Error(JSON.stringify(built.problems));
  const items = [{ orderItemCode: stored.items[0]!.orderItemCode, lines }];
  return { key: { mallLinkId: link.mallLinkId, shopNo: stored.shopNo, orderId: stored.orderId }, cstCd, request: built.request, items };
}

let database: TestDatabase;
let sim: RunningFmsSimulator;
let fms: FmsClient;
let deps: ShipmentRequestDeps;

beforeAll(async () => {
  database = await createTestDatabase();
  sim = await startFmsSimulator({ seed: 'exactly-once' });
  fms = createFmsClient({ baseUrl: sim.url, apiCd: sim.apiCd, apiKey: sim.apiKey, timeoutMs: 5_000 });
  // A short in-flight window: the simulator answers at once, so nothing arrives late here.
  deps = { db: database.db, fms, log: pino({ level: 'silent' }), inFlightWindowMs: 300 };
});
afterAll(async () => {
  await fms.close();
  await sim.stop();
  await database.drop();
});
beforeEach(async () => {
  sim.control.reset();
  await database.db.deleteFrom('fms_shipment_requests').execute();
});

/**
 * Calls for every command at once, again and again, until each has an answer other than "retry".
 * Like Temporal's retry, a round that only got "pending" waits the delay the error names before
 * the next: without it, fast rounds would spend the round budget inside one in-flight window.
 */
async function hammer(commands: ShipmentRequestCommand[], callsPerRound: number): Promise<Map<string, ShipmentOutcome[]>> {
  const outcomes = new Map<string, ShipmentOutcome[]>();
  let open = commands;
  for (let round = 0; open.length > 0; round++) {
    if (round === 50) throw new Error(`${open.length} orders still without an answer after 50 rounds`);
    const calls = open.flatMap((c) => Array.from({ length: callsPerRound }, () => c));
    const settled = await Promise.allSettled(calls.map((c) => requestShipmentOnce(deps, c)));
    let retryAfterMs = 0;
    settled.forEach((s, i) => {
      if (s.status === 'rejected') {
        if (s.reason instanceof ShipmentOutcomePendingError) retryAfterMs = Math.max(retryAfterMs, s.reason.retryAfterMs);
        else if (!(s.reason instanceof FmsUnavailableError)) throw s.reason;
        return;
      }
      const ordNo = calls[i]!.request.ordNo;
      outcomes.set(ordNo, [...(outcomes.get(ordNo) ?? []), s.value]);
    });
    open = open.filter((c) => !outcomes.has(c.request.ordNo));
    if (open.length > 0 && retryAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
  }
  return outcomes;
}

describe('requestShipmentOnce', () => {
  it.each(['reject', 'duplicate'] as const)(
    'leaves exactly one FMS request per order under concurrency, lost responses and 5xx (repeated ordNo: %s)',
    async (duplicateOrdNo) => {
      sim.control.updateSettings({ duplicateOrdNo, faults: { lostResponseRate: 0.3, serverErrorRate: 0.1 } });
      sim.control.failNext('lostResponse', 10);
      const commands = Array.from({ length: 50 }, (_, n) => command(order(n)));

      const first = await hammer(commands, 4); // 200 concurrent calls in the first round
      const second = await hammer(commands, 2); // and every order asked again afterwards

      const held = sim.control.outbounds(cstCd);
      expect(held).toHaveLength(50);
      expect(new Set(held.map((o) => o.ordNo)).size).toBe(50);
      expect(sim.control.stats().lostResponses).toBeGreaterThanOrEqual(10);
      for (const c of commands) {
        const slip = held.find((o) => o.ordNo === c.request.ordNo)!.slipNo;
        for (const outcome of [...first.get(c.request.ordNo)!, ...second.get(c.request.ordNo)!]) {
          expect(outcome).toMatchObject({ kind: 'requested', slipNo: slip });
        }
        expect(await findShipmentRequest(database.db, c.request.ordNo)).toMatchObject({ status: 'created', fms_slip_no: slip });
      }
    },
  );

  it('never creates again a request we cancelled in FMS (the buyer cancelled), even when FMS lists it cancelled', async () => {
    const c = command(order(1));
    const created = await requestShipmentOnce(deps, c);
    const slipNo = created.kind === 'requested' ? created.slipNo : '';
    await markShipmentCancelled(database.db, c.request.ordNo);
    sim.control.updateSettings({ duplicateOrdNo: 'duplicate' });

    expect(await requestShipmentOnce(deps, c)).toMatchObject({ kind: 'requested', source: 'ledger', slipNo });
    expect(sim.control.stats().createCalls).toBe(1);
    expect(await findShipmentRequest(database.db, c.request.ordNo)).toMatchObject({ status: 'created', fms_status: 'CANCEL', cancelled_at: expect.any(Date) });
  });

  it('looks the order up after a lost response instead of creating it again', async () => {
    sim.control.updateSettings({ duplicateOrdNo: 'duplicate' });
    const c = command(order(1));
    sim.control.failNext('lostResponse');
    await expect(requestShipmentOnce(deps, c)).rejects.toBeInstanceOf(FmsUnavailableError);
    expect(await findShipmentRequest(database.db, c.request.ordNo)).toMatchObject({ status: 'sending', attempts: 1 });

    const outcome = await requestShipmentOnce(deps, c);
    expect(outcome).toMatchObject({ kind: 'requested', source: 'found_in_fms', slipNo: sim.control.outbounds(cstCd)[0]!.slipNo });
    expect(sim.control.stats().createCalls).toBe(1);
    expect(await requestShipmentOnce(deps, c)).toMatchObject({ kind: 'requested', source: 'ledger', slipNo: outcome.kind === 'requested' ? outcome.slipNo : '' });
  });

  it('creates after a crash that left the ledger sending but FMS without the request, once no create can be in flight', async () => {
    const c = command(order(2));
    await requestShipmentOnce(deps, c);
    // As if a worker died between marking the row sending and reaching FMS: the row says
    // sending, FMS has nothing (reset), so the lookup finds nothing.
    sim.control.reset();
    await database.db.updateTable('fms_shipment_requests').set({ status: 'sending', fms_slip_no: null, last_sent_at: new Date() }).execute();
    // The create was sent just now and might still land: no second create yet.
    await expect(requestShipmentOnce({ ...deps, inFlightWindowMs: 3_600_000 }, c)).rejects.toBeInstanceOf(ShipmentOutcomePendingError);
    expect(sim.control.stats().createCalls).toBe(0);
    // Sent long ago: it cannot land any more, so the create goes out.
    await database.db.updateTable('fms_shipment_requests').set({ last_sent_at: new Date(Date.now() - 3_600_000) }).execute();
    expect(await requestShipmentOnce({ ...deps, inFlightWindowMs: 60_000 }, c)).toMatchObject({ kind: 'requested', source: 'created' });
    expect(sim.control.outbounds(cstCd)).toHaveLength(1);
  });

  it('waits for the create of a killed worker instead of sending a second one', async () => {
    sim.control.updateSettings({ duplicateOrdNo: 'duplicate', faults: { latencyMs: 2_000 } });
    const c = command(order(8));
    // One process (node with the tsx loader, not the tsx CLI, which would run node as a grandchild).
    const childScript = path.join(repoRoot, 'test/support/request-shipment-child.ts');
    const worker = spawn(process.execPath, ['--import', 'tsx', childScript, database.url, sim.url, sim.apiCd, sim.apiKey, JSON.stringify(c)], { stdio: 'ignore' });
    const exited = once(worker, 'exit');
    // Its create is on the wire (the ledger says sending) and sits in the simulator's latency.
    await until(async () => (await findShipmentRequest(database.db, c.request.ordNo))?.status === 'sending' && sim.control.stats().activeRequests > 0, 'the create on the wire');
    worker.kill('SIGKILL');
    await exited;
    sim.control.updateSettings({ faults: { latencyMs: 0 } });

    let outcome: ShipmentOutcome | undefined;
    let waited = 0;
    await until(async () => {
      try {
        outcome = await requestShipmentOnce({ ...deps, inFlightWindowMs: 60_000 }, c);
        return true;
      } catch (error) {
        if (!(error instanceof ShipmentOutcomePendingError)) throw error;
        waited += 1;
        return false;
      }
    }, 'the in-flight request to settle into an outcome');
    await until(() => sim.control.stats().activeRequests === 0, 'the simulator to finish every request');
    expect(waited).toBeGreaterThan(0);
    expect(outcome).toMatchObject({ kind: 'requested', source: 'found_in_fms' });
    expect(sim.control.outbounds(cstCd)).toHaveLength(1);
  });

  it('adopts the request FMS already holds when it refuses a repeated ordNo', async () => {
    const c = command(order(3));
    const [direct] = await fms.createParcelOutbounds(cstCd, [c.request]);
    expect(await requestShipmentOnce(deps, c)).toMatchObject({ kind: 'requested', source: 'found_in_fms', slipNo: direct?.ok ? direct.slipNo : '' });
    expect(sim.control.outbounds(cstCd)).toHaveLength(1);
  });

  it('reports a refusal, then creates once the goods exist', async () => {
    const c = command(order(4, 'P0000001'));
    sim.control.replaceGoods(cstCd, [{ cstGodCd: 'G002', godNm: '양말' }]);
    expect(await requestShipmentOnce(deps, c)).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/^GOODS_NOT_FOUND: /) });
    expect(await findShipmentRequest(database.db, c.request.ordNo)).toMatchObject({ status: 'rejected', last_error: expect.stringContaining('GOODS_NOT_FOUND') });

    sim.control.replaceGoods(cstCd, [{ cstGodCd: 'G001', godNm: '티셔츠', outOfStock: true }]);
    expect(await requestShipmentOnce(deps, c)).toMatchObject({ kind: 'requested', source: 'created', outOfStock: [{ cstGodCd: 'G001', ordQty: 1, stockQty: 0 }] });
    expect(sim.control.outbounds(cstCd).map((o) => o.wrkStat)).toEqual(['SHORTAGE']);
  });

  it('keeps the first request when the order changes later, and says so', async () => {
    const c = command(order(5));
    const first = await requestShipmentOnce(deps, c);
    const changed: FmsOutboundRequest = { ...c.request, custAddr: '(04524) 서울 중구 세종대로 110' };
    expect(await requestShipmentOnce(deps, { ...c, request: changed })).toEqual({ ...first, source: 'ledger', payloadChanged: true });
    expect(sim.control.outbounds(cstCd)).toHaveLength(1);
  });

  it('refuses a request built for another order', async () => {
    const c = command(order(6));
    await expect(requestShipmentOnce(deps, { ...c, key: { ...c.key, shopNo: 2 } })).rejects.toThrow(/is not the key/);
    expect(shipmentOrdNo({ ...c.key, shopNo: 2 })).not.toBe(c.request.ordNo);
  });
});

describe('requestShipmentsOnce (one FMS create call per batch)', () => {
  const batch = (from: number, count: number) => Array.from({ length: count }, (_, n) => command(order(from + n)));
  const outcomeOf = (answer: ShipmentBatchAnswer | undefined) => (answer && 'outcome' in answer ? answer.outcome : undefined);
  const slipOf = (ordNo: string) => sim.control.outbounds(cstCd).find((o) => o.ordNo === ordNo)?.slipNo;

  it('sends the batch in one call and records each element: accepted, short of stock, and a bad element refused', async () => {
    sim.control.replaceGoods(cstCd, [
      { cstGodCd: 'G001', godNm: '티셔츠' },
      { cstGodCd: 'G002', godNm: '양말', outOfStock: true },
    ]);
    const commands = batch(100, 6);
    // One element FMS refuses (no goods lines): the others still go through.
    commands[3] = { ...commands[3]!, request: { ...commands[3]!.request, godCds: [] } };

    const answers = await requestShipmentsOnce(deps, commands);

    expect(sim.control.stats().createCalls).toBe(1);
    expect(answers.map((a) => a.ordNo)).toEqual(commands.map((c) => c.request.ordNo));
    expect(outcomeOf(answers[3])).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/^INVALID_PARAM: /) });
    expect(await findShipmentRequest(database.db, commands[3]!.request.ordNo)).toMatchObject({ status: 'rejected', last_error: expect.stringContaining('INVALID_PARAM') });
    for (const [i, c] of commands.entries()) {
      if (i === 3) continue;
      const short = c.request.godCds[0]!.cstGodCd === 'G002';
      expect(outcomeOf(answers[i])).toEqual({ kind: 'requested', source: 'created', slipNo: slipOf(c.request.ordNo), payloadChanged: false, outOfStock: short ? [{ cstGodCd: 'G002', ordQty: 2, stockQty: 0 }] : [] });
      expect(await findShipmentRequest(database.db, c.request.ordNo)).toMatchObject({ status: 'created', fms_slip_no: slipOf(c.request.ordNo), attempts: 1 });
    }
    expect(sim.control.outbounds(cstCd)).toHaveLength(5);

    // Asked again: answered from the ledger for the five, the refused one is sent alone again.
    const again = await requestShipmentsOnce(deps, commands);
    expect(sim.control.stats().createCalls).toBe(2);
    expect(again.filter((a, i) => i !== 3).map((a) => outcomeOf(a)?.kind === 'requested' && outcomeOf(a))).toEqual(
      answers.filter((a, i) => i !== 3).map((a) => ({ ...outcomeOf(a), source: 'ledger', outOfStock: [] })),
    );
  });

  it.each(['reject', 'duplicate'] as const)('finds a batch whose answer was lost with one look-up, and creates none of it again (repeated ordNo: %s)', async (duplicateOrdNo) => {
    sim.control.updateSettings({ duplicateOrdNo });
    const commands = batch(200, 60);
    sim.control.failNext('lostResponse', 1, 'create');
    await expect(requestShipmentsOnce(deps, commands)).rejects.toBeInstanceOf(FmsUnavailableError);
    for (const c of commands) expect(await findShipmentRequest(database.db, c.request.ordNo)).toMatchObject({ status: 'sending', attempts: 1 });
    expect(sim.control.outbounds(cstCd)).toHaveLength(60);

    const requestsBefore = sim.control.stats().requests;
    const answers = await requestShipmentsOnce(deps, commands);
    // One delivery list of the date range; no create.
    expect(sim.control.stats().requests - requestsBefore).toBe(1);
    expect(sim.control.stats().createCalls).toBe(1);
    for (const [i, c] of commands.entries()) {
      expect(outcomeOf(answers[i])).toMatchObject({ kind: 'requested', source: 'found_in_fms', slipNo: slipOf(c.request.ordNo) });
      expect(await findShipmentRequest(database.db, c.request.ordNo)).toMatchObject({ status: 'created', fms_slip_no: slipOf(c.request.ordNo) });
    }
  });

  it.each(['lostRequest', 'serverError'] as const)('a batch FMS never stored (%s) waits out the in-flight window, then is sent once', async (fault) => {
    sim.control.updateSettings({ duplicateOrdNo: 'duplicate' });
    const commands = batch(300, 8);
    sim.control.failNext(fault, 1, 'create');
    await expect(requestShipmentsOnce(deps, commands)).rejects.toBeInstanceOf(FmsUnavailableError);
    expect(sim.control.outbounds(cstCd)).toHaveLength(0);

    // Sent just now: any of them may still land, so each answer is "pending", and nothing is sent.
    const pending = await requestShipmentsOnce({ ...deps, inFlightWindowMs: 3_600_000 }, commands);
    for (const answer of pending) expect('error' in answer && answer.error).toBeInstanceOf(ShipmentOutcomePendingError);
    expect(sim.control.stats().createCalls).toBe(0);

    await database.db.updateTable('fms_shipment_requests').set({ last_sent_at: new Date(Date.now() - 3_600_000) }).execute();
    const answers = await requestShipmentsOnce({ ...deps, inFlightWindowMs: 60_000 }, commands);
    expect(sim.control.stats().createCalls).toBe(1);
    for (const [i, c] of commands.entries()) expect(outcomeOf(answers[i])).toMatchObject({ kind: 'requested', source: 'created', slipNo: slipOf(c.request.ordNo) });
    expect(sim.control.outbounds(cstCd)).toHaveLength(8);
  });

  it('leaves exactly one FMS request per order when overlapping batches race under lost answers and 5xx', async () => {
    sim.control.updateSettings({ duplicateOrdNo: 'duplicate', faults: { lostResponseRate: 0.3, serverErrorRate: 0.1 } });
    const orders = batch(400, 120);
    // Overlapping batches of 50 (most orders are in two), all sent at once, round after round.
    const batches = [0, 25, 50, 70].map((offset) => orders.slice(offset, offset + 50));
    const answered = new Map<string, ShipmentOutcome[]>();
    for (let round = 0; answered.size < orders.length; round++) {
      if (round === 50) throw new Error(`${orders.length - answered.size} orders still without an answer after 50 rounds`);
      const settled = await Promise.allSettled(batches.map((b) => requestShipmentsOnce(deps, b)));
      let retryAfterMs = 0;
      for (const s of settled) {
        if (s.status === 'rejected') {
          if (!(s.reason instanceof FmsUnavailableError)) throw s.reason;
          continue;
        }
        for (const answer of s.value) {
          if ('outcome' in answer) answered.set(answer.ordNo, [...(answered.get(answer.ordNo) ?? []), answer.outcome]);
          else if (answer.error instanceof ShipmentOutcomePendingError) retryAfterMs = Math.max(retryAfterMs, answer.error.retryAfterMs);
          else throw answer.error;
        }
      }
      if (answered.size < orders.length && retryAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
    }
    const held = sim.control.outbounds(cstCd);
    expect(held).toHaveLength(120);
    expect(new Set(held.map((o) => o.ordNo)).size).toBe(120);
    for (const [ordNo, outcomes] of answered) for (const outcome of outcomes) expect(outcome).toMatchObject({ kind: 'requested', slipNo: slipOf(ordNo) });
  });
});
