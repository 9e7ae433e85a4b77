import type { CatalogueProductInput, ProductStatusFilter } from '../../domain/catalogue.js';

/**
 * Where the catalogue comes from (Cafe24's products with their variants), as a narrow port: the
 * worker wires it to the Cafe24 client. Errors thrown are retried by the activity's retry policy
 * unless they are non-retryable failures.
 */
export interface CatalogueSource {
  /** Products after `sinceProductNo` in product_no order; `next` is where the following page starts, null after the last. */
  productPage(
    mall: { mallLinkId: string; mallId: string },
    query: { sinceProductNo: number; statuses: readonly ProductStatusFilter[] },
  ): Promise<{ products: CatalogueProductInput[]; next: number | null }>;
}
