import type { CatalogueImportStatus, ProductStatusFilter } from '../domain/catalogue.js';

/**
 * The contract of the catalogue import (카페24 상품 가져오기): its workflow's input and result and
 * the activities it calls. Products and variants go straight to PostgreSQL; only the import id,
 * the paging checkpoint (a product_no) and counts pass through history.
 */

/** Failure types of the import activities that no retry can fix. */
export const catalogueErrorTypes = { importNotFound: 'CatalogueImportNotFound', linkNotFound: 'MallLinkNotFound' } as const;

export interface ImportCatalogueInput {
  mallLinkId: string;
  /** The import row the API created (cafe24_catalogue_imports). */
  importId: string;
  /** Pages per workflow run before it continues as new (default 100, i.e. 10,000 products): keeps histories short. */
  pagesPerRun?: number;
  /** Set only when a run continues as new. */
  resume?: CatalogueImportProgress;
}

/** The signature clients start `importCatalogue` with. */
export type ImportCatalogueWorkflow = (input: ImportCatalogueInput) => Promise<CatalogueImportProgress>;

/** Where an import stands: what the Temporal UI query and every continued run carry. */
export interface CatalogueImportProgress {
  importId: string;
  mallLinkId: string;
  mallId: string;
  statuses: ProductStatusFilter[];
  status: CatalogueImportStatus;
  /** The next page starts after this product_no; null once every page is in. */
  sinceProductNo: number | null;
  pages: number;
  productsSeen: number;
  variantsSeen: number;
  variantsNew: number;
  variantsGone: number;
}

/** The workflow's query answering its CatalogueImportProgress (also shown as its current details). */
export const catalogueImportProgressQueryName = 'catalogueImportProgress';

/** The activities importCatalogue calls, as the worker registers them. */
export interface CatalogueImportActivities {
  /** Notes the workflow on the import row and returns where the import stands (a retried workflow resumes there). */
  beginCatalogueImport(input: { importId: string; workflowId: string; runId: string }): Promise<CatalogueImportProgress>;
  /**
   * One Cafe24 page (≤100 products with their variants) into PostgreSQL, the checkpoint moved in
   * the same transaction; a page already recorded (a retry after a lost answer) is not read again.
   */
  importCataloguePage(input: { importId: string; sinceProductNo: number }): Promise<CatalogueImportProgress>;
  /** Marks what the import did not see as gone and closes the import row. */
  completeCatalogueImport(input: { importId: string }): Promise<CatalogueImportProgress>;
  failCatalogueImport(input: { importId: string; error: string }): Promise<void>;
}
