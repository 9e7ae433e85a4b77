import { sql } from 'kysely';
import type { Db } from '../database.js';
import type { CatalogueImportRow } from '../../../db/schema.js';
import type { CatalogueImportStatus, ProductStatusFilter } from '../../domain/catalogue.js';

/** One import of a link's Cafe24 catalogue: scope, checkpoint and progress. */
export interface CatalogueImport {
  id: string;
  mallLinkId: string;
  statuses: ProductStatusFilter[];
  status: CatalogueImportStatus;
  workflowId: string | null;
  runId: string | null;
  /** The next page starts after this product_no. */
  sinceProductNo: number;
  /** Every page is in; what is left is marking gone variants. */
  pagingDone: boolean;
  pages: number;
  productsSeen: number;
  variantsSeen: number;
  variantsNew: number;
  variantsGone: number;
  error: string | null;
  startedAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

export const toCatalogueImport = (row: CatalogueImportRow): CatalogueImport => ({
  id: row.id,
  mallLinkId: row.mall_link_id,
  statuses: row.statuses,
  status: row.status,
  workflowId: row.workflow_id,
  runId: row.run_id,
  sinceProductNo: row.since_product_no,
  pagingDone: row.paging_done,
  pages: row.pages,
  productsSeen: row.products_seen,
  variantsSeen: row.variants_seen,
  variantsNew: row.variants_new,
  variantsGone: row.variants_gone,
  error: row.error,
  startedAt: row.started_at,
  updatedAt: row.updated_at,
  finishedAt: row.finished_at,
});

export async function createCatalogueImport(db: Db, mallLinkId: string, statuses: readonly ProductStatusFilter[]): Promise<CatalogueImport> {
  const row = await db.insertInto('cafe24_catalogue_imports').values({ mall_link_id: mallLinkId, statuses: [...statuses] }).returningAll().executeTakeFirstOrThrow();
  return toCatalogueImport(row);
}

/** Notes the workflow run that carries the import. */
export async function setCatalogueImportWorkflow(db: Db, importId: string, workflowId: string, runId: string): Promise<void> {
  await db.updateTable('cafe24_catalogue_imports').set({ workflow_id: workflowId, run_id: runId }).where('id', '=', importId).execute();
}

/** Removes an import no workflow was started for (e.g. another import of the link was running). */
export async function deleteCatalogueImport(db: Db, importId: string): Promise<void> {
  await db.deleteFrom('cafe24_catalogue_imports').where('id', '=', importId).execute();
}

export async function findCatalogueImport(db: Db, importId: string): Promise<CatalogueImport | undefined> {
  const row = await db.selectFrom('cafe24_catalogue_imports').selectAll().where('id', '=', importId).executeTakeFirst();
  return row && toCatalogueImport(row);
}

/** The link's most recent import, if any. */
export async function findLatestCatalogueImport(db: Db, mallLinkId: string): Promise<CatalogueImport | undefined> {
  const row = await db
    .selectFrom('cafe24_catalogue_imports')
    .selectAll()
    .where('mall_link_id', '=', mallLinkId)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toCatalogueImport(row);
}

export interface CatalogueImportPage {
  /** Where this page started; the checkpoint only moves when it still is there. */
  sinceProductNo: number;
  /** Where the next page starts; null after the last page. */
  nextSinceProductNo: number | null;
  products: number;
  variants: number;
  variantsNew: number;
}

/**
 * Moves the checkpoint past one page and adds its counts, once: a page recorded again (a retried
 * activity whose first try committed) finds the checkpoint moved and changes nothing. Run it in the
 * transaction that wrote the page's variants. Returns whether it applied.
 */
export async function recordCatalogueImportPage(db: Db, importId: string, page: CatalogueImportPage): Promise<boolean> {
  const result = await db
    .updateTable('cafe24_catalogue_imports')
    .set((eb) => ({
      since_product_no: page.nextSinceProductNo ?? page.sinceProductNo,
      paging_done: page.nextSinceProductNo === null,
      pages: eb('pages', '+', 1),
      products_seen: eb('products_seen', '+', page.products),
      variants_seen: eb('variants_seen', '+', page.variants),
      variants_new: eb('variants_new', '+', page.variantsNew),
      updated_at: sql<Date>`now()`,
    }))
    .where('id', '=', importId)
    .where('since_product_no', '=', page.sinceProductNo)
    .where('paging_done', '=', false)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Ends an import (once: a finished import keeps its first outcome). */
export async function finishCatalogueImport(
  db: Db,
  importId: string,
  outcome: { status: Exclude<CatalogueImportStatus, 'running'>; variantsGone: number; error: string | null },
): Promise<CatalogueImport | undefined> {
  const row = await db
    .updateTable('cafe24_catalogue_imports')
    .set({ status: outcome.status, variants_gone: outcome.variantsGone, error: outcome.error, finished_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', importId)
    .where('status', '=', 'running')
    .returningAll()
    .executeTakeFirst();
  return row && toCatalogueImport(row);
}
