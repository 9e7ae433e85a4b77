import type { Cafe24TokenRow, Database } from '../../../db/schema.js';
import type { Db } from '../database.js';
import type { Kysely, Transaction } from 'kysely';

type Executor = Db | Transaction<Database>;

export interface EncryptedTokenPair {
  mallLinkId: string;
  mallId: string;
  accessTokenEnc: string;
  accessTokenExpiresAt: Date;
  refreshTokenEnc: string;
  refreshTokenExpiresAt: Date;
  scopes: string[];
  refreshedAt: Date;
}

export async function findCafe24Tokens(db: Executor, mallLinkId: string): Promise<Cafe24TokenRow | undefined> {
  return db.selectFrom('cafe24_tokens').selectAll().where('mall_link_id', '=', mallLinkId).executeTakeFirst();
}

/** The row, locked until the transaction ends: the per-mall mutex that serialises refreshes across processes. */
export async function lockCafe24Tokens(trx: Transaction<Database>, mallLinkId: string): Promise<Cafe24TokenRow | undefined> {
  return trx.selectFrom('cafe24_tokens').selectAll().where('mall_link_id', '=', mallLinkId).forUpdate().executeTakeFirst();
}

export async function saveCafe24Tokens(db: Executor, pair: EncryptedTokenPair): Promise<void> {
  const values = {
    mall_id: pair.mallId,
    access_token_enc: pair.accessTokenEnc,
    access_token_expires_at: pair.accessTokenExpiresAt,
    refresh_token_enc: pair.refreshTokenEnc,
    refresh_token_expires_at: pair.refreshTokenExpiresAt,
    scopes: pair.scopes,
    refreshed_at: pair.refreshedAt,
  };
  await db
    .insertInto('cafe24_tokens')
    .values({ mall_link_id: pair.mallLinkId, ...values })
    .onConflict((oc) => oc.column('mall_link_id').doUpdateSet(values))
    .execute();
}

/** Authorized links whose refresh token expires before `before` (the daily refresh keeps them alive). */
export async function findLinksWithRefreshTokenExpiringBefore(db: Kysely<Database>, before: Date): Promise<{ mallLinkId: string; mallId: string }[]> {
  return db
    .selectFrom('cafe24_tokens')
    .innerJoin('mall_links', 'mall_links.id', 'cafe24_tokens.mall_link_id')
    .select(['cafe24_tokens.mall_link_id as mallLinkId', 'mall_links.mall_id as mallId'])
    .where('cafe24_tokens.refresh_token_expires_at', '<', before)
    .where('mall_links.cafe24_auth_status', '=', 'authorized')
    .orderBy('cafe24_tokens.refresh_token_expires_at')
    .execute();
}
