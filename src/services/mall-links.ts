import type { Client } from '@temporalio/client';
import type { CollectionRunRow, InvoiceSyncRunRow, MallLinkRow, MallLinkShopRow } from '../../db/schema.js';
import type { Db } from '../db/database.js';
import type { Page, PageRequest } from '../db/page.js';
import { insertAuditEntry, listAuditEntries } from '../db/repositories/audit-log.js';
import { hasCollectedOrders } from '../db/repositories/collected-orders.js';
import { findLinkWithStatusRows, type LinkWithStatusRows } from '../db/read-models/link-status.js';
import { decideMallLinkShop, listMallLinkShops, listShopsOfMallLinks, requestMallLinkShop } from '../db/repositories/mall-link-shops.js';
import {
  deleteMallLinkIfVersion,
  findMallLinkByMallId,
  findMallLinkVersion,
  insertMallLink,
  isDuplicateMallId,
  listMallLinks as listMallLinkRows,
  lockMallLink,
  setScheduleState,
  settingsColumns,
  settingsOf,
  updateMallLinkIfVersion,
  type MallLinkFilter,
  type MallLinkPosition,
} from '../db/repositories/mall-links.js';
import {
  canDecideShop,
  defaultLinkStartDate,
  defaultShopNo,
  fmsLinkGaps,
  mallLinkDefaults,
  sellerChecklist,
  settingsDiff,
  settingsProblems,
  shopRequestRefusal,
  type MallLinkSettings,
} from '../domain/mall-links.js';
import type { Logger } from '../logger.js';
import { linkScheduleStatus, recordedLinkScheduleStatus } from '../schedules/preview.js';
import type { ScheduleSync } from '../schedules/schedule-sync.js';
import type { ScheduleSettings } from '../schedules/spec.js';
import { ConflictError, InvalidInputError, NotFoundError, VersionMismatchError } from './errors.js';

/**
 * Changes to mall links and their shops: each one commits the change and its audit entry together,
 * checks the caller's version where the caller holds one, then brings the link's Temporal schedules
 * in line. Who may touch which link is the caller's business (the API checks it before calling).
 */

export interface MallLinkServiceDeps {
  db: Db;
  temporal: Client;
  schedules: ScheduleSync;
  log: Logger;
}

/** The API key a change is recorded against in the audit trail. */
export interface Actor {
  keyId: string;
}

/** Whether the caller's idea of the link's version (e.g. an If-Match header) admits the stored one. */
export type VersionCheck = (currentVersion: number) => boolean;

export type ScheduleState = MallLinkRow['schedule_state'];

/** A link as it stands after an operation: the row, its extra shops and what the schedule sync said. */
export interface MallLinkView {
  link: MallLinkRow;
  shops: MallLinkShopRow[];
  scheduleState: ScheduleState;
}

/** A shop change: the shop, the link's new version and what the schedule sync said. */
export interface ShopChange {
  shop: MallLinkShopRow;
  version: number;
  scheduleState: ScheduleState;
}

/** The mall id is linked already; `existing` is that link (absent if it vanished meanwhile). */
export class MallIdTakenError extends ConflictError {
  constructor(
    readonly mallId: string,
    readonly existing: { id: string; cstCd: string } | undefined,
  ) {
    super('mall-id-taken', 'Mall Already Linked', `mall ${mallId} is already linked`);
    this.name = 'MallIdTakenError';
  }
}

const auditAction = {
  created: 'mall_link.created',
  updated: 'mall_link.updated',
  deleted: 'mall_link.deleted',
  shopRequested: 'shop.requested',
  shopApproved: 'shop.approved',
  shopRejected: 'shop.rejected',
} as const;

const mallLinkWhat = (id: string) => `mall link ${id}`;

const withoutUndefined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

function assertValid(settings: MallLinkSettings): void {
  const problems = settingsProblems(settings);
  if (problems.length > 0) throw new InvalidInputError(problems);
}

function assertVersion(link: MallLinkRow, accepts: VersionCheck): void {
  if (!accepts(link.version)) throw new VersionMismatchError('link', link.version);
}

/** Thrown inside a change's transaction, rolling it back, when a concurrent writer changed the link first. */
class LinkChangedMeanwhile extends Error {}

/**
 * Runs `change` in a transaction on the link as the caller read it, without a lock (the common
 * case: nobody else writes the link). When a concurrent writer changed it first (`change` threw
 * LinkChangedMeanwhile), runs `change` once more on the link as it now stands, read under its row
 * lock so that no writer can come between: a request without If-Match applies on top of the other
 * change, while one whose If-Match named the version it read is refused by `accepts`. `locked`
 * skips the lock-free try, for a change that must hold the lock before it reads anything else.
 * Throws VersionMismatchError, NotFoundError (the link was deleted meanwhile).
 */
async function changeLink<T>(
  db: Db,
  link: MallLinkRow,
  accepts: VersionCheck,
  change: (tx: Db, link: MallLinkRow) => Promise<T>,
  { locked = false }: { locked?: boolean } = {},
): Promise<T> {
  assertVersion(link, accepts);
  if (!locked) {
    try {
      return await db.transaction().execute((tx) => change(tx, link));
    } catch (error) {
      if (!(error instanceof LinkChangedMeanwhile)) throw error;
    }
  }
  return db.transaction().execute(async (tx) => {
    const current = (await lockMallLink(tx, link.id)) ?? (await lostRace(tx, link.id));
    assertVersion(current, accepts);
    return change(tx, current);
  });
}

/** A concurrent writer got there first (or deleted the link). */
async function lostRace(db: Db, linkId: string): Promise<never> {
  const version = await findMallLinkVersion(db, linkId);
  throw version === undefined ? new NotFoundError(mallLinkWhat(linkId)) : new VersionMismatchError('link', version);
}

/** What the audit trail keeps of a shop. */
export function shopRecord(shop: MallLinkShopRow) {
  return { shopNo: shop.shop_no, status: shop.status, requestedAt: shop.requested_at.toISOString(), decidedAt: shop.decided_at?.toISOString() ?? null };
}

const implicitDefaultShop = { shopNo: defaultShopNo, status: 'active' as const, requestedAt: null, decidedAt: null };

/** Shop 1 (implicit, always active) and the extra shops. */
export function shopRecords(shops: readonly MallLinkShopRow[]) {
  return [implicitDefaultShop, ...shops.map(shopRecord)];
}

/** The link without what is derived per request (install URL, schedule state): also the audit snapshot. */
export function mallLinkRecord(row: MallLinkRow, shops: readonly MallLinkShopRow[]) {
  return {
    id: row.id,
    platform: row.platform,
    mallId: row.mall_id,
    cstCd: row.cst_cd,
    ...settingsOf(row),
    shops: shopRecords(shops),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * Brings the link's schedules in line after a committed change. A failure never fails the
 * operation: the link is marked pending and the periodic reconcile repairs it.
 */
async function syncSchedules({ db, schedules, log }: MallLinkServiceDeps, mallLinkId: string): Promise<ScheduleState> {
  let state: ScheduleState;
  try {
    state = await schedules.syncLink(mallLinkId);
  } catch (err) {
    log.warn({ err, mallLinkId }, 'schedule sync failed; link left pending');
    state = 'pending';
  }
  try {
    await setScheduleState(db, mallLinkId, state);
  } catch (err) {
    log.error({ err, mallLinkId }, 'could not record the schedule state');
  }
  return state;
}

export interface NewMallLinkInput {
  platform: MallLinkRow['platform'];
  mallId: string;
  cstCd: string;
  /** Settings given; the rest take the defaults (link start: tomorrow in KST). */
  settings: { [K in keyof MallLinkSettings]?: MallLinkSettings[K] | undefined };
  /** Extra shops to request along with the link. */
  shopNos: readonly number[];
}

/** Creates the link and its shop requests. Throws InvalidInputError, MallIdTakenError. */
export async function createMallLink(deps: MallLinkServiceDeps, actor: Actor, input: NewMallLinkInput): Promise<MallLinkView> {
  const settings: MallLinkSettings = { ...mallLinkDefaults, linkStartDate: defaultLinkStartDate(new Date()), ...withoutUndefined(input.settings) };
  assertValid(settings);
  const { db } = deps;
  let created;
  try {
    created = await db.transaction().execute(async (tx) => {
      const link = await insertMallLink(tx, { platform: input.platform, mall_id: input.mallId, cst_cd: input.cstCd, ...settingsColumns(settings) });
      const shops = [];
      for (const shopNo of input.shopNos) shops.push(await requestMallLinkShop(tx, link.id, shopNo));
      await insertAuditEntry(tx, { mallLinkId: link.id, actorKeyId: actor.keyId, action: auditAction.created, before: null, after: mallLinkRecord(link, shops) });
      return { link, shops };
    });
  } catch (error) {
    if (!isDuplicateMallId(error)) throw error;
    const existing = await findMallLinkByMallId(db, input.platform, input.mallId);
    throw new MallIdTakenError(input.mallId, existing && { id: existing.id, cstCd: existing.cst_cd });
  }
  return { ...created, scheduleState: await syncSchedules(deps, created.link.id) };
}

/** One page of links in creation order, each with its extra shops. */
export async function listMallLinks(
  deps: Pick<MallLinkServiceDeps, 'db'>,
  filter: MallLinkFilter,
  page: PageRequest<MallLinkPosition>,
): Promise<Page<{ link: MallLinkRow; shops: MallLinkShopRow[] }, MallLinkPosition>> {
  const { rows, next } = await listMallLinkRows(deps.db, filter, page);
  const shops = await listShopsOfMallLinks(deps.db, rows.map((row) => row.id));
  return { rows: rows.map((link) => ({ link, shops: shops.filter((shop) => shop.mall_link_id === link.id) })), next };
}

/** The link as stored, with its extra shops. */
export async function viewMallLink(deps: Pick<MallLinkServiceDeps, 'db'>, link: MallLinkRow): Promise<MallLinkView> {
  return { link, shops: await listMallLinkShops(deps.db, link.id), scheduleState: link.schedule_state };
}

/**
 * Applies the changed settings if `accepts` admits the stored version; a change another writer
 * committed meanwhile is kept and this one applied on top of it. Nothing changed: nothing is written
 * and the schedules are left alone. Throws VersionMismatchError, InvalidInputError, NotFoundError.
 */
export async function updateMallLink(
  deps: MallLinkServiceDeps,
  actor: Actor,
  link: MallLinkRow,
  accepts: VersionCheck,
  changes: { [K in keyof MallLinkSettings]?: MallLinkSettings[K] | undefined },
): Promise<MallLinkView> {
  const settingsChange = (link: MallLinkRow) => {
    const current = settingsOf(link);
    const next: MallLinkSettings = { ...current, ...withoutUndefined(changes) };
    // Contradictions within the request are refused by the API schema; what is left conflicts with the stored settings.
    const problems = settingsProblems(next);
    if (problems.length > 0) {
      throw new ConflictError('settings-conflict', 'Conflict', `${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}; the link's stored settings do not allow this change alone`);
    }
    const diff = settingsDiff(current, next);
    return diff && { next, diff };
  };
  assertVersion(link, accepts);
  if (!settingsChange(link)) return viewMallLink(deps, link);
  const { db } = deps;
  const written = await changeLink(db, link, accepts, async (tx, link) => {
    const change = settingsChange(link);
    // Another writer made this very change meanwhile.
    if (!change) return { link, changed: false };
    const row = await updateMallLinkIfVersion(tx, link.id, link.version, settingsColumns(change.next));
    if (!row) throw new LinkChangedMeanwhile();
    await insertAuditEntry(tx, { mallLinkId: link.id, actorKeyId: actor.keyId, action: auditAction.updated, ...change.diff });
    return { link: row, changed: true };
  });
  if (!written.changed) return viewMallLink(deps, written.link);
  const scheduleState = await syncSchedules(deps, link.id);
  return { link: written.link, shops: await listMallLinkShops(db, link.id), scheduleState };
}

/**
 * Deletes the link (its shops cascade) and then its schedules. Refused once orders were collected
 * through it: their history would lose its link. Throws VersionMismatchError, ConflictError, NotFoundError.
 */
export async function deleteMallLink(deps: MallLinkServiceDeps, actor: Actor, link: MallLinkRow, accepts: VersionCheck): Promise<void> {
  const { db } = deps;
  // Under the link's lock from the start: a collection still writing its first orders holds the
  // link's key share lock, so the check waits for them to commit instead of missing them and
  // cascading them away.
  await changeLink(
    db,
    link,
    accepts,
    async (tx, link) => {
      if (await hasCollectedOrders(tx, link.id)) {
        throw new ConflictError('link-has-orders', 'Link Has Orders', 'orders were collected through this link; disable it instead (PATCH enabled: false) to keep their history');
      }
      const shops = await listMallLinkShops(tx, link.id);
      await insertAuditEntry(tx, { mallLinkId: link.id, actorKeyId: actor.keyId, action: auditAction.deleted, before: mallLinkRecord(link, shops), after: null });
      await deleteMallLinkIfVersion(tx, link.id, link.version);
    },
    { locked: true },
  );
  // The reconcile removes the schedules of a link that no longer exists.
  await syncSchedules(deps, link.id);
}

export async function listShops(deps: Pick<MallLinkServiceDeps, 'db'>, mallLinkId: string): Promise<MallLinkShopRow[]> {
  return listMallLinkShops(deps.db, mallLinkId);
}

/** Requests an extra shop; bumps the link's version. Throws ConflictError (duplicate, limit), NotFoundError. */
export async function requestShop(deps: MallLinkServiceDeps, actor: Actor, mallLinkId: string, shopNo: number): Promise<ShopChange> {
  const result = await deps.db.transaction().execute(async (tx) => {
    const locked = (await lockMallLink(tx, mallLinkId)) ?? (await lostRace(tx, mallLinkId));
    const existing = (await listMallLinkShops(tx, mallLinkId)).map((s) => ({ shopNo: s.shop_no, status: s.status }));
    const refusal = shopRequestRefusal(existing, shopNo);
    if (refusal?.kind === 'duplicate') throw new ConflictError('shop-exists', 'Shop Already Requested', `shop ${shopNo} is already ${refusal.status}`);
    if (refusal?.kind === 'limit') throw new ConflictError('shop-limit', 'Shop Limit Reached', `a mall link has at most ${refusal.limit} extra shops (requested or active)`);
    const shop = await requestMallLinkShop(tx, mallLinkId, shopNo);
    const row = (await updateMallLinkIfVersion(tx, mallLinkId, locked.version, {})) ?? (await lostRace(tx, mallLinkId));
    await insertAuditEntry(tx, { mallLinkId, actorKeyId: actor.keyId, action: auditAction.shopRequested, before: null, after: shopRecord(shop) });
    return { shop, version: row.version };
  });
  return { ...result, scheduleState: await syncSchedules(deps, mallLinkId) };
}

/** Approves (active) or rejects a requested shop; bumps the link's version. Throws NotFoundError, ConflictError. */
export async function decideShop(deps: MallLinkServiceDeps, actor: Actor, mallLinkId: string, shopNo: number, status: 'active' | 'rejected'): Promise<ShopChange> {
  const result = await deps.db.transaction().execute(async (tx) => {
    const locked = (await lockMallLink(tx, mallLinkId)) ?? (await lostRace(tx, mallLinkId));
    const before = (await listMallLinkShops(tx, mallLinkId)).find((s) => s.shop_no === shopNo);
    if (!before) throw new NotFoundError(`shop ${shopNo} of mall link ${mallLinkId}`);
    if (!canDecideShop(before.status)) throw new ConflictError('shop-already-decided', 'Shop Already Decided', `shop ${shopNo} is already ${before.status}`);
    const shop = (await decideMallLinkShop(tx, mallLinkId, shopNo, status))!;
    const row = (await updateMallLinkIfVersion(tx, mallLinkId, locked.version, {})) ?? (await lostRace(tx, mallLinkId));
    await insertAuditEntry(tx, {
      mallLinkId,
      actorKeyId: actor.keyId,
      action: status === 'active' ? auditAction.shopApproved : auditAction.shopRejected,
      before: shopRecord(before),
      after: shopRecord(shop),
    });
    return { shop, version: row.version };
  });
  return { ...result, scheduleState: await syncSchedules(deps, mallLinkId) };
}

export async function listAudit(deps: Pick<MallLinkServiceDeps, 'db'>, mallLinkId: string, page: PageRequest<number>) {
  return listAuditEntries(deps.db, mallLinkId, page);
}

/** How long the status waits for Temporal's view of the schedule before leaving it null. */
const statusScheduleDeadlineMs = 3_000;

export interface MallLinkStatus {
  link: MallLinkRow;
  fmsLink: { gaps: { path: string; message: string }[]; sellerChecklist: string[] };
  /** Temporal's view of the collection schedule; null when Temporal did not answer in time. */
  schedule: { paused: boolean | null; note: string | null; nextRunTimes: string[] } | null;
  tokenExpiry: { accessTokenExpiresAt: Date; refreshTokenExpiresAt: Date } | null;
  lastRun: CollectionRunRow | null;
  lastInvoiceSync: InvoiceSyncRunRow | null;
  unlinkedOrderCount: number;
}

/**
 * The collection schedule's status: from what the last sync recorded in PostgreSQL when that shows
 * Temporal holds the link's current schedules (recordedLinkScheduleStatus; the usual case, no
 * call to Temporal), else Temporal's own view, best effort: an outage leaves it null.
 */
async function scheduleStatus({ temporal, db, log }: MallLinkServiceDeps, link: MallLinkRow, scheduleSettings: ScheduleSettings): Promise<MallLinkStatus['schedule']> {
  const recorded = await recordedLinkScheduleStatus({ db, settings: scheduleSettings }, link);
  if (recorded) return recorded;
  return temporal.connection
    .withDeadline(Date.now() + statusScheduleDeadlineMs, () => linkScheduleStatus({ db, temporal }, link))
    .catch((err: unknown) => {
      log.warn({ err, mallLinkId: link.id }, 'schedule status unavailable');
      return null;
    });
}

/** The link with this id and what its status shows from PostgreSQL, read together; undefined when there is no such link. */
export async function findLinkForStatus(deps: Pick<MallLinkServiceDeps, 'db'>, mallLinkId: string): Promise<LinkWithStatusRows | undefined> {
  return findLinkWithStatusRows(deps.db, mallLinkId);
}

/** Everything the link status shows: the rows read with the link, and the schedule from its record or (when that does not settle it) Temporal. */
export async function mallLinkStatus(deps: MallLinkServiceDeps, { link, rows }: LinkWithStatusRows, scheduleSettings: ScheduleSettings): Promise<MallLinkStatus> {
  const settings = settingsOf(link);
  const schedule = await scheduleStatus(deps, link, scheduleSettings);
  return {
    link,
    fmsLink: { gaps: fmsLinkGaps(settings), sellerChecklist: sellerChecklist(settings) },
    schedule,
    tokenExpiry: rows.tokenExpiry,
    lastRun: rows.lastRun,
    lastInvoiceSync: rows.lastInvoiceSync,
    unlinkedOrderCount: rows.openUnlinkedOrders,
  };
}
