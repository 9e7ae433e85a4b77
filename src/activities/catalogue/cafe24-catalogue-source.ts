import type { Cafe24AdminClient } from '../../clients/cafe24/admin-client.js';
import { toCatalogueProduct } from '../../clients/cafe24/product-mapping.js';
import type { CatalogueSource } from './ports.js';

/** The catalogue source on the Cafe24 admin client: shop 1's products, paced by the client's bucket. */
export function createCafe24CatalogueSource(admin: Pick<Cafe24AdminClient, 'productPage'>): CatalogueSource {
  return {
    async productPage(mall, { sinceProductNo, statuses }) {
      const page = await admin.productPage(mall, {
        shopNo: 1,
        sinceProductNo,
        withVariants: true,
        ...(statuses.includes('selling') ? { selling: 'T' as const } : {}),
        ...(statuses.includes('displayed') ? { display: 'T' as const } : {}),
      });
      return { products: page.products.map(toCatalogueProduct), next: page.next };
    },
  };
}
