import type { Db } from '../database.js';
import type { MallLinkShopRow } from '../../../db/schema.js';

/** The link's extra shops (shop 1 is implicit and has no row), by shop number. */
export async function listMallLinkShops(db: Db, mallLinkId: string): Promise<MallLinkShopRow[]> {
  return db.selectFrom('mall_link_shops').selectAll().where('mall_link_id', '=', mallLinkId).orderBy('shop_no').execute();
}

/** The extra shops of several links at once (list pages), by link then shop number. */
export async function listShopsOfMallLinks(db: Db, mallLinkIds: readonly string[]): Promise<MallLinkShopRow[]> {
  if (mallLinkIds.length === 0) return [];
  return db.selectFrom('mall_link_shops').selectAll().where('mall_link_id', 'in', mallLinkIds).orderBy('mall_link_id').orderBy('shop_no').execute();
}

/** A new request for an extra shop; a previously rejected request for the same number is replaced. */
export async function requestMallLinkShop(db: Db, mallLinkId: string, shopNo: number): Promise<MallLinkShopRow> {
  await db.deleteFrom('mall_link_shops').where('mall_link_id', '=', mallLinkId).where('shop_no', '=', shopNo).where('status', '=', 'rejected').execute();
  return db.insertInto('mall_link_shops').values({ mall_link_id: mallLinkId, shop_no: shopNo, status: 'requested' }).returningAll().executeTakeFirstOrThrow();
}

/** Moves a requested shop to its decided status; undefined when it is not (or no longer) requested. */
export async function decideMallLinkShop(
  db: Db,
  mallLinkId: string,
  shopNo: number,
  status: 'active' | 'rejected',
): Promise<MallLinkShopRow | undefined> {
  return db
    .updateTable('mall_link_shops')
    .set({ status, decided_at: new Date() })
    .where('mall_link_id', '=', mallLinkId)
    .where('shop_no', '=', shopNo)
    .where('status', '=', 'requested')
    .returningAll()
    .executeTakeFirst();
}

/** Shops a collection covers: shop 1 always, plus extra shops approved as active. */
export async function findActiveShopNos(db: Db, mallLinkId: string): Promise<number[]> {
  const rows = await db.selectFrom('mall_link_shops').select('shop_no').where('mall_link_id', '=', mallLinkId).where('status', '=', 'active').execute();
  return [...new Set([1, ...rows.map((r) => r.shop_no)])].sort((a, b) => a - b);
}
