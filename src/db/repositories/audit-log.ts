import type { Db } from '../database.js';
import type { AuditLogRow } from '../../../db/schema.js';

export interface AuditEntry {
  mallLinkId: string;
  actorKeyId: string | null;
  action: string;
  /** Snapshots in API terms; callers leave secrets out. */
  before: unknown;
  after: unknown;
}

export async function insertAuditEntry(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      mall_link_id: entry.mallLinkId,
      actor_key_id: entry.actorKeyId,
      action: entry.action,
      before: entry.before === null ? null : JSON.stringify(entry.before),
      after: entry.after === null ? null : JSON.stringify(entry.after),
    })
    .execute();
}

/** Oldest first; `afterId` continues a previous page. */
export async function listAuditEntries(db: Db, mallLinkId: string, page: { afterId?: number; limit: number }): Promise<{ rows: AuditLogRow[]; nextAfterId: number | null }> {
  let query = db.selectFrom('audit_log').selectAll().where('mall_link_id', '=', mallLinkId);
  if (page.afterId !== undefined) query = query.where('id', '>', String(page.afterId));
  const found = await query.orderBy('id').limit(page.limit + 1).execute();
  const rows = found.slice(0, page.limit);
  return { rows, nextAfterId: found.length > page.limit ? Number(rows.at(-1)!.id) : null };
}
