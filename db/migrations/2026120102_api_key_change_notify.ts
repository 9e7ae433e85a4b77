import { sql, type Kysely } from 'kysely';

/**
 * Issue 16: API processes keep the keys they have checked in memory, trusted only while they listen
 * on `api_key_changes`. Every change that can refuse a key (revoked, its hash, role or customer
 * changed, deleted, truncated) notifies that channel from inside its transaction, so the
 * notification arrives once it commits, wherever it was made (API, `npm run apikey`, plain SQL).
 * Touching last_used_at does not notify.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function notify_api_key_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('api_key_changes', '');
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger api_keys_changed after update of revoked_at, key_hash, role, cst_cd or delete on api_keys
    for each statement execute function notify_api_key_change()`.execute(db);
  await sql`
    create trigger api_keys_truncated after truncate on api_keys
    for each statement execute function notify_api_key_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger api_keys_truncated on api_keys`.execute(db);
  await sql`drop trigger api_keys_changed on api_keys`.execute(db);
  await sql`drop function notify_api_key_change()`.execute(db);
}
