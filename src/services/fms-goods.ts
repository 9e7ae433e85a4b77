import type { FmsClient } from '../clients/fms/fms-client.js';
import type { Db } from '../db/database.js';
import { findFmsGoodsRefresh, replaceFmsGoods } from '../db/repositories/fms-goods.js';
import type { Logger } from '../logger.js';

/** What the goods cache reads from: FMS's goods API. */
export type FmsGoodsSource = Pick<FmsClient, 'listGoods'>;

export interface FmsGoodsDeps {
  db: Db;
  fmsGoods: FmsGoodsSource;
  log: Logger;
}

/** Reads the customer's goods master from FMS and replaces the cache with it; returns the count and time. */
export async function refreshFmsGoods(deps: FmsGoodsDeps, cstCd: string): Promise<{ goodsCount: number; refreshedAt: Date }> {
  const goods = await deps.fmsGoods.listGoods(cstCd);
  const refreshedAt = new Date();
  await deps.db.transaction().execute((trx) => replaceFmsGoods(trx, cstCd, goods, refreshedAt));
  const refreshed = (await findFmsGoodsRefresh(deps.db, cstCd)) ?? { goodsCount: goods.length, refreshedAt };
  deps.log.info({ cstCd, goods: refreshed.goodsCount }, 'FMS goods cache refreshed');
  return refreshed;
}

/** The cache's last refresh, reading FMS first when the customer's goods were never read. */
export async function ensureFmsGoods(deps: FmsGoodsDeps, cstCd: string): Promise<{ goodsCount: number; refreshedAt: Date }> {
  return (await findFmsGoodsRefresh(deps.db, cstCd)) ?? refreshFmsGoods(deps, cstCd);
}
