import { sql } from 'kysely';
import type { AlertRow } from '../../../db/schema.js';
import type { AlertCondition, AlertEvent, AlertKind, OpenAlertRef, PendingAlertEvent } from '../../domain/alerts.js';
import type { Db } from '../database.js';
import { pageOf, type Page, type PageRequest } from '../page.js';

/** An open alert as the diff needs it. */
export const openAlertRef = (row: AlertRow): OpenAlertRef & { row: AlertRow } => ({ id: row.id, kind: row.kind, mallLinkId: row.mall_link_id, subject: row.subject, row });

export async function listOpenAlerts(db: Db): Promise<AlertRow[]> {
  return db.selectFrom('alerts').selectAll().where('status', '=', 'open').orderBy('id').execute();
}

/**
 * Opens an alert per condition that has none open; a condition already open (a concurrent
 * evaluation, or the immediate re-authorization path) is left alone. Returns the ones opened.
 */
export async function insertOpenAlerts(db: Db, conditions: readonly AlertCondition[]): Promise<AlertRow[]> {
  if (conditions.length === 0) return [];
  return db
    .insertInto('alerts')
    .values(
      conditions.map((c) => ({
        kind: c.kind,
        mall_link_id: c.mallLinkId,
        subject: c.subject,
        since: c.since,
        message: c.message,
        action: c.action,
        details: JSON.stringify(c.details),
        updated_at: sql<Date>`now()`,
      })),
    )
    // The partial unique index (one open alert per kind, link and subject) is the arbiter.
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .execute();
}

/** Closes the given alerts if still open; returns the ones this call closed. */
export async function closeAlerts(db: Db, ids: readonly number[]): Promise<AlertRow[]> {
  if (ids.length === 0) return [];
  return db
    .updateTable('alerts')
    .set({ status: 'closed', closed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', 'in', ids)
    .where('status', '=', 'open')
    .returningAll()
    .execute();
}

/** Closes the open alerts of one kind on one link; returns the ones closed. */
export async function closeLinkAlerts(db: Db, mallLinkId: string, kind: AlertKind): Promise<AlertRow[]> {
  return db
    .updateTable('alerts')
    .set({ status: 'closed', closed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('mall_link_id', '=', mallLinkId)
    .where('kind', '=', kind)
    .where('status', '=', 'open')
    .returningAll()
    .execute();
}

/** An open alert's text and details follow its condition (e.g. more missed slots); no event. */
export async function refreshOpenAlert(db: Db, id: number, condition: AlertCondition): Promise<void> {
  await db
    .updateTable('alerts')
    .set({ message: condition.message, action: condition.action, details: JSON.stringify(condition.details), updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where((eb) => eb.or([eb('message', '!=', condition.message), eb('action', '!=', condition.action), eb(sql`details`, '!=', sql`${JSON.stringify(condition.details)}::jsonb`)]))
    .execute();
}

/** Webhook events not yet delivered, oldest first: each opening, and each closing. */
export async function listUndeliveredAlertEvents(db: Db, limit: number): Promise<PendingAlertEvent[]> {
  const rows = await db
    .selectFrom('alerts')
    .select(['id', 'status', 'opened_notified_at', 'closed_notified_at'])
    .where((eb) => eb.or([eb('opened_notified_at', 'is', null), eb.and([eb('status', '=', 'closed'), eb('closed_notified_at', 'is', null)])]))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.flatMap((row) => [
    ...(row.opened_notified_at === null ? [{ alertId: row.id, event: 'alert.opened' as const }] : []),
    ...(row.status === 'closed' && row.closed_notified_at === null ? [{ alertId: row.id, event: 'alert.closed' as const }] : []),
  ]);
}

/** Marks these events delivered (the webhook answered 2xx). */
export async function markAlertEventsDelivered(db: Db, ids: readonly number[], event: AlertEvent): Promise<void> {
  if (ids.length === 0) return;
  const column = event === 'alert.opened' ? 'opened_notified_at' : 'closed_notified_at';
  await db.updateTable('alerts').set({ [column]: sql<Date>`now()` }).where('id', 'in', ids).where(column, 'is', null).execute();
}

/** With no webhook configured, every event so far counts as delivered (nothing piles up). */
export async function markEveryAlertEventDelivered(db: Db): Promise<void> {
  await db.updateTable('alerts').set({ opened_notified_at: sql<Date>`now()` }).where('opened_notified_at', 'is', null).execute();
  await db.updateTable('alerts').set({ closed_notified_at: sql<Date>`now()` }).where('status', '=', 'closed').where('closed_notified_at', 'is', null).execute();
}

export async function findAlert(db: Db, id: number): Promise<AlertRow | undefined> {
  return db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface AlertFilter {
  status?: 'open' | 'closed' | undefined;
  kind?: AlertKind | undefined;
  mallLinkId?: string | undefined;
  /** A customer key sees only alerts of its own links (never system-wide ones). */
  cstCd?: string | undefined;
}

/** Alerts newest first; a page continues below the previous page's last id. */
export async function listAlerts(db: Db, filter: AlertFilter, page: PageRequest<number>): Promise<Page<AlertRow, number>> {
  let query = db.selectFrom('alerts').selectAll('alerts');
  if (filter.status !== undefined) query = query.where('alerts.status', '=', filter.status);
  if (filter.kind !== undefined) query = query.where('alerts.kind', '=', filter.kind);
  if (filter.mallLinkId !== undefined) query = query.where('alerts.mall_link_id', '=', filter.mallLinkId);
  if (filter.cstCd !== undefined) {
    const cstCd = filter.cstCd;
    query = query.where('alerts.mall_link_id', 'in', (eb) => eb.selectFrom('mall_links').select('mall_links.id').where('mall_links.cst_cd', '=', cstCd));
  }
  if (page.after !== undefined) query = query.where('alerts.id', '<', page.after);
  const rows = await query.orderBy('alerts.id', 'desc').limit(page.limit + 1).execute();
  return pageOf(rows, page.limit, (row) => row.id);
}

/** An alert as the API and the webhook show it. */
export function alertView(row: AlertRow) {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    mallLinkId: row.mall_link_id,
    subject: row.subject,
    since: row.since.toISOString(),
    message: row.message,
    action: row.action,
    details: row.details,
    openedAt: row.opened_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}
