import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/api/app.js';
import { uncachedApiKeyLookup } from '../../../src/api/lib/api-key-lookup.js';
import { createCafe24Connection, type Cafe24Connection } from '../../../src/clients/cafe24/connection.js';
import { createTokenCipher } from '../../../src/clients/cafe24/token-cipher.js';
import { createFmsClient, fmsClientOptions, type FmsClient } from '../../../src/clients/fms/fms-client.js';
import { temporalProbeOver } from '../../../src/clients/temporal.js';
import { findCafe24Tokens } from '../../../src/db/repositories/cafe24-tokens.js';
import { startTsChild, type ManagedChild } from '../../../src/dev/child-process.js';
import { repoRoot } from '../../../src/dev/paths.js';
import { kstDate, addDays } from '../../../src/domain/kst.js';
import { noScheduleSync } from '../../../src/schedules/schedule-sync.js';
import { decodedHistoryText } from '../../support/collection-runs.js';
import { linkableVariantCodes, testEncryptionKey } from '../../support/cafe24.js';
import { startEndToEnd, type EndToEnd } from '../../support/end-to-end.js';
import { adminScope, apiCaller, createTestApiKey, customerScope, type TestApiKey } from '../../support/mall-link-api.js';
import { readLog, until } from '../../support/wait.js';

/**
 * A full scenario — link created, app installed through the OAuth routes, orders collected into
 * FMS and their invoices synced back to Cafe24 — through the API (its log captured) and a real
 * worker process (its log file at debug level). Afterwards no token, API key or secret is in any
 * table in plaintext, and no token, key, buyer phone number or address is in any log line or in
 * any workflow history of the run.
 */
describe('no secrets or personal data at rest, in logs or in workflow histories', () => {
  const cstCd = 'SECRETS01';
  let e2e: EndToEnd;
  let worker: ManagedChild;
  let cafe24: Cafe24Connection;
  let fms: FmsClient;
  let call: ReturnType<typeof apiCaller>;
  let app: ReturnType<typeof createApp>;
  const apiLog: string[] = [];
  const logDir = mkdtempSync(path.join(tmpdir(), 'c2f-secrets-'));
  const workerLog = path.join(logDir, 'worker.log');
  let admin: TestApiKey;
  let customer: TestApiKey;

  beforeAll(async () => {
    e2e = await startEndToEnd();
    const config = { ...e2e.config, TEMPORAL_TASK_QUEUE: e2e.temporal.taskQueue, LOG_LEVEL: 'debug' as const };
    const log = pino({ level: 'debug' }, new Writable({ write: (chunk, _encoding, done) => (apiLog.push(String(chunk)), done()) }));
    cafe24 = createCafe24Connection(config, { db: e2e.database.db, log });
    fms = createFmsClient(fmsClientOptions(config));
    app = createApp({ config, db: e2e.database.db, temporal: e2e.temporal.client, temporalProbe: temporalProbeOver(e2e.temporal.client.connection), log, schedules: noScheduleSync, cafe24, fmsGoods: fms, apiKeys: uncachedApiKeyLookup(e2e.database.db) });
    call = apiCaller(app);
    admin = await createTestApiKey(e2e.database.db, adminScope);
    customer = await createTestApiKey(e2e.database.db, customerScope(cstCd));
    worker = startTsChild('worker', path.join(repoRoot, 'src/worker/main.ts'), { env: { ...e2e.workerEnv, LOG_LEVEL: 'debug' }, logFile: workerLog });
    let exited: string | null = null;
    void worker.exited.then((how) => (exited = how));
    await until(() => exited !== null || readLog(workerLog).includes('"msg":"worker started"'), 'the worker to start', 120_000);
    expect(exited, readLog(workerLog)).toBeNull();
  });

  afterAll(async () => {
    await worker?.stop(10_000);
    await cafe24?.close();
    await fms?.close();
    await e2e?.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  /** Waits until the newest run in a link's run list has finished; returns it. */
  async function finishedRun(listPath: string) {
    let run: { status: string; outcome: string | null } | undefined;
    await until(async () => {
      run = ((await (await call('GET', listPath, { key: customer })).json()) as { items: (typeof run)[] }).items[0];
      return run !== undefined && run.status !== 'running';
    }, `a run in ${listPath} to finish`, 45_000);
    return run!;
  }

  it('runs the scenario and finds none of its secrets where they must not be', async () => {
    const today = kstDate(new Date());
    const created = await call('POST', '/v1/mall-links', {
      key: customer,
      body: { mallId: `sec${Date.now().toString(36)}`, cstCd, linkStartDate: addDays(today, -2), collectionMethod: 'manual', collectionRangeDays: 3, minutesAfterPayment: 0, sender: { name: '보안상점', phone: '02-555-0199' } },
    });
    expect(created.status).toBe(201);
    const link = (await created.json()) as { id: string; mallId: string };

    // The seller installs the app: install → Cafe24 consent → our callback (the code exchange happens in the API).
    const install = await app.request(`/cafe24/install?mallLinkId=${link.id}`);
    expect(install.status).toBe(302);
    const consentPage = await (await fetch(install.headers.get('location')!)).text();
    const callback = new URL(/id="consent" href="([^"]+)"/.exec(consentPage)![1]!.replaceAll('&#38;', '&'));
    expect((await app.request(`${callback.pathname}${callback.search}`)).status).toBe(200);

    const variants = (await linkableVariantCodes(e2e.cafe24Control, link.mallId)).slice(0, 2);
    for (const [i, variantCode] of variants.entries()) {
      expect((await call('PUT', `/v1/mall-links/${link.id}/product-links/${variantCode}`, { key: customer, body: { components: [{ cstGodCd: `G00${i + 1}`, quantity: 1 }] } })).status).toBe(200);
    }
    const paidAt = new Date(Date.now() - 60 * 60_000).getTime();
    const orders = await e2e.cafe24Control.addOrders(link.mallId, [0, 1, 2].map((i) => ({ paidAt: new Date(paidAt + i * 1000).toISOString(), lines: [{ variantCode: variants[i % 2]!, quantity: 1 }] })));

    expect((await call('POST', `/v1/mall-links/${link.id}/collections`, { key: customer })).status).toBe(202);
    expect(await finishedRun(`/v1/mall-links/${link.id}/collections`)).toMatchObject({ status: 'completed' });
    const outbounds = e2e.fms.control.outbounds(cstCd);
    expect(outbounds).toHaveLength(orders.length);
    for (const outbound of outbounds) e2e.fms.control.shipNow(cstCd, outbound.slipNo);
    expect((await call('POST', `/v1/mall-links/${link.id}/invoice-syncs`, { key: customer })).status).toBe(202);
    expect(await finishedRun(`/v1/mall-links/${link.id}/invoice-syncs`)).toMatchObject({ status: 'completed' });
    expect(await e2e.cafe24Control.shipments(link.mallId)).toHaveLength(orders.length);

    // What must stay secret: the Cafe24 token pair, every API key and configured secret.
    const tokenRow = (await findCafe24Tokens(e2e.database.db, link.id))!;
    const cipher = createTokenCipher(testEncryptionKey);
    const secrets: Record<string, string> = {
      'access token': cipher.decrypt(tokenRow.access_token_enc, `${link.id}:access`),
      'refresh token': cipher.decrypt(tokenRow.refresh_token_enc, `${link.id}:refresh`),
      'admin API key': admin.plaintext,
      'customer API key': customer.plaintext,
      'FMS API key': e2e.fms.apiKey,
      'Cafe24 client secret': e2e.config.CAFE24_CLIENT_SECRET,
      'token encryption key': testEncryptionKey,
    };
    // The buyers' personal data as the simulator holds it.
    const personal: Record<string, string> = {};
    for (const order of orders) {
      const full = await e2e.cafe24Control.order(link.mallId, order.order_id);
      const receiver = full.receivers[0]!;
      for (const field of ['cellphone', 'phone', 'address1', 'address2', 'address_full'] as const) {
        if (typeof receiver[field] === 'string' && receiver[field]) personal[`${order.order_id} receiver ${field}`] = receiver[field];
      }
      if (typeof full.buyer.cellphone === 'string') personal[`${order.order_id} buyer cellphone`] = full.buyer.cellphone;
    }
    expect(Object.keys(personal).some((name) => name.includes('cellphone'))).toBe(true);
    expect(Object.keys(personal).some((name) => name.includes('address1'))).toBe(true);
    for (const [name, value] of Object.entries(secrets)) expect(value.length, name).toBeGreaterThan(8);

    // At rest: every column of every table, read raw.
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(e2e.database.db);
    expect(tables.rows.map((t) => t.table_name)).toEqual(expect.arrayContaining(['cafe24_tokens', 'api_keys']));
    for (const { table_name } of tables.rows) {
      const { rows } = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(e2e.database.db);
      const text = rows.map((r) => r.row).join('\n');
      for (const [name, value] of Object.entries(secrets)) expect(text.includes(value), `${name} in table ${table_name}`).toBe(false);
    }

    // In flight: the API's log, the worker's log and every workflow history on this test's task queue.
    const histories: string[] = [];
    for await (const execution of e2e.temporal.client.workflow.list({ query: `TaskQueue = '${e2e.temporal.taskQueue}'` })) {
      histories.push(decodedHistoryText(await e2e.temporal.client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory()));
    }
    const places = { 'API log': apiLog.join(''), 'worker log': readLog(workerLog), 'workflow histories': histories.join('\n') };
    // The scan reads real material: the logs and histories name the link and its orders.
    expect(histories.length).toBeGreaterThanOrEqual(2);
    for (const [place, text] of Object.entries(places)) {
      expect(text, place).toContain(link.id);
      for (const [name, value] of Object.entries({ ...secrets, ...personal })) expect(text.includes(value), `${name} in the ${place}`).toBe(false);
    }
  });
});
