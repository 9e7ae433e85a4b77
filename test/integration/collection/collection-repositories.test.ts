import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireCollectionLease, findActiveCollectionLease, releaseCollectionLease, renewCollectionLease } from '../../../src/db/repositories/collection-leases.js';
import { startCollectionRun } from '../../../src/db/repositories/collection-runs.js';
import { appendOutcomeChanges, findRequestedItemCodes, listOrderTrail } from '../../../src/db/repositories/order-trail.js';
import { findProductLinks, replaceProductLink } from '../../../src/db/repositories/product-links.js';
import { listUnlinkedOrders, markUnlinkedOutsideRangeQuery, resolveUnlinkedOrders, upsertUnlinkedOrders } from '../../../src/db/repositories/unlinked-orders.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { insertTestMallLink } from '../../support/mall-link-fixtures.js';

describe('collection repositories on real PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  it('a lease is held by one run at a time, re-acquirable by its holder, and free again once expired or released', async () => {
    const { db } = database;
    const link = await insertTestMallLink(db);
    const scheduled = { workflowId: `collect-orders:${link.id}-2026-12-01T05:40:00Z`, runId: 'r1' };
    const manual = { workflowId: `collect-orders:${link.id}:manual`, runId: 'r2' };

    expect(await acquireCollectionLease(db, link.id, scheduled, 60_000)).toEqual({ acquired: true });
    expect(await acquireCollectionLease(db, link.id, manual, 60_000)).toEqual({ acquired: false, heldBy: scheduled });
    expect(await acquireCollectionLease(db, link.id, scheduled, 60_000)).toEqual({ acquired: true });
    expect(await renewCollectionLease(db, link.id, manual, 60_000)).toBe(false);
    expect(await renewCollectionLease(db, link.id, scheduled, 60_000)).toBe(true);

    // An expired lease (a run that died without releasing) no longer blocks.
    await db.updateTable('collection_leases').set({ expires_at: new Date(Date.now() - 1000) }).where('mall_link_id', '=', link.id).execute();
    expect(await findActiveCollectionLease(db, link.id)).toBeUndefined();
    expect(await acquireCollectionLease(db, link.id, manual, 60_000)).toEqual({ acquired: true });
    expect(await renewCollectionLease(db, link.id, scheduled, 60_000)).toBe(false);

    await releaseCollectionLease(db, link.id, manual);
    expect(await findActiveCollectionLease(db, link.id)).toBeUndefined();
  });

  it('two runs racing for a lease: exactly one gets it', async () => {
    const { db } = database;
    const link = await insertTestMallLink(db);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => acquireCollectionLease(db, link.id, { workflowId: `wf-${i}`, runId: 'r' }, 60_000)),
    );
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
  });

  it('the trail records outcome changes only', async () => {
    const { db } = database;
    const link = await insertTestMallLink(db);
    const run = await startCollectionRun(db, { mallLinkId: link.id, workflowId: 'wf', runId: 'r', trigger: 'manual', slotAt: '2026-12-01T05:40:00Z', window: null, status: 'running', outcome: 'running' });
    const record = (outcome: 'not_eligible:too_recent' | 'requested' | 'already_requested') => ({ orderId: 'O1', shopNo: 1, orderItemCode: 'O1-01', outcome });
    expect(await appendOutcomeChanges(db, link.id, run.id, [record('not_eligible:too_recent')])).toBe(1);
    expect(await appendOutcomeChanges(db, link.id, run.id, [record('not_eligible:too_recent')])).toBe(0);
    expect(await appendOutcomeChanges(db, link.id, run.id, [record('requested')])).toBe(1);
    expect(await appendOutcomeChanges(db, link.id, run.id, [record('already_requested')])).toBe(1);
    expect((await listOrderTrail(db, link.id, 'O1')).map((t) => t.outcome)).toEqual(['not_eligible:too_recent', 'requested', 'already_requested']);
    // Retried ledger start returns the same row.
    const again = await startCollectionRun(db, { mallLinkId: link.id, workflowId: 'wf', runId: 'r', trigger: 'manual', slotAt: '2026-12-01T05:40:00Z', window: null, status: 'running', outcome: 'running' });
    expect(again.id).toBe(run.id);
  });

  it('the items of an order whose latest trail outcome is a shipment request', async () => {
    const { db } = database;
    const link = await insertTestMallLink(db);
    const run = await startCollectionRun(db, { mallLinkId: link.id, workflowId: 'wf-req', runId: 'r', trigger: 'manual', slotAt: '2026-12-01T05:40:00Z', window: null, status: 'running', outcome: 'running' });
    const record = (orderItemCode: string, outcome: 'not_eligible:too_recent' | 'requested' | 'already_requested' | 'not_eligible:cancelled_or_claimed') => ({ orderId: 'O2', shopNo: 1, orderItemCode, outcome });
    await appendOutcomeChanges(db, link.id, run.id, [record('O2-01', 'not_eligible:too_recent'), record('O2-02', 'requested'), record('O2-03', 'requested')]);
    await appendOutcomeChanges(db, link.id, run.id, [record('O2-01', 'requested'), record('O2-02', 'already_requested'), record('O2-03', 'not_eligible:cancelled_or_claimed')]);
    expect(await findRequestedItemCodes(db, link.id, 'O2')).toEqual(['O2-01', 'O2-02']);
  });

  it('unlinked orders: held, refreshed, resolved, and marked outside_range once the window passed them', async () => {
    const { db } = database;
    const link = await insertTestMallLink(db);
    const held = (orderId: string, paidAt: string) => ({ kind: 'unlinked' as const, orderId, shopNo: 1, paidAt, items: [{ orderItemCode: `${orderId}-01`, variantCode: 'V', reason: 'no_link' as const }] });
    await upsertUnlinkedOrders(db, link.id, [held('OLD', '2026-11-20T00:00:00Z'), held('NEW', '2026-11-30T00:00:00Z'), held('DONE', '2026-11-30T00:00:00Z')]);
    expect(await resolveUnlinkedOrders(db, link.id, ['DONE'], 1)).toBe(1);
    expect((await markUnlinkedOutsideRangeQuery(db, link.id, '2026-11-28T00:00:00Z').executeTakeFirst()).numUpdatedRows).toBe(1n);
    const rows = (await listUnlinkedOrders(db, link.id, ['open', 'outside_range', 'resolved'], { limit: 10 })).rows;
    expect(Object.fromEntries(rows.map((r) => [r.order_id, r.status]))).toEqual({ OLD: 'outside_range', NEW: 'open', DONE: 'resolved' });
    expect(rows.find((r) => r.order_id === 'DONE')!.resolved_at).toBeInstanceOf(Date);
  });

  it('product links replace all components of a variant', async () => {
    const { db } = database;
    const link = await insertTestMallLink(db);
    await replaceProductLink(db, link.id, 'V1', [{ cstGodCd: 'G1', quantity: 1 }, { cstGodCd: 'G2', quantity: 2 }]);
    await replaceProductLink(db, link.id, 'V1', [{ cstGodCd: 'G3', quantity: 1 }]);
    expect((await findProductLinks(db, link.id, ['V1', 'V2'])).map((l) => [l.variantCode, l.components])).toEqual([['V1', [{ cstGodCd: 'G3', quantity: 1 }]]]);
  });
});
