import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTsChild, type ManagedChild } from '../../src/dev/child-process.js';
import { repoRoot } from '../../src/dev/paths.js';
import { freeDevStackPorts, isListening, portsEnv } from '../../src/dev/ports.js';
import { until } from '../support/wait.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'c2f-stack-'));
const readText = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

const stackTimeoutMs = 150_000;

function startStack(env: Record<string, string>, logFile: string): ManagedChild {
  return startTsChild('npm-start', path.join(repoRoot, 'src/dev/start.ts'), { env, logFile });
}

describe('npm start (the embedded stack) in a temporary data folder', () => {
  let stack: ManagedChild | undefined;
  afterAll(async () => {
    await stack?.stop(30_000);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('comes up, writes dev credentials, collects the demo mall (requested and unlinked orders), syncs the invoices FMS produced to Cafe24 once, refuses a second start, and stops every process on SIGTERM', async () => {
    const ports = await freeDevStackPorts();
    const env = { DEV_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...portsEnv(ports) };
    const logFile = path.join(dataDir, 'start.log');
    stack = startStack(env, logFile);
    let exited: string | null = null;
    void stack.exited.then((how) => (exited = how));
    await until(() => exited !== null || readText(logFile).includes('] ready in '), 'the stack to report ready', stackTimeoutMs);
    expect(exited, readText(logFile)).toBeNull();

    const output = readText(logFile);
    expect(output).toContain(`http://localhost:${ports.API_PORT}/docs`);
    expect(output).toContain(`http://localhost:${ports.DEV_TEMPORAL_UI_PORT}`);

    const credentials = JSON.parse(readFileSync(path.join(dataDir, 'dev-credentials.json'), 'utf8'));
    expect(credentials).toMatchObject({
      apiUrl: `http://localhost:${ports.API_PORT}`,
      apiKey: expect.stringMatching(/^c2f_/),
      temporalAddress: `127.0.0.1:${ports.DEV_TEMPORAL_PORT}`,
      temporalUiUrl: `http://localhost:${ports.DEV_TEMPORAL_UI_PORT}`,
      databaseUrl: expect.stringContaining(`:${ports.DEV_POSTGRES_PORT}/`),
    });
    const ready = await fetch(`${credentials.apiUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect((await fetch(`${credentials.temporalUiUrl}/`)).status).toBe(200);

    // The demo mall is mostly linked: a manual collection right after start requests orders and holds others.
    const demoLinkId = credentials.cafe24Simulator.demoMallLinkId as string;
    const auth = { authorization: `Bearer ${credentials.apiKey}` };
    // The demo mall's catalogue was imported at start: its items are listed, the linked ones with their goods.
    const items = (await (await fetch(`${credentials.apiUrl}/v1/mall-links/${demoLinkId}/cafe24-items?limit=100`, { headers: auth })).json()) as { items: { linked: boolean; linkable: boolean }[] };
    expect(items.items.length).toBeGreaterThan(0);
    expect(items.items.some((item) => item.linked)).toBe(true);
    expect(items.items.some((item) => !item.linkable)).toBe(true);
    // Auto-match has something to show: the deliberately unlinked product's SKUs are FMS goods.
    const autoMatch = await fetch(`${credentials.apiUrl}/v1/mall-links/${demoLinkId}/product-links/auto-match`, { method: 'POST', headers: auth });
    expect(autoMatch.status).toBe(200);
    expect(((await autoMatch.json()) as { link: unknown[] }).link.length).toBeGreaterThan(0);
    type RunView = { workflowId: string; status: string; outcome: string; itemsFetched: number; counts: Record<string, number> };
    const history = async () => ((await (await fetch(`${credentials.apiUrl}/v1/mall-links/${demoLinkId}/collections`, { headers: auth })).json()) as { items: RunView[] }).items;
    // A timetable slot may start a scheduled run at the same moment: then the API answers 409 until it is done.
    let workflowId: string | undefined;
    await until(async () => {
      const started = await fetch(`${credentials.apiUrl}/v1/mall-links/${demoLinkId}/collections`, { method: 'POST', headers: auth });
      const body = (await started.json()) as { workflowId?: string; type?: string };
      if (started.status === 409 && body.type === '/problems/collection-in-progress') return false;
      expect(started.status, JSON.stringify(body)).toBe(202);
      workflowId = body.workflowId;
      return true;
    }, 'a manual collection to start');
    let run: RunView | undefined;
    await until(async () => {
      run = (await history()).find((r) => r.workflowId === workflowId);
      return run !== undefined && run.status !== 'running';
    }, 'the demo collection to finish');
    expect(run).toMatchObject({ status: 'completed', outcome: 'collected' });
    const counts = Object.entries(run!.counts);
    expect(counts.reduce((n, [, c]) => n + c, 0)).toBe(run!.itemsFetched);
    expect(counts.filter(([outcome]) => outcome.startsWith('unlinked:')).reduce((n, [, c]) => n + c, 0)).toBeGreaterThan(0);
    // Requested by this run, unless a scheduled slot run got to them first (then already_requested here).
    const requestedByAnyRun = (await history()).reduce((n, r) => n + (r.counts.requested ?? 0), 0);
    expect(requestedByAnyRun).toBeGreaterThan(0);
    expect((run!.counts.requested ?? 0) + (run!.counts.already_requested ?? 0)).toBeGreaterThan(0);

    // Invoice sync closes the loop: once FMS ships the requests, a manual sync puts each tracking number on the Cafe24 order once.
    const fmsControl = credentials.fmsControlUrl as string;
    const outbounds = (await (await fetch(`${fmsControl}/customers/DEMO01/outbounds`)).json()) as { slipNo: string; wrkStat: string }[];
    expect(outbounds.length).toBeGreaterThan(0);
    for (const outbound of outbounds.filter((o) => o.wrkStat === 'ORDER' || o.wrkStat === 'WORKING')) {
      const advanced = await fetch(`${fmsControl}/customers/DEMO01/outbounds/${outbound.slipNo}/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: 'DONE' }) });
      expect(advanced.status).toBe(200);
    }
    const shipped = (await (await fetch(`${fmsControl}/customers/DEMO01/outbounds`)).json()) as { invoiceNos: string[] }[];
    const fmsInvoiceNos = new Set(shipped.flatMap((o) => o.invoiceNos));
    type InvoiceRunView = { workflowId: string; status: string; outcome: string; requestsExamined: number; itemsSynced: number; counts: Record<string, number> };
    const invoiceRuns = async () => ((await (await fetch(`${credentials.apiUrl}/v1/mall-links/${demoLinkId}/invoice-syncs`, { headers: auth })).json()) as { items: InvoiceRunView[] }).items;
    let invoiceWorkflowId: string | undefined;
    await until(async () => {
      const started = await fetch(`${credentials.apiUrl}/v1/mall-links/${demoLinkId}/invoice-syncs`, { method: 'POST', headers: auth });
      const body = (await started.json()) as { workflowId?: string; type?: string };
      if (started.status === 409 && body.type === '/problems/invoice-sync-in-progress') return false;
      expect(started.status, JSON.stringify(body)).toBe(202);
      invoiceWorkflowId = body.workflowId;
      return true;
    }, 'a manual invoice sync to start');
    let invoiceRun: InvoiceRunView | undefined;
    await until(async () => {
      invoiceRun = (await invoiceRuns()).find((r) => r.workflowId === invoiceWorkflowId);
      return invoiceRun !== undefined && invoiceRun.status !== 'running';
    }, 'the demo invoice sync to finish');
    expect(invoiceRun).toMatchObject({ status: 'completed', outcome: 'synced' });
    expect(Object.values(invoiceRun!.counts).reduce((n, c) => n + c, 0)).toBe(invoiceRun!.requestsExamined);
    const itemsSyncedByAnyRun = (await invoiceRuns()).reduce((n, r) => n + r.itemsSynced, 0);
    expect(itemsSyncedByAnyRun).toBeGreaterThan(0);
    const cafe24Shipments = (
      (await (await fetch(`${credentials.cafe24Simulator.controlUrl}/malls/${credentials.cafe24Simulator.demoMallId}/shipments`)).json()) as {
        shipments: { tracking_no: string; order_item_code: string[] }[];
      }
    ).shipments;
    const registered = cafe24Shipments.flatMap((shipment) => shipment.order_item_code.map((item) => `${item} ${shipment.tracking_no}`));
    expect(registered.length).toBe(itemsSyncedByAnyRun);
    expect(new Set(registered).size).toBe(registered.length);
    for (const shipment of cafe24Shipments) expect(fmsInvoiceNos.has(shipment.tracking_no), shipment.tracking_no).toBe(true);

    // The metrics URLs it printed answer, with the runs above counted.
    expect(output).toContain(`http://127.0.0.1:${ports.WORKER_METRICS_PORT}/metrics`);
    expect(await (await fetch(credentials.workerMetricsUrl)).text()).toMatch(/^temporal_workflow_completed\{.*workflow_type="collectOrders"/m);
    expect(await (await fetch(credentials.apiMetricsUrl)).text()).toMatch(/^http_requests_total\{.*route="\/v1\/mall-links\/:id\/collections"/m);

    // A second start on the same data folder fails fast and names the running one.
    const secondLog = path.join(dataDir, 'second.log');
    const second = startStack(env, secondLog);
    expect(await second.exited).toBe('exit code 1');
    expect(readText(secondLog)).toMatch(/already running \(pid \d+\)/);

    await stack.stop(60_000);
    expect(await stack.exited).toBe('exit code 0');
    for (const port of Object.values(ports)) expect(await isListening(port), `port ${port} still open`).toBe(false);
    expect(readText(path.join(dataDir, 'logs', 'worker.log'))).toContain('worker drained and stopped');
  });
});
