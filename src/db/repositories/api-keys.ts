import type { Db } from '../database.js';
import type { ApiKeyRow } from '../../../db/schema.js';

/** The channel every change that can refuse a key notifies (migration 2026120102's trigger). */
export const apiKeyChangesChannel = 'api_key_changes';

export type ApiKeyScope = { role: 'admin'; cstCd: null } | { role: 'customer'; cstCd: string };

export async function insertApiKey(
  db: Db,
  key: { name: string; scope: ApiKeyScope; displayPrefix: string; hash: string },
): Promise<ApiKeyRow> {
  return db
    .insertInto('api_keys')
    .values({ name: key.name, role: key.scope.role, cst_cd: key.scope.cstCd, key_prefix: key.displayPrefix, key_hash: key.hash })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The active (not revoked) key with this hash, if any. */
export async function findActiveApiKeyByHash(db: Db, hash: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();
}

export async function listApiKeys(db: Db): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().orderBy('created_at').execute();
}

/** Marks a key revoked; returns false when no active key has that id. */
export async function revokeApiKey(db: Db, id: string): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function touchApiKey(db: Db, id: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: new Date() }).where('id', '=', id).execute();
}
