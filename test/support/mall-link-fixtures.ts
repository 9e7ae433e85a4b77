import type { Db } from '../../src/db/database.js';
import type { MallLinkRow, NewMallLink } from '../../db/schema.js';

let sequence = 0;

/** A mall link row straight in the database (the mall-link API is not under test here). */
export async function insertTestMallLink(db: Db, overrides: Partial<NewMallLink> & { shops?: number[] } = {}): Promise<MallLinkRow> {
  const { shops = [], ...columns } = overrides;
  sequence += 1;
  const link = await db
    .insertInto('mall_links')
    .values({
      platform: 'cafe24',
      mall_id: `testmall${sequence}${Math.random().toString(36).slice(2, 6)}`,
      cst_cd: 'CST001',
      enabled: true,
      link_start_date: '2026-11-01',
      collection_method: 'auto',
      collect_order_status: 'N10',
      minutes_after_payment: 10,
      collection_range_days: 3,
      invoice_sync_enabled: true,
      invoice_display: 'company',
      sender_name: null,
      sender_phone: null,
      cafe24_auth_status: 'authorized',
      updated_at: new Date(),
      ...columns,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (shops.length > 0) {
    await db.insertInto('mall_link_shops').values(shops.map((shop_no) => ({ mall_link_id: link.id, shop_no, status: 'active' as const }))).execute();
  }
  return link;
}
