import { sql } from 'kysely';
import type { Db } from '../database.js';
import { epochMicros, fromEpochMicros, pageOf, type Page, type PageRequest } from '../page.js';
import type { Cafe24AuthStatus, MallLinkRow, MallLinkUpdate, NewMallLink } from '../../../db/schema.js';
import type { CollectionRules } from '../../domain/collection-window.js';
import { mallLinkDefaults, type MallLinkSettings } from '../../domain/mall-links.js';

// The only module that writes `mall_links`; the mapping between its columns and the domain sits here too.

/** The settings of a stored link, in domain terms (also the audit snapshot: nothing secret in it). */
export function settingsOf(row: MallLinkRow): MallLinkSettings {
  return {
    enabled: row.enabled,
    linkStartDate: row.link_start_date,
    collectionMethod: row.collection_method,
    collectOrderStatus: row.collect_order_status,
    minutesAfterPayment: row.minutes_after_payment,
    collectionRangeDays: row.collection_range_days,
    invoiceSyncEnabled: row.invoice_sync_enabled,
    invoiceDisplay: row.invoice_display,
    sender: row.sender_name !== null && row.sender_phone !== null ? { name: row.sender_name, phone: row.sender_phone } : null,
  };
}

/** Column values of the settings. */
export function settingsColumns(settings: MallLinkSettings) {
  return {
    enabled: settings.enabled,
    link_start_date: settings.linkStartDate,
    collection_method: settings.collectionMethod,
    collect_order_status: settings.collectOrderStatus,
    minutes_after_payment: settings.minutesAfterPayment,
    collection_range_days: settings.collectionRangeDays,
    invoice_sync_enabled: settings.invoiceSyncEnabled,
    invoice_display: settings.invoiceDisplay,
    sender_name: settings.sender?.name ?? null,
    sender_phone: settings.sender?.phone ?? null,
  };
}

/** What a collection run applies of the link's settings. */
export function collectionRulesOf(row: MallLinkRow): CollectionRules {
  return {
    collectOrderStatus: row.collect_order_status,
    minutesAfterPayment: row.minutes_after_payment,
    linkStartDate: row.link_start_date,
    collectionRangeDays: row.collection_range_days,
  };
}

/** A new link with the FMS form's defaults (DESIGN.md §2), for seeding and tests. */
export function newMallLinkWithDefaults(mallId: string, cstCd: string, linkStartDate: string): NewMallLink {
  return { platform: 'cafe24', mall_id: mallId, cst_cd: cstCd, ...settingsColumns({ ...mallLinkDefaults, linkStartDate }) };
}

export async function findMallLinkById(db: Db, id: string): Promise<MallLinkRow | undefined> {
  return db.selectFrom('mall_links').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findMallLinkByMallId(db: Db, platform: MallLinkRow['platform'], mallId: string): Promise<MallLinkRow | undefined> {
  return db.selectFrom('mall_links').selectAll().where('platform', '=', platform).where('mall_id', '=', mallId).executeTakeFirst();
}

/** Every link id, in id order (the schedule reconcile walks them). */
export async function listMallLinkIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('mall_links').select('id').orderBy('id').execute();
  return rows.map((row) => row.id);
}

/** The link's current version, or undefined once it is gone (tells a lost race from a deletion). */
export async function findMallLinkVersion(db: Db, id: string): Promise<number | undefined> {
  const row = await db.selectFrom('mall_links').select('version').where('id', '=', id).executeTakeFirst();
  return row?.version;
}

export async function insertMallLink(db: Db, link: NewMallLink): Promise<MallLinkRow> {
  return db.insertInto('mall_links').values(link).returningAll().executeTakeFirstOrThrow();
}

/** Inserts the link unless one exists for its mall id; returns the stored link either way (dev seeding). */
export async function insertMallLinkIfAbsent(db: Db, link: NewMallLink): Promise<MallLinkRow> {
  await db.insertInto('mall_links').values(link).onConflict((oc) => oc.columns(['platform', 'mall_id']).doNothing()).execute();
  const stored = await findMallLinkByMallId(db, link.platform, link.mall_id);
  if (!stored) throw new Error(`mall link ${link.mall_id} vanished right after insert`);
  return stored;
}

/** Is this PostgreSQL error the (platform, mall_id) uniqueness violation? */
export function isDuplicateMallId(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'code' in error && error.code === '23505' && 'constraint' in error && error.constraint === 'mall_links_platform_mall_id_key'
  );
}

export interface MallLinkFilter {
  /** Restricts to one customer (customer keys always pass theirs). */
  cstCd?: string;
  mallId?: string;
  enabled?: boolean;
  collectionMethod?: MallLinkRow['collection_method'];
}

/** Position after which a page starts: creation time in whole microseconds since the epoch (exact, unlike a JS Date) and id. */
export interface MallLinkPosition {
  createdAtMicros: string;
  id: string;
}

/** One page in creation order; `next` is where the following page starts, if there is one. */
export async function listMallLinks(db: Db, filter: MallLinkFilter, page: PageRequest<MallLinkPosition>): Promise<Page<MallLinkRow, MallLinkPosition>> {
  let query = db.selectFrom('mall_links').selectAll().select(epochMicros('created_at').as('created_at_micros'));
  if (filter.cstCd !== undefined) query = query.where('cst_cd', '=', filter.cstCd);
  if (filter.mallId !== undefined) query = query.where('mall_id', '=', filter.mallId);
  if (filter.enabled !== undefined) query = query.where('enabled', '=', filter.enabled);
  if (filter.collectionMethod !== undefined) query = query.where('collection_method', '=', filter.collectionMethod);
  if (page.after) query = query.where(sql<boolean>`(created_at, id) > (${fromEpochMicros(page.after.createdAtMicros)}, ${page.after.id}::uuid)`);
  const found = await query.orderBy('created_at').orderBy('id').limit(page.limit + 1).execute();
  const { rows, next } = pageOf(found, page.limit, (row) => ({ createdAtMicros: row.created_at_micros, id: row.id }));
  return { rows: rows.map(({ created_at_micros: _, ...row }) => row), next };
}

/**
 * Applies `changes` and bumps the version only if the row still has `expectedVersion`: of two
 * writers holding the same version exactly one gets the row back.
 */
export async function updateMallLinkIfVersion(db: Db, id: string, expectedVersion: number, changes: MallLinkUpdate): Promise<MallLinkRow | undefined> {
  return db
    .updateTable('mall_links')
    .set({ ...changes, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes the link (its shops cascade) if it still has `expectedVersion`. */
export async function deleteMallLinkIfVersion(db: Db, id: string, expectedVersion: number): Promise<boolean> {
  const result = await db.deleteFrom('mall_links').where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Records what the last schedule sync said; not a configuration change, so the version stays. A
 * row already in that state is not written again. Pending forgets the recorded revision: a failed
 * sync may have changed part of the schedules.
 */
export async function setScheduleState(db: Db, id: string, state: MallLinkRow['schedule_state']): Promise<void> {
  await db
    .updateTable('mall_links')
    .set({ schedule_state: state, ...(state === 'pending' ? { schedule_revision: null } : {}) })
    .where('id', '=', id)
    .where('schedule_state', '!=', state)
    .execute();
}

/** Before a sync changes the link's schedules: no revision is known to be in Temporal until it ends. */
export async function forgetScheduleRevision(db: Db, id: string): Promise<void> {
  await db.updateTable('mall_links').set({ schedule_revision: null }).where('id', '=', id).execute();
}

/** After a sync applied every schedule of the link: synced, and the revision Temporal now holds. */
export async function setSchedulesSynced(db: Db, id: string, revision: string): Promise<void> {
  await db
    .updateTable('mall_links')
    .set({ schedule_state: 'synced', schedule_revision: revision })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('schedule_state', '!=', 'synced'), eb('schedule_revision', 'is distinct from', revision)]))
    .execute();
}

/** Kept by the Cafe24 install callback and token refreshes; not a configuration change, so the version stays. */
export async function setCafe24AuthStatus(db: Db, id: string, status: Cafe24AuthStatus): Promise<void> {
  await db.updateTable('mall_links').set({ cafe24_auth_status: status, updated_at: new Date() }).where('id', '=', id).execute();
}

/** Reads the link and holds its row lock until the transaction ends (serialises shop changes). */
export async function lockMallLink(db: Db, id: string): Promise<MallLinkRow | undefined> {
  return db.selectFrom('mall_links').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}
