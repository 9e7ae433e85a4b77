import type { Cafe24AuthStatus, Database, MallLinkRow, NewMallLink } from '../../../db/schema.js';
import type { Kysely, Transaction } from 'kysely';

type Executor = Kysely<Database> | Transaction<Database>;

export async function findMallLinkByCafe24MallId(db: Executor, mallId: string): Promise<MallLinkRow | undefined> {
  return db.selectFrom('mall_links').selectAll().where('platform', '=', 'cafe24').where('mall_id', '=', mallId).executeTakeFirst();
}

export async function setCafe24AuthStatus(db: Executor, mallLinkId: string, status: Cafe24AuthStatus): Promise<void> {
  await db.updateTable('mall_links').set({ cafe24_auth_status: status, updated_at: new Date() }).where('id', '=', mallLinkId).execute();
}

/** Inserts the link unless one exists for its mall id; returns the stored link either way (dev seeding). */
export async function insertMallLinkIfAbsent(db: Executor, link: NewMallLink): Promise<MallLinkRow> {
  await db.insertInto('mall_links').values(link).onConflict((oc) => oc.columns(['platform', 'mall_id']).doNothing()).execute();
  const stored = await findMallLinkByCafe24MallId(db, link.mall_id);
  if (!stored) throw new Error(`mall link ${link.mall_id} vanished right after insert`);
  return stored;
}
