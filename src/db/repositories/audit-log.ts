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

const auditRow = (entry: AuditEntry) => ({
  mall_link_id: entry.mallLinkId,
  actor_key_id: entry.actorKeyId,
  action: entry.action,
  before: entry.before === null ? null : JSON.stringify(entry.before),
  after: entry.after === null ? null : JSON.stringify(entry.after),
});

export async function insertAuditEntry(db: Db, entry: AuditEntry): Promise<void> {
  await db.insertInto('audit_log').values(auditRow(entry)).execute();
}

/** Many entries in few statements (e.g. one per variant of a bulk link change), in the order given. */
export async function insertAuditEntries(db: Db, entries: readonly AuditEntry[]): Promise<void> {
  // Bounded batches: one INSERT has at most 65535 parameters.
  for (let i = 0; i < entries.length; i += 2000) await db.insertInto('audit_log').values(entries.slice(i, i + 2000).map(auditRow)).execute();
}

/** Oldest first; the position is the entry id. */
export async function listAuditEntries(db: Db, mallLinkId: string, page: PageRequest<number>): Promise<Page<AuditLogRow, number>> {
  let query = db.selectFrom('audit_log').selectAll().where('mall_link_id', '=', mallLinkId);
  if (page.after !== undefined) query = query.where('id', '>', String(page.after));
  const found = await query.orderBy('id').limit(page.limit + 1).execute();
  return pageOf(found, page.limit, (row) => Number(row.id));
}
