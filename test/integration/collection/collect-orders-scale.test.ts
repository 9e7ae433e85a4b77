import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceProductLink } from '../../../src/db/repositories/product-links.js';
import type { CollectOrdersResult } from '../../../src/temporal/collection.js';
import { historyToFixture, startCollection, startCollectionWorker, upsertedSearchAttributes, type WorkflowHistory } from '../../support/collection-runs.js';
import { CstCdKey, MallIdKey, SlotAtKey, TriggerKey } from '../../../src/temporal/search-attributes.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { InMemoryOrderSource, InMemoryShipmentRequester } from '../../support/in-memory-collection-ports.js';
import { insertTestMallLink } from '../../support/mall-link-fixtures.js';
import { storedItem, storedOrder } from '../../support/stored-orders.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';

const eligibleOrders = 20_000;

describe('collectOrders at scale', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
  });
  afterAll(async () => {
    await temporal?.close();
    await database?.drop();
  });

  it(`collects ${eligibleOrders} eligible orders in one run within 10,000 history events`, { timeout: 600_000 }, async () => {
    const source = new InMemoryOrderSource();
    const requester = new InMemoryShipmentRequester();
    const link = await insertTestMallLink(database.db, { link_start_date: '2026-11-01' });
    await replaceProductLink(database.db, link.id, 'V-1', [{ cstGodCd: 'G-1', quantity: 1 }]);
    const base = Date.parse('2026-11-30T00:00:00.000Z');
    source.put(
      link.id,
      Array.from({ length: eligibleOrders }, (_, i) => {
        const id = `S-${String(i).padStart(6, '0')}`;
        return storedOrder(id, new Date(base + i * 1000).toISOString(), [storedItem(id, 1, { variantCode: 'V-1' })]);
      }),
    );
    const worker = await startCollectionWorker({ db: database.db, temporal, orderSource: source, shipmentRequester: requester, sourcePageSize: 500 });
    // Started as the API starts a run: its search attributes set at start, which the run carries
    // across continue-as-new without upserting them.
    const slotAt = '2026-12-01T05:40:00.000Z';
    const handle = await startCollection(temporal.client, temporal.taskQueue, { mallLinkId: link.id, slotAt, trigger: 'manual', attributesSetAtStart: true }, undefined, [
      { key: MallIdKey, value: link.mall_id },
      { key: CstCdKey, value: link.cst_cd },
      { key: TriggerKey, value: 'manual' },
      { key: SlotAtKey, value: new Date(slotAt) },
    ]);
    const result = (await handle.result().finally(() => worker.stop())) as CollectOrdersResult;

    expect(result).toMatchObject({ status: 'completed', ordersFetched: eligibleOrders, itemsFetched: eligibleOrders, counts: { requested: eligibleOrders } });
    expect(requester.created).toHaveLength(eligibleOrders);
    expect(requester.duplicates()).toEqual([]);
    const ledger = await database.db.selectFrom('collection_runs').selectAll().where('mall_link_id', '=', link.id).execute();
    expect(ledger).toEqual([expect.objectContaining({ status: 'completed', items_fetched: eligibleOrders, counts: { requested: eligibleOrders } })]);

    // Follow the continue-as-new chain from the first execution; every execution stays small.
    const executions: { events: number; bytes: number }[] = [];
    const upserted: string[] = [];
    let runId: string | undefined = handle.firstExecutionRunId;
    let lastRunId = runId;
    while (runId) {
      lastRunId = runId;
      const history: WorkflowHistory = await temporal.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
      const events = history.events ?? [];
      upserted.push(...upsertedSearchAttributes(history));
      executions.push({ events: events.length, bytes: Buffer.byteLength(JSON.stringify(historyToFixture(history))) });
      const next: string | null | undefined = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      runId = next ?? undefined;
    }
    const total = executions.reduce((n, e) => n + e.events, 0);
    process.stdout.write(`[scale] ${eligibleOrders} eligible orders: ${executions.length} executions, ${total} events in all; per execution ${JSON.stringify(executions)}\n`);
    expect(total).toBeLessThan(10_000);
    for (const execution of executions) expect(execution.events).toBeLessThan(10_000);
    expect(executions.length).toBeGreaterThan(1);
    expect(upserted).toEqual([]);
    const last = (await temporal.client.workflow.getHandle(handle.workflowId, lastRunId).describe()).typedSearchAttributes;
    expect([last.get(MallIdKey), last.get(CstCdKey), last.get(TriggerKey), last.get(SlotAtKey)]).toEqual([link.mall_id, link.cst_cd, 'manual', new Date(slotAt)]);
  });
});
