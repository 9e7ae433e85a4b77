import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markInvoicesSending, nextInvoiceRegistrations, planInvoiceRegistrations, type ShippedItemEntry } from '../../../src/db/repositories/invoice-registrations.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { insertTestMallLink } from '../../support/mall-link-fixtures.js';

describe('invoice registrations repository on real PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  const entry = (shopNo: number, orderId: string, itemNo: number): ShippedItemEntry => ({
    orderItemCode: `${orderId}-${itemNo}`,
    orderId,
    shopNo,
    ordNo: `ORD-${orderId}`,
    invoiceNo: `INV-${orderId}`,
    carrier: null,
    shippingCompanyCode: '0001',
    hold: null,
  });

  it('the next batch is one shop’s, unanswered rows first, and says whether any registration waits beyond it', async () => {
    const { db } = database;
    const link = await insertTestMallLink(db);
    await planInvoiceRegistrations(db, link.id, [entry(1, 'A', 1), entry(1, 'B', 1), entry(1, 'B', 2), entry(2, 'C', 1)]);
    await markInvoicesSending(db, link.id, ['B-2']);

    const first = await nextInvoiceRegistrations(db, link.id, 2);
    expect(first.rows.map((r) => r.order_item_code)).toEqual(['B-2', 'A-1']);
    expect(first.more).toBe(true);

    // The whole first shop fits: shop 2 still waits.
    const wholeShop = await nextInvoiceRegistrations(db, link.id, 10);
    expect(wholeShop.rows.map((r) => r.order_item_code)).toEqual(['B-2', 'A-1', 'B-1']);
    expect(wholeShop.more).toBe(true);

    // Only shop 2 left, exactly the limit: nothing waits beyond it.
    await db.updateTable('invoice_registrations').set({ status: 'synced' }).where('mall_link_id', '=', link.id).where('shop_no', '=', 1).execute();
    const last = await nextInvoiceRegistrations(db, link.id, 1);
    expect(last.rows.map((r) => r.order_item_code)).toEqual(['C-1']);
    expect(last.more).toBe(false);

    await db.updateTable('invoice_registrations').set({ status: 'synced' }).where('mall_link_id', '=', link.id).execute();
    expect(await nextInvoiceRegistrations(db, link.id, 10)).toEqual({ rows: [], more: false });
  });
});
