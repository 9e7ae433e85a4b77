import { sql } from 'kysely';
import type { Db } from '../database.js';

export async function insertOAuthState(db: Db, state: { nonce: string; mallLinkId: string; expiresAt: Date }): Promise<void> {
  // States older than a day are useless; clearing them here keeps the table small without a job.
  await db.deleteFrom('cafe24_oauth_states').where('expires_at', '<', sql<Date>`now() - interval '1 day'`).execute();
  await db.insertInto('cafe24_oauth_states').values({ nonce: state.nonce, mall_link_id: state.mallLinkId, expires_at: state.expiresAt }).execute();
}

/** Marks the state used; false when it is unknown, for another link, expired or already used. */
export async function consumeOAuthState(db: Db, nonce: string, mallLinkId: string): Promise<boolean> {
  const row = await db
    .updateTable('cafe24_oauth_states')
    .set({ used_at: sql<Date>`now()` })
    .where('nonce', '=', nonce)
    .where('mall_link_id', '=', mallLinkId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('nonce')
    .executeTakeFirst();
  return row !== undefined;
}
