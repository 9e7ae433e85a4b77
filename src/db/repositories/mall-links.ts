import type { Db } from '../database.js';
import type { MallLinkRow } from '../../../db/schema.js';

export async function findMallLinkById(db: Db, id: string): Promise<MallLinkRow | undefined> {
  return db.selectFrom('mall_links').selectAll().where('id', '=', id).executeTakeFirst();
}
