import type { Db } from '../database.js';
import type { MallLinkRow } from '../../../db/schema.js';

export async function findMallLinkById(db: Db, id: string): Promise<MallLinkRow | undefined> {
  return db.selectFrom('mall_links').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Shops a collection covers: shop 1 always, plus extra shops approved as active. */
export async function findActiveShopNos(db: Db, mallLinkId: string): Promise<number[]> {
  const rows = await db.selectFrom('mall_link_shops').select('shop_no').where('mall_link_id', '=', mallLinkId).where('status', '=', 'active').execute();
  return [...new Set([1, ...rows.map((r) => r.shop_no)])].sort((a, b) => a - b);
}
