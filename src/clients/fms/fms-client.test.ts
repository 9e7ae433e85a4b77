import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FmsOutboundRequest } from '../../domain/shipment-request.js';
import { startFmsSimulator, type RunningFmsSimulator } from '../../sim/fms/server.js';
import { FmsAuthError, FmsProtocolError, FmsRejectedError, FmsUnavailableError } from './errors.js';
import { createFmsClient, type FmsClient } from './fms-client.js';

// The client against the FMS simulator over real HTTP on a local port.

const cstCd = 'CST001';
const today = { from: '20261101', to: '20261231' };

function outbound(ordNo: string, overrides: Partial<FmsOutboundRequest> = {}): FmsOutboundRequest {
  return {
    ordDt: '20261130',
    ordNo,
    custNm: '김수령',
    custTelNo: '010-1111-2222',
    custAddr: '(06236) 서울특별시 강남구 테헤란로 1 101호',
    outWay: '1',
    sendNm: '파스토샵',
    sendTelNo: '1588-0000',
    salChanel: '카페24',
    godCds: [{ cstGodCd: 'G001', ordQty: 2 }],
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

let sim: RunningFmsSimulator;
let client: FmsClient;
let clientNow = Date.now();

beforeAll(async () => {
  sim = await startFmsSimulator({ seed: 'client-test' });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(async () => {
  sim.control.reset();
  await client?.close();
  clientNow = Date.now();
  client = createFmsClient({ baseUrl: sim.url, apiCd: sim.apiCd, apiKey: sim.apiKey, timeoutMs: 2_000, now: () => clientNow });
});

describe('FMS client: token', () => {
  it('connects once and shares the token between concurrent calls', async () => {
    const lists = await Promise.all(Array.from({ length: 10 }, () => client.listGoods(cstCd)));
    expect(lists[0]).toHaveLength(12);
    expect(lists[0]![0]).toMatchObject({ cstGodCd: 'G001', inUse: true });
    expect(lists.every((l) => JSON.stringify(l) === JSON.stringify(lists[0]))).toBe(true);
    expect(sim.control.stats().connects).toBe(1);
  });

  it('refreshes the token before it expires', async () => {
    await client.listGoods(cstCd);
    clientNow += 59 * 60_000 + 1_000; // the sim's token lives an hour; the margin is a minute
    await client.listGoods(cstCd);
    expect(sim.control.stats().connects).toBe(2);
  });

  it.each([200, 401] as const)('drops a token FMS refuses (HTTP %s, INVALID_ACCESS) and sends again', async (status) => {
    sim.control.updateSettings({ invalidTokenStatus: status });
    await client.listGoods(cstCd);
    sim.control.expireTokens();
    await expect(client.listGoods(cstCd)).resolves.toHaveLength(12);
    expect(sim.control.stats().connects).toBe(2);
  });

  it('fails with a non-retryable auth error on wrong credentials', async () => {
    const wrong = createFmsClient({ baseUrl: sim.url, apiCd: sim.apiCd, apiKey: 'wrong' });
    const error = await rejection(wrong.listGoods(cstCd));
    await wrong.close();
    expect(error).toBeInstanceOf(FmsAuthError);
    expect(error).toMatchObject({ code: 'AUTH_FAIL', retryable: false });
  });
});

describe('FMS client: envelope and errors', () => {
  it('treats a business error on HTTP 200 as an error', async () => {
    const error = await rejection(client.listOutbounds(cstCd, { from: '20261231', to: '20261101' }));
    expect(error).toBeInstanceOf(FmsRejectedError);
    expect(error).toMatchObject({ code: 'INVALID_PARAM', status: 200, retryable: false });
  });

  it('reports 5xx as retryable', async () => {
    await client.listGoods(cstCd);
    sim.control.failNext('serverError');
    const error = await rejection(client.listGoods(cstCd));
    expect(error).toBeInstanceOf(FmsUnavailableError);
    expect(error).toMatchObject({ reason: 'server_error', status: 500, retryable: true });
  });

  it('reports a timeout as retryable', async () => {
    await client.listGoods(cstCd);
    sim.control.updateSettings({ faults: { latencyMs: 5_000 } });
    const quick = createFmsClient({ baseUrl: sim.url, apiCd: sim.apiCd, apiKey: sim.apiKey, timeoutMs: 100 });
    const error = await rejection(quick.listGoods(cstCd));
    await quick.close();
    expect(error).toBeInstanceOf(FmsUnavailableError);
    expect(error).toMatchObject({ reason: 'timeout', retryable: true });
  });

  it('reports a lost response as retryable while FMS keeps the request', async () => {
    await client.listGoods(cstCd);
    sim.control.failNext('lostResponse');
    const error = await rejection(client.createParcelOutbounds(cstCd, [outbound('LOST-1')]));
    expect(error).toBeInstanceOf(FmsUnavailableError);
    expect(error).toMatchObject({ reason: 'network', retryable: true });
    const found = await client.findOutboundsByOrdNo(cstCd, 'LOST-1', today);
    expect(found).toEqual([expect.objectContaining({ ordNo: 'LOST-1', status: 'ORDER' })]);
  });
});

describe('FMS client: outbound requests', () => {
  it('returns one result per element of a batch', async () => {
    sim.control.updateGoods(cstCd, 'G002', { outOfStock: true });
    const results = await client.createParcelOutbounds(cstCd, [
      outbound('B-1'),
      outbound('B-2', { godCds: [{ cstGodCd: 'NOPE', ordQty: 1 }] }),
      outbound('B-3', { custTelNo: '' }),
      outbound('B-4', { godCds: [{ cstGodCd: 'G001', ordQty: 1 }, { cstGodCd: 'G002', ordQty: 3 }] }),
    ]);
    expect(results).toEqual([
      { ok: true, ordNo: 'B-1', slipNo: expect.stringMatching(/^FS\d{14}$/), outOfStock: [] },
      { ok: false, ordNo: 'B-2', code: 'GOODS_NOT_FOUND', message: expect.stringContaining('NOPE') },
      { ok: false, ordNo: 'B-3', code: 'INVALID_PARAM', message: expect.stringContaining('custTelNo') },
      { ok: true, ordNo: 'B-4', slipNo: expect.any(String), outOfStock: [{ cstGodCd: 'G002', ordQty: 3, stockQty: 0 }] },
    ]);
    const statuses = (await client.listOutbounds(cstCd, today)).map((o) => [o.ordNo, o.status]);
    expect(statuses).toEqual([
      ['B-1', 'ORDER'],
      ['B-4', 'SHORTAGE'],
    ]);
  });

  it('finds requests by ordNo within the date range only', async () => {
    await client.createParcelOutbounds(cstCd, [outbound('F-1'), outbound('F-2'), outbound('F-1', { ordDt: '20261001' })]);
    expect((await client.findOutboundsByOrdNo(cstCd, 'F-1', today)).map((o) => o.ordDt)).toEqual(['20261130']);
    expect(await client.findOutboundsByOrdNo(cstCd, 'F-1', { from: '20261201', to: '20261231' })).toEqual([]);
  });

  it('rejects or duplicates a repeated ordNo depending on the switch', async () => {
    const [first] = await client.createParcelOutbounds(cstCd, [outbound('D-1')]);
    expect(first).toMatchObject({ ok: true });
    const [rejected] = await client.createParcelOutbounds(cstCd, [outbound('D-1')]);
    expect(rejected).toMatchObject({ ok: false, code: 'DUPLICATE_ORDER' });
    sim.control.updateSettings({ duplicateOrdNo: 'duplicate' });
    const [duplicated] = await client.createParcelOutbounds(cstCd, [outbound('D-1')]);
    expect(duplicated).toMatchObject({ ok: true });
    expect(await client.findOutboundsByOrdNo(cstCd, 'D-1', today)).toHaveLength(2);
  });

  it('lists invoice number and carrier once shipped, partial shipments included, and cancels only unstarted requests', async () => {
    const results = await client.createParcelOutbounds(cstCd, [
      outbound('T-1'),
      outbound('T-2', { godCds: [{ cstGodCd: 'G001', ordQty: 1 }, { cstGodCd: 'G003', ordQty: 1 }] }),
      outbound('T-3'),
    ]);
    const [s1, s2, s3] = results.map((r) => (r.ok ? r.slipNo : ''));
    sim.control.advance(cstCd, s1!, 'DONE');
    sim.control.advance(cstCd, s2!, 'PARTDONE', ['G003']);
    const rows = await client.listOutbounds(cstCd, today);
    expect(rows.find((r) => r.slipNo === s1)).toMatchObject({ status: 'DONE', invoiceNos: [expect.stringMatching(/^\d{12}$/)], carrier: { key: expect.any(String), recognised: true } });
    expect(rows.find((r) => r.slipNo === s2)).toMatchObject({ status: 'PARTDONE', rawStatus: { code: '3', name: '부분출고' }, invoiceNos: [expect.stringMatching(/^\d{12}$/)] });
    expect(rows.find((r) => r.slipNo === s3)).toMatchObject({ status: 'ORDER', rawStatus: { code: '1', name: '출고요청' }, invoiceNos: [], carrier: null });

    const cancelled = await client.cancelOutbounds(cstCd, [
      { slipNo: s3!, ordNo: 'T-3' },
      { slipNo: s1!, ordNo: 'T-1' },
    ]);
    expect(cancelled).toEqual([
      { slipNo: s3, ok: true, code: '200', message: expect.any(String) },
      { slipNo: s1, ok: false, code: 'CANNOT_CANCEL', message: expect.any(String) },
    ]);
    expect((await client.findOutboundsByOrdNo(cstCd, 'T-3', today))[0]?.status).toBe('CANCEL');
  });
});

async function slipsOf(ordNos: string[], godCds?: FmsOutboundRequest['godCds']): Promise<string[]> {
  const results = await client.createParcelOutbounds(cstCd, ordNos.map((ordNo) => outbound(ordNo, godCds ? { godCds } : {})));
  return results.map((r) => (r.ok ? r.slipNo : ''));
}

describe('FMS client: progress as FASSTO answers it', () => {
  it('reads every status from wrkStat codes with wrkStatNm, and filters the list by status word', async () => {
    sim.control.updateGoods(cstCd, 'G009', { outOfStock: true });
    const [, working, done, part, cancel] = await slipsOf(['S-1', 'S-2', 'S-3', 'S-4', 'S-5'], [{ cstGodCd: 'G001', ordQty: 1 }, { cstGodCd: 'G002', ordQty: 1 }]);
    await slipsOf(['S-6'], [{ cstGodCd: 'G009', ordQty: 1 }]);
    sim.control.advance(cstCd, working!, 'WORKING');
    sim.control.shipNow(cstCd, done!);
    sim.control.shipPartially(cstCd, part!, ['G002']);
    await client.cancelOutbounds(cstCd, [{ slipNo: cancel!, ordNo: 'S-5' }]);
    const rows = await client.listOutbounds(cstCd, today);
    expect(rows.map((r) => [r.ordNo, r.status, r.rawStatus.code, r.rawStatus.name])).toEqual([
      ['S-1', 'ORDER', '1', '출고요청'],
      ['S-2', 'WORKING', '2', '출고작업중'],
      ['S-3', 'DONE', '3', '출고완료'],
      ['S-4', 'PARTDONE', '3', '부분출고'],
      ['S-5', 'CANCEL', '8', '출고요청취소'],
      ['S-6', 'SHORTAGE', '9', '재고부족'],
    ]);
    expect((await client.listOutbounds(cstCd, today, { status: 'PARTDONE' })).map((r) => r.ordNo)).toEqual(['S-4']);
    expect((await client.listOutbounds(cstCd, today, { status: 'DONE' })).map((r) => r.ordNo)).toEqual(['S-3']);

    sim.control.updateSettings({ answerForm: { status: 'word' } });
    const words = await client.listOutbounds(cstCd, today);
    expect(words.map((r) => r.status)).toEqual(['ORDER', 'WORKING', 'DONE', 'PARTDONE', 'CANCEL', 'SHORTAGE']);
    expect(words[3]!.rawStatus).toEqual({ code: 'PARTDONE', name: '부분출고' });
  });

  it('keeps a row with a status no rule reads as UNKNOWN, with its raw code, and the rest of the list', async () => {
    const [odd, fine] = await slipsOf(['U-1', 'U-2']);
    sim.control.setRawStatus(cstCd, odd!, { wrkStat: '5', wrkStatNm: '보류' });
    sim.control.shipNow(cstCd, fine!);
    const rows = await client.listOutbounds(cstCd, today);
    expect(rows).toEqual([
      expect.objectContaining({ ordNo: 'U-1', status: 'UNKNOWN', rawStatus: { code: '5', name: '보류' } }),
      expect.objectContaining({ ordNo: 'U-2', status: 'DONE' }),
    ]);
    expect(await client.findOutboundsByOrdNo(cstCd, 'U-1', today)).toEqual([expect.objectContaining({ status: 'UNKNOWN' })]);
  });

  it.each(['yyyyMMdd', 'YYYY-MM-DD'] as const)('sends date segments as %s and reads dates in either form', async (dateFormat) => {
    const dashed = createFmsClient({ baseUrl: sim.url, apiCd: sim.apiCd, apiKey: sim.apiKey, dateFormat });
    try {
      const [slip] = await slipsOf(['DT-1']);
      sim.control.shipNow(cstCd, slip!);
      for (const date of ['yyyyMMdd', 'YYYY-MM-DD'] as const) {
        sim.control.updateSettings({ answerForm: { date } });
        const rows = await dashed.listOutbounds(cstCd, { from: '2026-11-30', to: '20261130' });
        expect(rows).toEqual([expect.objectContaining({ ordNo: 'DT-1', ordDt: '20261130', outDt: expect.stringMatching(/^\d{8}$/) })]);
      }
      expect(await dashed.listOutbounds(cstCd, { from: '2026-12-01', to: '2026-12-31' })).toEqual([]);
    } finally {
      await dashed.close();
    }
  });

  it('reads carriers sent as a code, as letters or by name only, and keeps an unknown carrier by its code', async () => {
    const [slip, other] = await slipsOf(['C-1', 'C-2']);
    sim.control.setCarrier(cstCd, slip!, { code: '04', letters: 'CJ', name: 'CJ대한통운' });
    sim.control.shipNow(cstCd, slip!);
    const carrierOf = async (ordNo: string) => (await client.findOutboundsByOrdNo(cstCd, ordNo, today))[0]!.carrier;
    expect(await carrierOf('C-1')).toEqual({ code: '04', name: 'CJ대한통운', key: 'CJ', recognised: true });
    sim.control.updateSettings({ answerForm: { carrier: 'letters' } });
    expect(await carrierOf('C-1')).toEqual({ code: 'CJ', name: 'CJ대한통운', key: 'CJ', recognised: true });
    sim.control.updateSettings({ answerForm: { carrier: 'nameOnly' } });
    expect(await carrierOf('C-1')).toEqual({ code: null, name: 'CJ대한통운', key: 'CJ', recognised: true });

    sim.control.updateSettings({ answerForm: { carrier: 'code' } });
    sim.control.setCarrier(cstCd, other!, { code: '99', name: '번개택배' });
    sim.control.shipNow(cstCd, other!);
    expect(await carrierOf('C-2')).toEqual({ code: '99', name: '번개택배', key: '99', recognised: false });
  });

  it('tells from the detail which goods shipped in which box, a partial shipment completed later in a second box', async () => {
    const [slip] = await slipsOf(['PD-1'], [{ cstGodCd: 'G001', ordQty: 2 }, { cstGodCd: 'G003', ordQty: 1 }]);
    const before = await client.getOutboundDetail(cstCd, slip!);
    expect(before).toMatchObject({ status: 'ORDER', invoiceNos: [], boxes: [], goods: [{ cstGodCd: 'G001', ordQty: 2, outQty: 0 }, { cstGodCd: 'G003', ordQty: 1, outQty: 0 }] });

    sim.control.shipPartially(cstCd, slip!, ['G003']);
    const partial = await client.getOutboundDetail(cstCd, slip!);
    expect(partial).toMatchObject({
      slipNo: slip,
      ordNo: 'PD-1',
      status: 'PARTDONE',
      goods: [{ cstGodCd: 'G001', ordQty: 2, outQty: 0 }, { cstGodCd: 'G003', ordQty: 1, outQty: 1 }],
      boxes: [{ boxNo: '1', invoiceNo: expect.stringMatching(/^\d{12}$/), goods: [{ cstGodCd: 'G003', qty: 1 }], carrier: { recognised: true } }],
    });
    const firstInvoice = partial.boxes[0]!.invoiceNo;
    expect(partial.invoiceNos).toEqual([firstInvoice]);

    sim.control.shipNow(cstCd, slip!);
    const done = await client.getOutboundDetail(cstCd, slip!);
    expect(done.status).toBe('DONE');
    expect(done.boxes.map((b) => [b.invoiceNo, b.goods])).toEqual([
      [firstInvoice, [{ cstGodCd: 'G003', qty: 1 }]],
      [expect.not.stringMatching(firstInvoice), [{ cstGodCd: 'G001', qty: 2 }]],
    ]);
    expect(new Set(done.invoiceNos).size).toBe(2);
    // The list row shows only the latest box's number.
    expect((await client.findOutboundsByOrdNo(cstCd, 'PD-1', today))[0]!.invoiceNos).toEqual([done.boxes[1]!.invoiceNo]);
  });

  it('refuses the detail of an unknown slip as a business error', async () => {
    const error = await rejection(client.getOutboundDetail(cstCd, 'FS000'));
    expect(error).toBeInstanceOf(FmsRejectedError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', status: 200 });
  });

  it('reports faults injected on the list and the detail with the usual typed errors', async () => {
    const [slip] = await slipsOf(['FL-1']);
    sim.control.failNext('serverError', 1, 'list');
    expect(await rejection(client.listOutbounds(cstCd, today))).toMatchObject({ reason: 'server_error', retryable: true });
    sim.control.failNext('lostResponse', 1, 'detail');
    const lost = await rejection(client.getOutboundDetail(cstCd, slip!));
    expect(lost).toBeInstanceOf(FmsUnavailableError);
    expect(lost).toMatchObject({ reason: 'network' });
    sim.control.failNext('malformed', 1, 'list');
    expect(await rejection(client.listOutbounds(cstCd, today))).toBeInstanceOf(FmsProtocolError);
    // Forced faults are spent; the create route was never touched.
    await expect(client.listOutbounds(cstCd, today)).resolves.toHaveLength(1);
    await expect(client.getOutboundDetail(cstCd, slip!)).resolves.toMatchObject({ ordNo: 'FL-1' });
  });
});

describe('FMS simulator', () => {
  it('is controlled over HTTP without an FMS token', async () => {
    const send = (method: string, path: string, body?: unknown) =>
      fetch(`${sim.controlUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    expect((await send('PATCH', '/settings', { duplicateOrdNo: 'duplicate', faults: { latencyMs: 0 } })).status).toBe(200);
    expect((await send('PUT', `/customers/${cstCd}/goods`, [{ cstGodCd: 'ONLY', godNm: '하나', outOfStock: true }])).status).toBe(200);
    expect((await send('PATCH', '/settings', { duplicateOrdNo: 'sometimes' })).status).toBe(400);

    const [created] = await client.createParcelOutbounds(cstCd, [outbound('H-1', { godCds: [{ cstGodCd: 'ONLY', ordQty: 1 }] })]);
    expect(created).toMatchObject({ ok: true, outOfStock: [{ cstGodCd: 'ONLY' }] });
    const slipNo = created?.ok ? created.slipNo : '';
    expect((await send('POST', `/customers/${cstCd}/outbounds/${slipNo}/advance`, { to: 'DONE' })).status).toBe(200);
    const rows = (await (await send('GET', `/customers/${cstCd}/outbounds`)).json()) as { ordNo: string; wrkStat: string; body: unknown }[];
    expect(rows).toEqual([expect.objectContaining({ ordNo: 'H-1', wrkStat: 'DONE', body: expect.objectContaining({ custNm: '김수령' }) })]);

    expect((await send('PUT', `/customers/${cstCd}/outbounds/${slipNo}/carrier`, { code: '99', name: '번개택배' })).status).toBe(204);
    expect((await send('PUT', `/customers/${cstCd}/outbounds/${slipNo}/raw-status`, { wrkStat: '5', wrkStatNm: '보류' })).status).toBe(204);
    expect((await send('PUT', `/customers/${cstCd}/outbounds/NOPE/carrier`, { code: '99', name: '번개택배' })).status).toBe(404);
    expect(await client.listOutbounds(cstCd, today)).toEqual([expect.objectContaining({ status: 'UNKNOWN', carrier: expect.objectContaining({ key: '99' }) })]);
    expect((await send('POST', '/faults/next', { kind: 'malformed', count: 1 })).status).toBe(400);
    expect((await send('POST', '/faults/next', { kind: 'lostResponse', count: 1, route: 'detail' })).status).toBe(200);
    await expect(client.getOutboundDetail(cstCd, slipNo)).rejects.toBeInstanceOf(FmsUnavailableError);
    expect((await send('POST', '/faults/next', { kind: 'serverError', count: 1 })).status).toBe(200);
    await expect(client.listGoods(cstCd)).rejects.toBeInstanceOf(FmsUnavailableError);
    const state = (await (await send('GET', '/state')).json()) as { settings: { duplicateOrdNo: string }; stats: { serverErrors: number } };
    expect(state).toMatchObject({ settings: { duplicateOrdNo: 'duplicate' }, stats: { serverErrors: 1 } });
    expect((await send('POST', '/reset')).status).toBe(204);
    expect(sim.control.outbounds(cstCd)).toEqual([]);
  });


  it('moves requests on by time and is deterministic from its seed', async () => {
    let simNow = Date.parse('2026-11-30T01:00:00Z');
    const runs: unknown[] = [];
    for (let run = 0; run < 2; run++) {
      const timed = await startFmsSimulator({ seed: 'same', now: () => simNow, settings: { progress: { workingAfterMs: 60_000, doneAfterMs: 180_000 } } });
      const timedClient = createFmsClient({ baseUrl: timed.url, apiCd: timed.apiCd, apiKey: timed.apiKey });
      try {
        simNow = Date.parse('2026-11-30T01:00:00Z');
        await timedClient.createParcelOutbounds(cstCd, [outbound('P-1'), outbound('P-2')]);
        simNow += 60_000;
        const working = await timedClient.listOutbounds(cstCd, today);
        simNow += 120_000;
        const done = await timedClient.listOutbounds(cstCd, today);
        expect(working.map((r) => r.status)).toEqual(['WORKING', 'WORKING']);
        expect(done.map((r) => r.status)).toEqual(['DONE', 'DONE']);
        runs.push({ done, goods: await timedClient.listGoods(cstCd) });
      } finally {
        await timedClient.close();
        await timed.stop();
      }
    }
    expect(runs[1]).toEqual(runs[0]);
  });

  it('ships a share of requests in two boxes by time, with the same invoice numbers on every run', async () => {
    let simNow = Date.parse('2026-11-30T01:00:00Z');
    const runs: unknown[] = [];
    const godCds = [{ cstGodCd: 'G001', ordQty: 1 }, { cstGodCd: 'G002', ordQty: 1 }];
    for (let run = 0; run < 2; run++) {
      const timed = await startFmsSimulator({ seed: 'partial', now: () => simNow, settings: { progress: { workingAfterMs: 0, doneAfterMs: 60_000, partialShare: 1, restAfterMs: 120_000 } } });
      const timedClient = createFmsClient({ baseUrl: timed.url, apiCd: timed.apiCd, apiKey: timed.apiKey });
      try {
        simNow = Date.parse('2026-11-30T01:00:00Z');
        const [created] = await timedClient.createParcelOutbounds(cstCd, [outbound('TP-1', { godCds })]);
        const slipNo = created?.ok ? created.slipNo : '';
        simNow += 60_000;
        const first = await timedClient.getOutboundDetail(cstCd, slipNo);
        simNow += 120_000;
        const second = await timedClient.getOutboundDetail(cstCd, slipNo);
        expect(first).toMatchObject({ status: 'PARTDONE', boxes: [{ goods: [{ cstGodCd: 'G001', qty: 1 }] }] });
        expect(second).toMatchObject({ status: 'DONE', boxes: [{ invoiceNo: first.boxes[0]!.invoiceNo }, { goods: [{ cstGodCd: 'G002', qty: 1 }] }] });
        runs.push(second.boxes);
      } finally {
        await timedClient.close();
        await timed.stop();
      }
    }
    expect(runs[1]).toEqual(runs[0]);
  });
});
