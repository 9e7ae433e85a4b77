import type { Db } from '../../src/db/database.js';
import { newMallLinkWithDefaults } from '../../src/db/repositories/mall-links.js';
import type { MallLinkRow, NewMallLink } from '../../db/schema.js';

let sequence = 0;

/** A mall link row straight in the database (the mall-link API is not under test here). */
export async function insertTestMallLink(db: Db, overrides: Partial<NewMallLink> & { shops?: number[] } = {}): Promise<MallLinkRow> {
  const { shops = [], ...columns } = overrides;
  sequence += 1;
  const link = await db
    .insertInto('mall_links')
    .values({
      ...newMallLinkWithDefaults(`testmall${sequence}${Math.random().toString(36).slice(2, 6)}`, 'CST001', '2026-11-01'),
      cafe24_auth_status: 'authorized',
      ...columns,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (shops.length > 0) {
    await db.insertInto('mall_link_shops').values(shops.map((shop_no) => ({ mall_link_id: link.id, shop_no, status: 'active' as const }))).execute();
  }
  return link;
}
