import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { requestShipmentOnce, ShipmentOutcomePendingError, type ShipmentRequestCommand } from '../src/services/shipment-requests.js';
import { createFmsClient } from '../src/clients/fms/fms-client.js';
import { FmsUnavailableError } from '../src/clients/fms/errors.js';
import { createDb } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { freePort } from '../src/dev/ports.js';
import { startEmbeddedPostgres } from '../src/dev/postgres.js';
import { shipmentOrdNo } from '../src/domain/shipment-key.js';
import type { FmsOutboundRequest } from '../src/domain/shipment-request.js';
import { startFmsSimulator } from '../src/sim/fms/server.js';

/**
 * Shipment requests per second through the exactly-once primitive: embedded PostgreSQL, the FMS
 * simulator over local HTTP, `concurrency` calls in flight, every order once, then every order
 * again (the ledger path), then a run with lost responses and 5xx (an order whose create got a
 * 5xx waits out a 1 s in-flight window before it is sent again).
 */

const orders = 2_000;
const concurrency = 32;
const cstCd = 'BENCH';
const mallLinkId = '11111111-2222-4333-8444-555555555555';

function command(n: number, run: string): ShipmentRequestCommand {
  const key = { mallLinkId, shopNo: 1, orderId: `${run}-${String(n).padStart(7, '0')}` };
  const request: FmsOutboundRequest = {
    ordDt: '20261130',
    ordNo: shipmentOrdNo(key),
    custNm: '벤치',
    custTelNo: '010-0000-0000',
    custAddr: '(06236) 서울 강남구 테헤란로 1',
    outWay: '1',
    sendNm: '파스토샵',
    sendTelNo: '1588-0000',
    salChanel: '카페24',
    godCds: [{ cstGodCd: 'G001', ordQty: 1 }],
  };
  return { key, cstCd, request, items: [{ orderItemCode: `${key.orderId}-01`, lines: [{ cstGodCd: 'G001', quantity: 1 }] }] };
}

/** Runs every command to an answer with `concurrency` workers, retrying retryable failures. */
async function drive(commands: ShipmentRequestCommand[], call: (c: ShipmentRequestCommand) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < commands.length) {
        const c = commands[next++]!;
        for (;;) {
          try {
            await call(c);
            break;
          } catch (error) {
            if (error instanceof ShipmentOutcomePendingError) await new Promise((resolve) => setTimeout(resolve, error.retryAfterMs));
            else if (!(error instanceof FmsUnavailableError)) throw error;
          }
        }
      }
    }),
  );
  return commands.length / ((performance.now() - started) / 1000);
}

export async function benchShipmentRequests(): Promise<Record<string, string>> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'c2f-bench-'));
  await chmod(workDir, 0o777);
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(workDir, 'pg'), port: await freePort(), database: 'bench', logFile: path.join(workDir, 'pg.log') });
  const db = createDb(postgres.databaseUrl, { maxConnections: concurrency + 2 });
  const sim = await startFmsSimulator({ seed: 'bench' });
  const fms = createFmsClient({ baseUrl: sim.url, apiCd: sim.apiCd, apiKey: sim.apiKey });
  // The simulator answers at once, so a create cannot land a second after it was sent.
  const deps = { db, fms, log: pino({ level: 'silent' }), inFlightWindowMs: 1_000 };
  try {
    await migrateToLatest(db);
    const clean = Array.from({ length: orders }, (_, n) => command(n, 'clean'));
    const create = await drive(clean, (c) => requestShipmentOnce(deps, c));
    const repeat = await drive(clean, (c) => requestShipmentOnce(deps, c));
    sim.control.updateSettings({ duplicateOrdNo: 'duplicate', faults: { lostResponseRate: 0.2, serverErrorRate: 0.05 } });
    const faulty = Array.from({ length: orders }, (_, n) => command(n, 'faulty'));
    const withFaults = await drive(faulty, (c) => requestShipmentOnce(deps, c));
    const held = sim.control.outbounds(cstCd).length;
    if (held !== orders * 2) throw new Error(`expected ${orders * 2} requests in FMS, found ${held}`);
    return {
      'orders per run': String(orders),
      concurrency: String(concurrency),
      'new requests/s': create.toFixed(0),
      'repeated calls/s (ledger)': repeat.toFixed(0),
      'new requests/s with 20% lost responses + 5% 5xx': withFaults.toFixed(0),
      'requests in FMS (must be 2 × orders)': String(held),
    };
  } finally {
    await fms.close();
    await sim.stop();
    await db.destroy();
    await postgres.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}
