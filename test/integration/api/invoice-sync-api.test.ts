import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FmsCanceller, FmsProgressReader, FmsRequestProgress, OrderStatusReader, RegisteredShipment, ShipmentRegistrar, ShipmentToRegister } from '../../../src/activities/invoices/ports.js';
import { upsertCollectedOrders } from '../../../src/db/repositories/collected-orders.js';
import { markShipmentCreated, recordFmsProgress, recordShipmentIntent } from '../../../src/db/repositories/fms-shipment-requests.js';
import { markInvoicesSynced, planInvoiceRegistrations } from '../../../src/db/repositories/invoice-registrations.js';
import { normalizeFmsCarrier } from '../../../src/domain/fms-progress.js';
import { newRegistrationHold } from '../../../src/domain/invoice-sync.js';
import { ordNoOf } from '../../support/end-to-end.js';
import type { SyncInvoicesResult } from '../../../src/temporal/invoices.js';
import { manualInvoiceSyncWorkflowId, syncInvoicesWorkflowIdPrefix, workflowTypes } from '../../../src/temporal/names.js';
import { MallIdKey, TriggerKey } from '../../../src/temporal/search-attributes.js';
import type { MallLinkRow } from '../../../db/schema.js';
import { createTestApp, json } from '../../support/api.js';
import { startCollectionWorker } from '../../support/collection-runs.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { InMemoryOrderSource, InMemoryShipmentRequester } from '../../support/in-memory-collection-ports.js';
import { adminScope, apiCaller, createTestApiKey, customerScope, type TestApiKey } from '../../support/mall-link-api.js';
import { insertTestMallLink } from '../../support/mall-link-fixtures.js';
import { storedItem, storedOrder } from '../../support/stored-orders.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';
import { until } from '../../support/wait.js';

const cj = normalizeFmsCarrier('04', 'CJ대한통운');

/** FMS progress as the test sets it; a read can be held to keep a run in progress. */
class ScriptedFmsProgress implements FmsProgressReader {
  status: 'WORKING' | 'DONE' = 'WORKING';
  reads = 0;
  private gate: Promise<void> = Promise.resolve();

  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise((resolve) => (release = resolve));
    return release;
  }

  async readProgress(query: Parameters<FmsProgressReader['readProgress']>[0]): Promise<Map<string, FmsRequestProgress>> {
    this.reads += 1;
    await this.gate;
    const parcels = this.status === 'DONE' ? [{ invoiceNo: '612345678901', carrier: cj, goods: null }] : [];
    return new Map(query.requests.map((r) => [r.ordNo, { ordNo: r.ordNo, status: this.status, rawStatus: this.status === 'DONE' ? '3' : '2', parcels }]));
  }
}

/** Cafe24's shipments of the test, as the registrar was asked to create them. */
class RecordingRegistrar implements ShipmentRegistrar {
  readonly shipments: (ShipmentToRegister & { shippingCode: string })[] = [];

  async register(_mall: unknown, _shopNo: number, shipments: readonly ShipmentToRegister[]) {
    const answers = shipments.map((s) => {
      const shippingCode = `SHIP-${this.shipments.length + 1}`;
      this.shipments.push({ ...s, shippingCode });
      return { ok: true as const, shippingCode };
    });
    return { answers, calls: 1 };
  }

  async shipmentsOf(_mall: unknown, _shopNo: number, orderId: string): Promise<RegisteredShipment[]> {
    return this.shipments.filter((s) => s.orderId === orderId).map((s) => ({ shippingCode: s.shippingCode, trackingNo: s.trackingNo, orderItemCodes: s.orderItemCodes }));
  }

  /** Every item of a registered shipment as shipped under it; the test's other items are not listed. */
  async itemShipping(_mall: unknown, _shopNo: number, orderIds: readonly string[]) {
    const items = this.shipments
      .filter((s) => orderIds.includes(s.orderId))
      .flatMap((s) => s.orderItemCodes.map((orderItemCode) => ({ orderItemCode, trackingNo: s.trackingNo, shippingCode: s.shippingCode, beforeShipping: false })));
    return { items, calls: 1 };
  }
}

/** A collected order with an FMS request that FMS accepted (slip given), as collection leaves it. */
async function requestedOrder(db: TestDatabase['db'], link: MallLinkRow, orderId: string, itemCount: number) {
  const items = Array.from({ length: itemCount }, (_, i) => storedItem(orderId, i + 1));
  await upsertCollectedOrders(db, link.id, [storedOrder(orderId, '2026-11-30T01:00:00.000Z', items)]);
  const ordNo = ordNoOf(link, orderId);
  await recordShipmentIntent(db, {
    ordNo,
    mallLinkId: link.id,
    shopNo: 1,
    orderId,
    cstCd: link.cst_cd,
    ordDt: '20261130',
    payloadHash: 'test',
    items: items.map((item) => ({ orderItemCode: item.orderItemCode, lines: [{ cstGodCd: 'G-1', quantity: 1 }] })),
  });
  await markShipmentCreated(db, ordNo, `SLIP-${orderId}`);
  return { ordNo, itemCodes: items.map((item) => item.orderItemCode) };
}

/** Cancellations are not this file's subject: Cafe24 lists none of the orders, so the sweep leaves every request alone. */
const noCancelledOrders: OrderStatusReader = { itemStates: () => Promise.resolve([]) };
const noCancels: FmsCanceller = {
  cancel: () => Promise.reject(new Error('no cancel expected')),
  statusOf: () => Promise.reject(new Error('no status read expected')),
};

describe('invoice sync API: manual runs, run history, link status, order detail', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let worker: { stop(): Promise<void> };
  let call: ReturnType<typeof apiCaller>;
  let admin: TestApiKey;
  let otherCustomer: TestApiKey;
  let link: MallLinkRow;
  const fms = new ScriptedFmsProgress();
  const registrar = new RecordingRegistrar();

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    worker = await startCollectionWorker({
      db: database.db,
      temporal,
      orderSource: new InMemoryOrderSource(),
      shipmentRequester: new InMemoryShipmentRequester(),
      invoices: { fmsProgress: fms, registrar, orderStatus: noCancelledOrders, canceller: noCancels },
    });
    call = apiCaller(createTestApp({ db: database.db, temporal: temporal.client, env: { TEMPORAL_TASK_QUEUE: temporal.taskQueue, TEMPORAL_UI_URL: 'http://ui.test' } }));
    admin = await createTestApiKey(database.db, adminScope);
    otherCustomer = await createTestApiKey(database.db, customerScope('CST999'));
    link = await insertTestMallLink(database.db, { link_start_date: '2026-01-01', invoice_sync_enabled: true });
  });

  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
    await database?.drop();
  });

  it('documents the invoice sync routes with their status codes', async () => {
    const spec = await json(await call('GET', '/openapi.json'));
    const runs = spec.paths['/v1/mall-links/{id}/invoice-syncs'];
    expect(Object.keys(runs).sort()).toEqual(['get', 'post']);
    expect(Object.keys(runs.post.responses).sort()).toEqual(['202', '401', '404', '409', '422']);
    expect(Object.keys(runs.get.responses).sort()).toEqual(['200', '401', '404', '422']);
    expect(spec.components.schemas.MallLinkStatus.properties.lastInvoiceSync).toBeDefined();
    expect(spec.components.schemas.OrderTrail.properties).toHaveProperty('fmsProgress');
  });

  it('answers the status with lastInvoiceSync null before the first run', async () => {
    const status = await json(await call('GET', `/v1/mall-links/${link.id}/status`, { key: admin }));
    expect(status.lastInvoiceSync).toBeNull();
  });

  it('refuses a manual run (409) while a scheduled run syncs the mall, and names that run', async () => {
    const { ordNo } = await requestedOrder(database.db, link, 'INV-1', 2);
    const release = fms.hold();
    const readsBefore = fms.reads;
    const scheduled = await temporal.client.workflow.start(workflowTypes.syncInvoices, {
      taskQueue: temporal.taskQueue,
      workflowId: `${syncInvoicesWorkflowIdPrefix(link.id)}-2026-11-30T03:00:00Z`,
      args: [{ mallLinkId: link.id, slotAt: '2026-11-30T03:00:00.000Z', trigger: 'schedule' }],
    });
    await until(() => fms.reads > readsBefore, 'the scheduled run reading FMS');
    // The lookup goes through visibility: wait until it shows the run, as it would a real one.
    await until(async () => {
      for await (const execution of temporal.client.workflow.list({ query: `WorkflowId = '${scheduled.workflowId}' AND ExecutionStatus = 'Running'` })) return execution !== undefined;
      return false;
    }, 'the scheduled run in visibility');

    const refused = await call('POST', `/v1/mall-links/${link.id}/invoice-syncs`, { key: admin });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await json(refused)).toMatchObject({ type: '/problems/invoice-sync-in-progress', workflowId: scheduled.workflowId, temporalUiUrl: expect.stringContaining('http://ui.test/') });

    release();
    const result = (await scheduled.result()) as SyncInvoicesResult;
    expect(result).toMatchObject({ status: 'completed', requestsExamined: 1, counts: { not_shipped: 1 } });
    const row = await database.db.selectFrom('fms_shipment_requests').select(['fms_status', 'invoice_settled_at']).where('ord_no', '=', ordNo).executeTakeFirstOrThrow();
    expect(row).toEqual({ fms_status: 'WORKING', invoice_settled_at: null });
  });

  it('starts a manual run (202) as schedules do, refuses a second while it runs (409), and the run registers the shipment', async () => {
    fms.status = 'DONE';
    const release = fms.hold();
    const readsBefore = fms.reads;
    const started = await call('POST', `/v1/mall-links/${link.id}/invoice-syncs`, { key: admin });
    expect(started.status).toBe(202);
    const body = await json(started);
    expect(body).toEqual({ workflowId: manualInvoiceSyncWorkflowId(link.id), runId: expect.any(String), slotAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/), temporalUiUrl: expect.any(String) });
    expect(body.temporalUiUrl).toBe(`http://ui.test/namespaces/default/workflows/${encodeURIComponent(body.workflowId)}/${body.runId}/history`);

    const handle = temporal.client.workflow.getHandle(body.workflowId, body.runId);
    const description = await handle.describe();
    expect(description.type).toBe(workflowTypes.syncInvoices);
    expect(description.typedSearchAttributes.get(MallIdKey)).toBe(link.mall_id);
    expect(description.typedSearchAttributes.get(TriggerKey)).toBe('manual');
    expect(await description.staticSummary()).toMatch(new RegExp(`^카페24 ${link.mall_id} · \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} KST · 송장등록$`));

    await until(() => fms.reads > readsBefore, 'the manual run reading FMS');
    const second = await call('POST', `/v1/mall-links/${link.id}/invoice-syncs`, { key: admin });
    expect(second.status).toBe(409);
    expect(await json(second)).toMatchObject({ type: '/problems/invoice-sync-in-progress', workflowId: body.workflowId });

    release();
    expect(await handle.result()).toMatchObject({ status: 'completed', outcome: 'synced', requestsExamined: 1, itemsSynced: 2, counts: { synced: 1 } });
    expect(registrar.shipments).toEqual([
      { orderId: 'INV-1', orderItemCodes: ['INV-1-01', 'INV-1-02'], trackingNo: '612345678901', shippingCompanyCode: '0006', shippingCode: 'SHIP-1' },
    ]);
  });

  it('lists the runs newest first with counts that add up to the requests examined', async () => {
    const res = await call('GET', `/v1/mall-links/${link.id}/invoice-syncs`, { key: admin });
    expect(res.status).toBe(200);
    const { items, nextCursor } = await json(res);
    expect(nextCursor).toBeNull();
    expect(items).toHaveLength(2);
    expect(items[0]).toEqual({
      id: expect.any(Number),
      workflowId: manualInvoiceSyncWorkflowId(link.id),
      runId: expect.any(String),
      trigger: 'manual',
      slotAt: expect.any(String),
      status: 'completed',
      outcome: 'synced',
      requestsExamined: 1,
      counts: { synced: 1 },
      itemsSynced: 2,
      // The scripted Cafe24 lists none of the orders: every open request is left alone.
      cancellations: { none: 1 },
      error: null,
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      temporalUiUrl: expect.stringContaining('http://ui.test/'),
    });
    expect(items[1]).toMatchObject({ trigger: 'schedule', slotAt: '2026-11-30T03:00:00.000Z', status: 'completed', requestsExamined: 1, counts: { not_shipped: 1 }, itemsSynced: 0 });
    for (const run of items) expect(Object.values(run.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(run.requestsExamined);
    expect(items[0].id).toBeGreaterThan(items[1].id);

    const status = await json(await call('GET', `/v1/mall-links/${link.id}/status`, { key: admin }));
    expect(status.lastInvoiceSync).toEqual(items[0]);
  });

  it("shows the order's FMS progress and each item's registration", async () => {
    const res = await call('GET', `/v1/mall-links/${link.id}/orders/INV-1`, { key: admin });
    expect(res.status).toBe(200);
    const order = await json(res);
    expect(order.fmsProgress).toEqual({
      fmsStatus: 'DONE',
      fmsStatusRaw: '3',
      fmsStatusSeenAt: expect.any(String),
      invoices: [{ invoiceNo: '612345678901', carrierKey: 'CJ', carrierName: 'CJ대한통운' }],
      invoiceSettledAt: expect.any(String),
    });
    expect(order.items.map((i: { orderItemCode: string; invoice: unknown }) => [i.orderItemCode, i.invoice])).toEqual([
      ['INV-1-01', { status: 'synced', reason: null, invoiceNo: '612345678901', shippingCompanyCode: '0006', shippingCode: 'SHIP-1', syncedAt: expect.any(String) }],
      ['INV-1-02', { status: 'synced', reason: null, invoiceNo: '612345678901', shippingCompanyCode: '0006', shippingCode: 'SHIP-1', syncedAt: expect.any(String) }],
    ]);
  });

  it('shows a held registration with its reason, and no progress for an order without an FMS request', async () => {
    const { ordNo, itemCodes } = await requestedOrder(database.db, link, 'INV-2', 1);
    const unknown = normalizeFmsCarrier('99', '새택배');
    await recordFmsProgress(database.db, 1, [{ ordNo, progress: { status: 'PARTDONE', rawStatus: 'PARTDONE', invoices: [{ invoiceNo: '700000000001', carrierKey: unknown!.key, carrierName: '새택배' }] } }]);
    await planInvoiceRegistrations(database.db, link.id, [
      { orderItemCode: itemCodes[0]!, orderId: 'INV-2', shopNo: 1, ordNo, invoiceNo: '700000000001', carrier: unknown, shippingCompanyCode: null, hold: newRegistrationHold(null) },
    ]);
    const order = await json(await call('GET', `/v1/mall-links/${link.id}/orders/INV-2`, { key: admin }));
    expect(order.fmsProgress).toMatchObject({ fmsStatus: 'PARTDONE', invoices: [{ invoiceNo: '700000000001', carrierKey: '99', carrierName: '새택배' }], invoiceSettledAt: null });
    expect(order.items[0].invoice).toEqual({ status: 'held', reason: 'unknown_carrier', invoiceNo: '700000000001', shippingCompanyCode: null, shippingCode: null, syncedAt: null });

    await upsertCollectedOrders(database.db, link.id, [storedOrder('INV-3', '2026-11-30T01:00:00.000Z', [storedItem('INV-3', 1)])]);
    const plain = await json(await call('GET', `/v1/mall-links/${link.id}/orders/INV-3`, { key: admin }));
    expect(plain.fmsProgress).toBeNull();
    expect(plain.items[0].invoice).toBeNull();
  });

  it('writes a page of progress, registrations and Cafe24 answers in one statement each, leaving the rows as one statement per row would', async () => {
    const listed = await requestedOrder(database.db, link, 'INV-B1', 2);
    const unlisted = await requestedOrder(database.db, link, 'INV-B2', 1);
    const cj = normalizeFmsCarrier('04', 'CJ대한통운');
    await recordFmsProgress(database.db, 7, [{ ordNo: unlisted.ordNo, progress: { status: 'WORKING', rawStatus: '2', invoices: [] } }]);
    await recordFmsProgress(database.db, 8, [
      { ordNo: listed.ordNo, progress: { status: 'DONE', rawStatus: '3', invoices: [{ invoiceNo: '600000000001', carrierKey: 'CJ', carrierName: 'CJ대한통운' }] } },
      { ordNo: unlisted.ordNo, progress: null },
    ]);
    const requests = await database.db.selectFrom('fms_shipment_requests').select(['ord_no', 'fms_status', 'fms_status_raw', 'invoices', 'invoice_listed', 'invoice_run_id']).where('ord_no', 'in', [listed.ordNo, unlisted.ordNo]).orderBy('ord_no').execute();
    expect(requests).toEqual(
      [
        { ord_no: listed.ordNo, fms_status: 'DONE', fms_status_raw: '3', invoices: [{ invoiceNo: '600000000001', carrierKey: 'CJ', carrierName: 'CJ대한통운' }], invoice_listed: true, invoice_run_id: 8 },
        // Not listed this time: what the last run saw stays.
        { ord_no: unlisted.ordNo, fms_status: 'WORKING', fms_status_raw: '2', invoices: [], invoice_listed: false, invoice_run_id: 8 },
      ].sort((a, b) => a.ord_no.localeCompare(b.ord_no)),
    );

    // The same item from two requests in one page: the first entry inserts the row, the last updates its tracking number.
    const entry = (ordNo: string, invoiceNo: string) => ({ orderItemCode: listed.itemCodes[0]!, orderId: 'INV-B1', shopNo: 1, ordNo, invoiceNo, carrier: cj, shippingCompanyCode: '0006', hold: null });
    await planInvoiceRegistrations(database.db, link.id, [entry(listed.ordNo, '600000000001'), entry(unlisted.ordNo, '600000000002'), { ...entry(listed.ordNo, '600000000003'), orderItemCode: listed.itemCodes[1]! }]);
    const registrations = () => database.db.selectFrom('invoice_registrations').select(['order_item_code', 'ord_no', 'invoice_no', 'status', 'shipping_code']).where('order_item_code', 'in', listed.itemCodes).orderBy('order_item_code').execute();
    expect(await registrations()).toEqual([
      { order_item_code: listed.itemCodes[0], ord_no: listed.ordNo, invoice_no: '600000000002', status: 'pending', shipping_code: null },
      { order_item_code: listed.itemCodes[1], ord_no: listed.ordNo, invoice_no: '600000000003', status: 'pending', shipping_code: null },
    ]);

    await markInvoicesSynced(database.db, link.id, [{ orderItemCode: listed.itemCodes[0]!, shippingCode: 'SHIP-A' }, { orderItemCode: listed.itemCodes[1]!, shippingCode: null }], 8);
    expect(await registrations()).toEqual([
      { order_item_code: listed.itemCodes[0], ord_no: listed.ordNo, invoice_no: '600000000002', status: 'synced', shipping_code: 'SHIP-A' },
      { order_item_code: listed.itemCodes[1], ord_no: listed.ordNo, invoice_no: '600000000003', status: 'synced', shipping_code: null },
    ]);
  });

  it('answers 409 invoice-sync-not-possible with the reason when the link cannot sync, and starts nothing', async () => {
    const cases = [
      [{ invoice_sync_enabled: false }, 'invoice_sync_disabled'],
      [{ enabled: false }, 'link_disabled'],
      [{ cafe24_auth_status: 'reauth_required' as const }, 'not_authorized'],
    ] as const;
    for (const [settings, reason] of cases) {
      const blocked = await insertTestMallLink(database.db, { link_start_date: '2026-01-01', ...settings });
      const res = await call('POST', `/v1/mall-links/${blocked.id}/invoice-syncs`, { key: admin });
      expect(res.status, reason).toBe(409);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await json(res)).toMatchObject({ type: '/problems/invoice-sync-not-possible', reason });
      await expect(temporal.client.workflow.getHandle(manualInvoiceSyncWorkflowId(blocked.id)).describe()).rejects.toThrow();
    }
  });

  it("hides other customers' links (404) and needs a key (401)", async () => {
    for (const [method, path] of [
      ['POST', `/v1/mall-links/${link.id}/invoice-syncs`],
      ['GET', `/v1/mall-links/${link.id}/invoice-syncs`],
    ] as const) {
      const hidden = await call(method, path, { key: otherCustomer });
      expect(hidden.status, `${method} ${path}`).toBe(404);
      expect(hidden.headers.get('content-type')).toBe('application/problem+json');
      expect((await call(method, path)).status).toBe(401);
    }
  });
});
