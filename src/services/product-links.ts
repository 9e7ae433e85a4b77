import type { MallLinkRow } from '../../db/schema.js';
import type { Db } from '../db/database.js';
import type { Page, PageRequest } from '../db/page.js';
import { insertAuditEntries, type AuditEntry } from '../db/repositories/audit-log.js';
import { findCatalogueVariants, findCurrentCatalogueVariants, hasCatalogue } from '../db/repositories/cafe24-catalogue-variants.js';
import { findAllFmsGoods, findFmsGoodsRefresh, knownFmsGoodsCodes } from '../db/repositories/fms-goods.js';
import {
  deleteProductLink,
  findAllProductLinks,
  findProductLinks,
  listProductLinks as listProductLinkRows,
  lockProductLinks,
  replaceProductLinks,
  type ListedProductLink,
  type ProductLinkFilter,
  type ProductLinkPosition,
} from '../db/repositories/product-links.js';
import { findOpenUnlinkedOrders } from '../db/repositories/unlinked-orders.js';
import { countRowResults, linkSheetRows, planLinkSheetUpload, type RowReport, type RowResult } from '../domain/link-sheet.js';
import type { ProductLinkComponent, ProductLinkMap } from '../domain/link-resolution.js';
import type { StoredOrder } from '../domain/order.js';
import { summarizeOrder } from '../domain/order-summary.js';
import {
  linkRefusals,
  newlyReadyOrders,
  planAutoMatch,
  variantCodesOfHeldOrders,
  type AutoMatchPlan,
  type HeldOrder,
  type LinkCheckContext,
  type LinkRefusal,
} from '../domain/product-linking.js';
import { ConflictError, ServiceError } from './errors.js';
import { refreshFmsGoods, type FmsGoodsDeps } from './fms-goods.js';
import { LinkSheetRefusedError, readLinkSheetFile, writeLinkSheetXlsx, type LinkSheetLimits } from './link-sheet-file.js';
import type { Actor } from './mall-links.js';

/**
 * Product linking (상품연결) of a mall link: store one link, auto-match by the seller's own codes,
 * download and upload the link sheet. Every change is checked against the imported Cafe24
 * catalogue (once there is one) and FMS's goods master (cached, re-read when a code is missing or
 * the cache is old), is written with its audit entries in one transaction, and answers the held
 * unlinked orders it makes ready: the next collection run (slot or manual) requests them.
 */

export type ProductLinkServiceDeps = FmsGoodsDeps;

/** The link may not be stored; each reason is named. */
export class ProductLinkRefusedError extends ServiceError {
  constructor(
    readonly variantCode: string,
    readonly refusals: LinkRefusal[],
  ) {
    super(`link of variant ${variantCode} refused: ${refusals.map((r) => r.message).join('; ')}`);
    this.name = 'ProductLinkRefusedError';
  }
}

/** FMS could not be asked whether goods codes exist, and the cache does not know them. */
export class FmsGoodsUnavailableError extends ServiceError {
  constructor(readonly cstGodCds: string[]) {
    super(`FMS could not be reached to check goods ${cstGodCds.slice(0, 10).join(', ')}; try again shortly`);
    this.name = 'FmsGoodsUnavailableError';
  }
}

/** A cached goods master older than this is read again from FMS before it is trusted whole. */
export const fmsGoodsMaxAgeMs = 60 * 60_000;

const auditAction = {
  stored: 'product_link.stored',
  removed: 'product_link.removed',
  autoMatched: 'product_link.auto_matched',
  uploaded: 'product_link.uploaded',
} as const;

/** A held order a change made ready: the next collection run requests it. */
export interface ReadyOrderRef {
  orderId: string;
  shopNo: number;
  paidAt: string | null;
}

// Single flight per customer: concurrent checks share one read of the FMS master.
const refreshing = new Map<string, Promise<unknown>>();

async function refreshGoodsCache(deps: ProductLinkServiceDeps, cstCd: string): Promise<void> {
  const refresh = refreshing.get(cstCd) ?? refreshFmsGoods(deps, cstCd).finally(() => refreshing.delete(cstCd));
  refreshing.set(cstCd, refresh);
  await refresh;
}

/** Re-reads the master when it is missing or old; a failure leaves the old cache in use. */
async function freshenGoodsCache(deps: ProductLinkServiceDeps, cstCd: string, required: boolean): Promise<void> {
  const last = await findFmsGoodsRefresh(deps.db, cstCd);
  if (last && Date.now() - last.refreshedAt.getTime() < fmsGoodsMaxAgeMs) return;
  try {
    await refreshGoodsCache(deps, cstCd);
  } catch (err) {
    if (required && !last) throw new FmsGoodsUnavailableError([]);
    deps.log.warn({ err, cstCd }, 'FMS goods cache could not be refreshed; the cached goods are used');
  }
}

/** Which of these codes FMS knows: from the cache, re-read from FMS when one is missing or the cache is old. */
async function knownGoods(deps: ProductLinkServiceDeps, cstCd: string, codes: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Set();
  await freshenGoodsCache(deps, cstCd, false);
  const known = await knownFmsGoodsCodes(deps.db, cstCd, unique);
  if (known.size === unique.length) return known;
  // A goods code registered in FMS since the last read must not be refused: read FMS again.
  const missing = unique.filter((code) => !known.has(code));
  try {
    await refreshGoodsCache(deps, cstCd);
  } catch (err) {
    deps.log.warn({ err, cstCd, missing: missing.length }, 'FMS goods could not be read');
    throw new FmsGoodsUnavailableError(missing);
  }
  return knownFmsGoodsCodes(deps.db, cstCd, unique);
}

/** The open held orders, each limited to the items it is held for. */
async function heldOrdersOf(db: Db, mallLinkId: string): Promise<HeldOrder[]> {
  return (await findOpenUnlinkedOrders(db, mallLinkId)).map(({ held, raw }): HeldOrder => {
    const heldItems = new Set(held.items.map((i) => i.orderItemCode));
    if (raw) {
      const summary = summarizeOrder(raw as StoredOrder);
      return { ...summary, items: summary.items.filter((i) => heldItems.has(i.orderItemCode)) };
    }
    // Without the stored order, the held items alone (no bundle detail) decide.
    return {
      orderId: held.order_id,
      shopNo: held.shop_no,
      paid: true,
      canceled: 'F',
      paidAt: held.paid_at?.toISOString() ?? null,
      items: held.items.map((i) => ({ orderItemCode: i.orderItemCode, variantCode: i.variantCode, optionType: null, quantity: 1, status: '', hasOpenClaim: false, bundleComponents: null })),
    };
  });
}

/** What a variant is checked against: the catalogue (if imported), held orders, and FMS goods. */
async function checkContext(deps: ProductLinkServiceDeps, link: MallLinkRow, variantCodes: readonly string[], goodsCodes: readonly string[], held: readonly HeldOrder[]): Promise<LinkCheckContext> {
  const [imported, variants, goods] = await Promise.all([
    hasCatalogue(deps.db, link.id),
    findCatalogueVariants(deps.db, link.id, [...new Set(variantCodes)]),
    knownGoods(deps, link.cst_cd, goodsCodes),
  ]);
  // A variant gone from Cafe24 may still be on held orders: it stays linkable by its last facts.
  const facts = new Map(variants.map((v) => [v.variantCode, { linkable: v.linkable, unlinkableReason: v.unlinkableReason }]));
  const heldCodes = variantCodesOfHeldOrders(held);
  return { catalogueImported: imported, variant: (code) => facts.get(code), onHeldOrder: (code) => heldCodes.has(code), goodsKnown: (code) => goods.has(code) };
}

const linkRecord = (variantCode: string, components: readonly ProductLinkComponent[] | undefined) => (components ? { variantCode, components } : null);

/**
 * Writes the changed links with one audit entry per variant, in one transaction, and returns the
 * held orders (as read for the checks) that were not ready before and are now.
 */
async function applyChanges(
  deps: ProductLinkServiceDeps,
  actor: Actor,
  link: MallLinkRow,
  changes: ReadonlyMap<string, ProductLinkComponent[]>,
  action: string,
  held: readonly HeldOrder[],
): Promise<ReadyOrderRef[]> {
  if (changes.size === 0) return [];
  return deps.db.transaction().execute(async (tx) => {
    await lockProductLinks(tx, link.id);
    const codes = [...new Set([...changes.keys(), ...variantCodesOfHeldOrders(held)])];
    const before: ProductLinkMap = new Map((await findProductLinks(tx, link.id, codes)).map((l) => [l.variantCode, l.components]));
    const after: ProductLinkMap = new Map([...before, ...changes]);
    await replaceProductLinks(tx, link.id, changes);
    const entries: AuditEntry[] = [...changes].map(([variantCode, components]) => ({
      mallLinkId: link.id,
      actorKeyId: actor.keyId,
      action,
      before: linkRecord(variantCode, before.get(variantCode)),
      after: linkRecord(variantCode, components),
    }));
    await insertAuditEntries(tx, entries);
    return newlyReadyOrders(held, before, after).map((o) => ({ orderId: o.orderId, shopNo: o.shopNo, paidAt: o.paidAt }));
  });
}

export interface StoredLink {
  variantCode: string;
  components: ProductLinkComponent[];
  readyOrders: ReadyOrderRef[];
}

/** Creates or replaces one variant's link. Throws ProductLinkRefusedError, FmsGoodsUnavailableError. */
export async function storeProductLink(deps: ProductLinkServiceDeps, actor: Actor, link: MallLinkRow, variantCode: string, components: ProductLinkComponent[]): Promise<StoredLink> {
  const held = await heldOrdersOf(deps.db, link.id);
  const context = await checkContext(deps, link, [variantCode], components.map((c) => c.cstGodCd), held);
  const refusals = linkRefusals(variantCode, components, context);
  if (refusals.length > 0) throw new ProductLinkRefusedError(variantCode, refusals);
  const readyOrders = await applyChanges(deps, actor, link, new Map([[variantCode, components]]), auditAction.stored, held);
  deps.log.info({ mallLinkId: link.id, variantCode, components: components.length, readyOrders: readyOrders.length }, 'product link stored');
  return { variantCode, components, readyOrders };
}

/** Removes a variant's link (audited); false when it had none. */
export async function removeProductLink(deps: ProductLinkServiceDeps, actor: Actor, link: MallLinkRow, variantCode: string): Promise<boolean> {
  const removed = await deps.db.transaction().execute(async (tx) => {
    await lockProductLinks(tx, link.id);
    const [before] = await findProductLinks(tx, link.id, [variantCode]);
    if (!before || !(await deleteProductLink(tx, link.id, variantCode))) return false;
    await insertAuditEntries(tx, [{ mallLinkId: link.id, actorKeyId: actor.keyId, action: auditAction.removed, before: linkRecord(variantCode, before.components), after: null }]);
    return true;
  });
  if (removed) deps.log.info({ mallLinkId: link.id, variantCode }, 'product link removed');
  return removed;
}

export async function listProductLinks(
  deps: Pick<ProductLinkServiceDeps, 'db'>,
  link: MallLinkRow,
  filter: ProductLinkFilter,
  page: PageRequest<ProductLinkPosition>,
): Promise<Page<ListedProductLink, ProductLinkPosition>> {
  return listProductLinkRows(deps.db, link.id, filter, page);
}

export interface AutoMatchResult extends AutoMatchPlan {
  dryRun: boolean;
  /** How many links were written (0 in a dry run). */
  linked: number;
  readyOrders: ReadyOrderRef[];
}

/**
 * Links variants whose own code names exactly one FMS goods (see planAutoMatch); a dry run only
 * answers the plan. Needs an imported catalogue: throws ConflictError without one.
 */
export async function autoMatchProductLinks(deps: ProductLinkServiceDeps, actor: Actor, link: MallLinkRow, options: { dryRun: boolean }): Promise<AutoMatchResult> {
  if (!(await hasCatalogue(deps.db, link.id))) {
    throw new ConflictError('catalogue-not-imported', 'Catalogue Not Imported', 'auto-match compares the imported Cafe24 catalogue with FMS goods: import the catalogue first (POST …/product-imports)');
  }
  await freshenGoodsCache(deps, link.cst_cd, true);
  const [variants, goods, current] = await Promise.all([findCurrentCatalogueVariants(deps.db, link.id), findAllFmsGoods(deps.db, link.cst_cd), findAllProductLinks(deps.db, link.id)]);
  const plan = planAutoMatch(
    variants.filter((v) => v.variantCode !== '').map((v) => ({ ...v, hasOptions: v.hasOption })),
    goods,
    current,
  );
  if (options.dryRun) return { ...plan, dryRun: true, linked: 0, readyOrders: [] };
  const changes = new Map(plan.link.map((m) => [m.variantCode, [{ cstGodCd: m.cstGodCd, quantity: 1 }]]));
  const readyOrders = await applyChanges(deps, actor, link, changes, auditAction.autoMatched, await heldOrdersOf(deps.db, link.id));
  deps.log.info({ mallLinkId: link.id, linked: changes.size, ambiguous: plan.ambiguous.length, readyOrders: readyOrders.length }, 'product links auto-matched');
  return { ...plan, dryRun: false, linked: changes.size, readyOrders };
}

/**
 * The link sheet as .xlsx: one row per imported variant still on Cafe24 (or, before any import,
 * per linked variant), with its current goods; a set has one row per goods.
 */
export async function linkSheetWorkbook(deps: Pick<ProductLinkServiceDeps, 'db'>, link: MallLinkRow): Promise<Buffer> {
  const [variants, links] = await Promise.all([findCurrentCatalogueVariants(deps.db, link.id), findAllProductLinks(deps.db, link.id)]);
  const sheetVariants =
    variants.length > 0
      ? variants.filter((v) => v.variantCode !== '')
      : [...links.keys()].map((variantCode) => ({ variantCode, productName: null, optionText: null, customProductCode: null, customVariantCode: null, linkable: true, unlinkableReason: null }));
  return writeLinkSheetXlsx(linkSheetRows(sheetVariants, links));
}

export interface UploadResult {
  applied: true;
  partial: boolean;
  counts: Record<RowResult, number>;
  rows: RowReport[];
  readyOrders: ReadyOrderRef[];
}

/**
 * Applies an uploaded link sheet: every row checked, then all of it (or with `partial`, its valid
 * variants only) written in one transaction. Throws LinkSheetRefusedError when the file is refused
 * as a whole or (without `partial`) any row is refused — nothing is written then.
 */
export async function uploadLinkSheet(
  deps: ProductLinkServiceDeps,
  actor: Actor,
  link: MallLinkRow,
  file: { name: string; type: string; bytes: Uint8Array },
  options: { partial: boolean; limits: LinkSheetLimits },
): Promise<UploadResult> {
  const uploaded = await readLinkSheetFile(file, options.limits);
  const held = await heldOrdersOf(deps.db, link.id);
  const variantCodes = uploaded.map((r) => r.variantCode).filter((code) => code !== '');
  const context = await checkContext(deps, link, variantCodes, uploaded.map((r) => r.cstGodCd).filter((code) => code !== ''), held);
  const current: ProductLinkMap = new Map((await findProductLinks(deps.db, link.id, [...new Set(variantCodes)])).map((l) => [l.variantCode, l.components]));
  const plan = planLinkSheetUpload(uploaded, context, current);
  if (plan.conflicts.length > 0) {
    const first = plan.conflicts[0]!;
    throw new LinkSheetRefusedError(
      'upload-conflicting-rows',
      'Conflicting Rows',
      `rows ${first.rows.join(', ')} give variant ${first.variantCode} and goods ${first.cstGodCd} different quantities${plan.conflicts.length > 1 ? ` (and ${plan.conflicts.length - 1} more conflicts)` : ''}`,
      { conflicts: plan.conflicts },
    );
  }
  const counts = countRowResults(plan.rows);
  if (counts.refused > 0 && !options.partial) {
    throw new LinkSheetRefusedError('upload-rows-refused', 'Rows Refused', `${counts.refused} of ${plan.rows.length} rows are refused; nothing was linked. Fix them, or upload with ?partial=true to link the valid rows`, {
      counts,
      rows: plan.rows,
    });
  }
  const readyOrders = await applyChanges(deps, actor, link, plan.changes, auditAction.uploaded, held);
  deps.log.info({ mallLinkId: link.id, ...counts, variants: plan.changes.size, readyOrders: readyOrders.length }, 'link sheet applied');
  return { applied: true, partial: options.partial, counts, rows: plan.rows, readyOrders };
}
