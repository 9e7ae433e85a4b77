import type { Db } from '../database.js';
import { pageOf, type Page, type PageRequest } from '../page.js';
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

/** Oldest first; the position is the entry id. */
export async function listAuditEntries(db: Db, mallLinkId: string, page: PageRequest<number>): Promise<Page<AuditLogRow, number>> {
  let query = db.selectFrom('audit_log').selectAll().where('mall_link_id', '=', mallLinkId);
  if (page.after !== undefined) query = query.where('id', '>', String(page.after));
  const found = await query.orderBy('id').limit(page.limit + 1).execute();
  return pageOf(found, page.limit, (row) => Number(row.id));
}
