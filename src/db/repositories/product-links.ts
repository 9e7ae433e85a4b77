import type { Db } from '../database.js';
import type { ProductLinkComponent } from '../../domain/link-resolution.js';

/** A product link: one Cafe24 variant and the FMS goods it ships as. */
export interface ProductLink {
  variantCode: string;
  components: ProductLinkComponent[];
  updatedAt: Date;
}

/** Replaces the link of one variant. Run it in a transaction: it deletes, then inserts. */
export async function replaceProductLink(db: Db, mallLinkId: string, variantCode: string, components: readonly ProductLinkComponent[]): Promise<void> {
  await deleteProductLink(db, mallLinkId, variantCode);
  await db
    .insertInto('product_links')
    .values(components.map((c) => ({ mall_link_id: mallLinkId, variant_code: variantCode, cst_god_cd: c.cstGodCd, quantity: c.quantity })))
    .execute();
}

/** Removes a variant's link; false when there was none. */
export async function deleteProductLink(db: Db, mallLinkId: string, variantCode: string): Promise<boolean> {
  const result = await db.deleteFrom('product_links').where('mall_link_id', '=', mallLinkId).where('variant_code', '=', variantCode).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The links of these variants (those that have one). */
export async function findProductLinks(db: Db, mallLinkId: string, variantCodes: readonly string[]): Promise<ProductLink[]> {
  if (variantCodes.length === 0) return [];
  const rows = await db
    .selectFrom('product_links')
    .selectAll()
    .where('mall_link_id', '=', mallLinkId)
    .where('variant_code', 'in', variantCodes)
    .orderBy('variant_code')
    .orderBy('cst_god_cd')
    .execute();
  const links = new Map<string, ProductLink>();
  for (const row of rows) {
    const link = links.get(row.variant_code) ?? { variantCode: row.variant_code, components: [], updatedAt: row.updated_at };
    link.components.push({ cstGodCd: row.cst_god_cd, quantity: row.quantity });
    links.set(row.variant_code, link);
  }
  return [...links.values()];
}
