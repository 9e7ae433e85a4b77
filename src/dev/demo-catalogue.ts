import { createDb } from '../db/database.js';
import { findProductLinks, replaceProductLink } from '../db/repositories/product-links.js';
import type { ProductLinkComponent } from '../domain/link-resolution.js';
import type { SimProduct } from '../sim/cafe24/catalog.js';
import { cafe24SimControl } from '../sim/cafe24/index.js';
import type { FmsSimControl } from '../sim/fms/server.js';

/** Products of the demo mall left without a product link on purpose: their orders wait as `no_link`. */
const deliberatelyUnlinkedProductNos = new Set([19]);

export interface DemoCatalogue {
  /** The FMS goods of the demo customer: one per variant of an ordinary product (linked or not). */
  goods: { cstGodCd: string; godNm: string }[];
  links: { variantCode: string; components: ProductLinkComponent[] }[];
  /** Variants without a link: 상품 연동형 (cannot be linked) and the deliberately unlinked products. */
  unlinkedVariantCodes: string[];
}

/**
 * The demo mall's links: every variant of an ordinary product ships as its own FMS goods (the
 * variant's SKU); set products ship as their components' links; 상품 연동형 products cannot be
 * linked and a few products stay unlinked, so a demo collection shows requested and held orders —
 * and, once the catalogue is imported, auto-match links them (their SKUs are FMS goods).
 */
export function demoCatalogue(products: readonly SimProduct[]): DemoCatalogue {
  const catalogue: DemoCatalogue = { goods: [], links: [], unlinkedVariantCodes: [] };
  for (const product of products) {
    const ordinary = product.product_bundle === 'F' && product.option_type !== 'E';
    const linked = ordinary && !deliberatelyUnlinkedProductNos.has(product.product_no);
    for (const variant of product.variants) {
      const options = variant.options.map((o) => o.value).join('/');
      // The deliberately unlinked products' goods exist in FMS too: auto-match (their SKU is the goods code) links them.
      if (ordinary) catalogue.goods.push({ cstGodCd: variant.custom_variant_code, godNm: options ? `${product.product_name} (${options})` : product.product_name });
      if (!linked) {
        // A set ships as its components (linked here), so it needs no link of its own.
        if (product.product_bundle === 'F') catalogue.unlinkedVariantCodes.push(variant.variant_code);
        continue;
      }
      catalogue.links.push({ variantCode: variant.variant_code, components: [{ cstGodCd: variant.custom_variant_code, quantity: 1 }] });
    }
  }
  return catalogue;
}

/**
 * `npm start`: gives the FMS simulator the demo customer's goods and links the demo mall's
 * variants to them. Links are written only while the demo link has none, so links changed
 * through the API survive a restart.
 */
export async function seedDemoCatalogue(options: { databaseUrl: string; cafe24SimUrl: string; mallId: string; mallLinkId: string; cstCd: string; fms: FmsSimControl }): Promise<DemoCatalogue> {
  const catalogue = demoCatalogue(await cafe24SimControl(options.cafe24SimUrl).products(options.mallId));
  options.fms.replaceGoods(options.cstCd, catalogue.goods);
  const db = createDb(options.databaseUrl, { maxConnections: 1 });
  try {
    const existing = await findProductLinks(db, options.mallLinkId, catalogue.links.map((l) => l.variantCode));
    if (existing.length === 0) {
      for (const link of catalogue.links) await replaceProductLink(db, options.mallLinkId, link.variantCode, link.components);
    }
  } finally {
    await db.destroy();
  }
  return catalogue;
}
