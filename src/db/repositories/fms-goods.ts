import { sql } from 'kysely';
import type { Db } from '../database.js';
import { pageOf, type Page, type PageRequest } from '../page.js';
import { containsPattern } from '../text-search.js';
import type { FmsGoodsRow } from '../../../db/schema.js';
import type { FmsGoods } from '../../domain/catalogue.js';

/** A cached goods of an FMS customer, and when the cache was filled. */
export interface CachedFmsGoods extends FmsGoods {
  refreshedAt: Date;
}

export const toCachedFmsGoods = (row: FmsGoodsRow): CachedFmsGoods => ({
  cstGodCd: row.cst_god_cd,
  name: row.name,
  godCd: row.god_cd,
  barcode: row.barcode,
  goodsType: row.goods_type,
  inUse: row.in_use,
  refreshedAt: row.refreshed_at,
});

/**
 * Replaces a customer's cached goods master with what FMS just answered: goods no longer listed
 * leave the cache. Run it in a transaction so readers never see half a master.
 */
export async function replaceFmsGoods(db: Db, cstCd: string, goods: readonly FmsGoods[], refreshedAt: Date): Promise<void> {
  const unique = [...new Map(goods.map((g) => [g.cstGodCd, g])).values()];
  // Two refreshes of one customer at once would insert the same keys: the second waits for the first.
  await sql`select pg_advisory_xact_lock(hashtext(${`fms_goods:${cstCd}`}))`.execute(db);
  await db.deleteFrom('fms_goods').where('cst_cd', '=', cstCd).execute();
  // Bounded batches: one INSERT has at most 65535 parameters.
  for (let i = 0; i < unique.length; i += 5000) {
    await db
      .insertInto('fms_goods')
      .values(
        unique.slice(i, i + 5000).map((g) => ({
          cst_cd: cstCd,
          cst_god_cd: g.cstGodCd,
          name: g.name,
          god_cd: g.godCd,
          barcode: g.barcode,
          goods_type: g.goodsType,
          in_use: g.inUse,
          refreshed_at: refreshedAt,
        })),
      )
      .execute();
  }
  await db
    .insertInto('fms_goods_refreshes')
    .values({ cst_cd: cstCd, goods_count: unique.length, refreshed_at: refreshedAt })
    .onConflict((oc) => oc.column('cst_cd').doUpdateSet({ goods_count: unique.length, refreshed_at: refreshedAt }))
    .execute();
}

/** When the customer's goods were last read from FMS and how many there were; undefined if never. */
export async function findFmsGoodsRefresh(db: Db, cstCd: string): Promise<{ goodsCount: number; refreshedAt: Date } | undefined> {
  const row = await db.selectFrom('fms_goods_refreshes').select(['goods_count', 'refreshed_at']).where('cst_cd', '=', cstCd).executeTakeFirst();
  return row && { goodsCount: row.goods_count, refreshedAt: row.refreshed_at };
}

/** The cached goods among these codes (unknown codes are simply absent). */
export async function findFmsGoods(db: Db, cstCd: string, cstGodCds: readonly string[]): Promise<CachedFmsGoods[]> {
  if (cstGodCds.length === 0) return [];
  const rows = await db.selectFrom('fms_goods').selectAll().where('cst_cd', '=', cstCd).where('cst_god_cd', 'in', cstGodCds).orderBy('cst_god_cd').execute();
  return rows.map(toCachedFmsGoods);
}

/** Which of these codes the cached master knows. */
export async function knownFmsGoodsCodes(db: Db, cstCd: string, cstGodCds: readonly string[]): Promise<Set<string>> {
  return new Set((await findFmsGoods(db, cstCd, cstGodCds)).map((g) => g.cstGodCd));
}

/** The customer's whole cached master, in code order (e.g. for auto-match). */
export async function findAllFmsGoods(db: Db, cstCd: string): Promise<CachedFmsGoods[]> {
  return (await db.selectFrom('fms_goods').selectAll().where('cst_cd', '=', cstCd).orderBy('cst_god_cd').execute()).map(toCachedFmsGoods);
}

export interface FmsGoodsFilter {
  /** Case-insensitive text in the goods code, name or barcode. */
  q?: string | undefined;
  inUse?: boolean | undefined;
}

/** Where a page of goods continues: after this code. */
export interface FmsGoodsPosition {
  cstGodCd: string;
}

/** A page of the customer's cached goods in code order. */
export async function listFmsGoods(db: Db, cstCd: string, filter: FmsGoodsFilter, page: PageRequest<FmsGoodsPosition>): Promise<Page<CachedFmsGoods, FmsGoodsPosition>> {
  let query = db.selectFrom('fms_goods').selectAll().where('cst_cd', '=', cstCd);
  if (filter.inUse !== undefined) query = query.where('in_use', '=', filter.inUse);
  if (filter.q !== undefined && filter.q !== '') {
    const pattern = containsPattern(filter.q);
    query = query.where((eb) => eb.or([eb('cst_god_cd', 'ilike', pattern), eb('name', 'ilike', pattern), eb('barcode', 'ilike', pattern)]));
  }
  if (page.after !== undefined) query = query.where('cst_god_cd', '>', page.after.cstGodCd);
  const found = await query.orderBy('cst_god_cd').limit(page.limit + 1).execute();
  const { rows, next } = pageOf(found, page.limit, (row) => ({ cstGodCd: row.cst_god_cd }));
  return { rows: rows.map(toCachedFmsGoods), next };
}
