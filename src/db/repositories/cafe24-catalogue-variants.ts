import { sql, type ExpressionBuilder } from 'kysely';
import type { Database, Db } from '../database.js';
import { pageOf, type Page, type PageRequest } from '../page.js';
import { containsPattern } from '../text-search.js';
import type { CatalogueVariantRow } from '../../../db/schema.js';
import type { CatalogueVariant, ProductStatusFilter } from '../../domain/catalogue.js';
import type { ProductLinkComponent } from '../../domain/link-resolution.js';
import type { OptionType } from '../../domain/order.js';

/** A stored catalogue variant: what Cafe24 said at the last import that saw it, and when. */
export interface StoredCatalogueVariant extends CatalogueVariant {
  /** Set when an import that covered it no longer found it on Cafe24. */
  goneAt: Date | null;
  importedAt: Date;
  updatedAt: Date;
}

export const toStoredCatalogueVariant = (row: CatalogueVariantRow): StoredCatalogueVariant => ({
  productNo: row.product_no,
  variantCode: row.variant_code,
  productCode: row.product_code,
  productName: row.product_name,
  customProductCode: row.custom_product_code,
  customVariantCode: row.custom_variant_code,
  hasOption: row.has_option,
  optionType: row.option_type as OptionType | null,
  options: row.options,
  optionText: row.option_text,
  setProduct: row.set_product,
  selling: row.selling,
  display: row.display,
  linkable: row.linkable,
  unlinkableReason: row.unlinkable_reason,
  goneAt: row.gone_at,
  importedAt: row.imported_at,
  updatedAt: row.updated_at,
});

/**
 * Writes one page of an import: new variants are inserted, known ones updated (and back from gone),
 * each stamped with the import that saw it. Idempotent: a page written twice leaves the same rows.
 * Returns how many rows were new.
 */
export async function upsertCatalogueVariants(db: Db, mallLinkId: string, importId: string, variants: readonly CatalogueVariant[]): Promise<{ added: number }> {
  if (variants.length === 0) return { added: 0 };
  const rows = await db
    .insertInto('cafe24_catalogue_variants')
    .values(
      variants.map((v) => ({
        mall_link_id: mallLinkId,
        product_no: v.productNo,
        variant_code: v.variantCode,
        product_code: v.productCode,
        product_name: v.productName,
        custom_product_code: v.customProductCode,
        custom_variant_code: v.customVariantCode,
        has_option: v.hasOption,
        option_type: v.optionType,
        options: JSON.stringify(v.options),
        option_text: v.optionText,
        set_product: v.setProduct,
        selling: v.selling,
        display: v.display,
        linkable: v.linkable,
        unlinkable_reason: v.unlinkableReason,
        last_import_id: importId,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['mall_link_id', 'product_no', 'variant_code']).doUpdateSet((eb) => ({
        product_code: eb.ref('excluded.product_code'),
        product_name: eb.ref('excluded.product_name'),
        custom_product_code: eb.ref('excluded.custom_product_code'),
        custom_variant_code: eb.ref('excluded.custom_variant_code'),
        has_option: eb.ref('excluded.has_option'),
        option_type: eb.ref('excluded.option_type'),
        options: eb.ref('excluded.options'),
        option_text: eb.ref('excluded.option_text'),
        set_product: eb.ref('excluded.set_product'),
        selling: eb.ref('excluded.selling'),
        display: eb.ref('excluded.display'),
        linkable: eb.ref('excluded.linkable'),
        unlinkable_reason: eb.ref('excluded.unlinkable_reason'),
        last_import_id: eb.ref('excluded.last_import_id'),
        gone_at: null,
        updated_at: sql<Date>`now()`,
      })),
    )
    .returning(sql<boolean>`xmax = 0`.as('created'))
    .execute();
  return { added: rows.filter((r) => r.created).length };
}

/**
 * After a complete import: variants it did not see, though its statuses covered them, are marked
 * gone (never deleted: their links and history stay readable). Returns how many.
 */
export async function markCatalogueVariantsGone(db: Db, mallLinkId: string, importId: string, statuses: readonly ProductStatusFilter[]): Promise<number> {
  let query = db
    .updateTable('cafe24_catalogue_variants')
    .set({ gone_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('mall_link_id', '=', mallLinkId)
    .where('gone_at', 'is', null)
    .where((eb) => eb.or([eb('last_import_id', 'is', null), eb('last_import_id', '!=', importId)]));
  if (statuses.includes('selling')) query = query.where('selling', '=', true);
  if (statuses.includes('displayed')) query = query.where('display', '=', true);
  return Number((await query.executeTakeFirst()).numUpdatedRows);
}

/** A link's stored variants, product by product. */
const variantsInCatalogueOrder = (db: Db, mallLinkId: string) =>
  db.selectFrom('cafe24_catalogue_variants').selectAll().where('mall_link_id', '=', mallLinkId).orderBy('product_no').orderBy('variant_code');

/** The stored variants with these 품목코드 (gone ones included: check `goneAt`). */
export async function findCatalogueVariants(db: Db, mallLinkId: string, variantCodes: readonly string[]): Promise<StoredCatalogueVariant[]> {
  const codes = variantCodes.filter((code) => code !== '');
  if (codes.length === 0) return [];
  const rows = await variantsInCatalogueOrder(db, mallLinkId).where('variant_code', 'in', codes).execute();
  return rows.map(toStoredCatalogueVariant);
}

/** Every variant still on Cafe24 (not gone), in catalogue order: e.g. for auto-match or the link sheet. */
export async function findCurrentCatalogueVariants(db: Db, mallLinkId: string): Promise<StoredCatalogueVariant[]> {
  const rows = await variantsInCatalogueOrder(db, mallLinkId).where('gone_at', 'is', null).execute();
  return rows.map(toStoredCatalogueVariant);
}

/** Whether the link's catalogue was ever imported (only then can a variant code be checked against it). */
export async function hasCatalogue(db: Db, mallLinkId: string): Promise<boolean> {
  const row = await db.selectFrom('cafe24_catalogue_variants').select('variant_code').where('mall_link_id', '=', mallLinkId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Filters of the catalogue list; each absent filter lets every row through. */
export interface CatalogueVariantFilter {
  /** Has a product link (true) or none (false). */
  linked?: boolean | undefined;
  linkable?: boolean | undefined;
  optionType?: OptionType | 'none' | undefined;
  selling?: boolean | undefined;
  display?: boolean | undefined;
  /** Marked gone (true) or still on Cafe24 (false). */
  gone?: boolean | undefined;
  /** Case-insensitive text in the product name, 품목코드 or custom codes (자체 상품/품목코드). */
  q?: string | undefined;
}

/** Where a page of the catalogue continues: after this product and variant. */
export interface CatalogueVariantPosition {
  productNo: number;
  variantCode: string;
}

/** A listed variant with the FMS goods it is linked to (empty when unlinked). */
export interface ListedCatalogueVariant extends StoredCatalogueVariant {
  linkedGoods: ProductLinkComponent[];
}

const hasLink = (eb: ExpressionBuilder<Database, 'cafe24_catalogue_variants'>) =>
  eb.exists(
    eb
      .selectFrom('product_links')
      .select('product_links.variant_code')
      .whereRef('product_links.mall_link_id', '=', 'cafe24_catalogue_variants.mall_link_id')
      .whereRef('product_links.variant_code', '=', 'cafe24_catalogue_variants.variant_code'),
  );

/** A page of the link's catalogue in product, then variant code order. */
export async function listCatalogueVariants(
  db: Db,
  mallLinkId: string,
  filter: CatalogueVariantFilter,
  page: PageRequest<CatalogueVariantPosition>,
): Promise<Page<ListedCatalogueVariant, CatalogueVariantPosition>> {
  let query = db.selectFrom('cafe24_catalogue_variants').selectAll().where('mall_link_id', '=', mallLinkId);
  if (filter.linked !== undefined) query = query.where((eb) => (filter.linked ? hasLink(eb) : eb.not(hasLink(eb))));
  if (filter.linkable !== undefined) query = query.where('linkable', '=', filter.linkable);
  if (filter.optionType !== undefined) query = filter.optionType === 'none' ? query.where('option_type', 'is', null) : query.where('option_type', '=', filter.optionType);
  if (filter.selling !== undefined) query = query.where('selling', '=', filter.selling);
  if (filter.display !== undefined) query = query.where('display', '=', filter.display);
  if (filter.gone !== undefined) query = query.where('gone_at', filter.gone ? 'is not' : 'is', null);
  if (filter.q !== undefined && filter.q !== '') {
    const pattern = containsPattern(filter.q);
    query = query.where((eb) =>
      eb.or([
        eb('product_name', 'ilike', pattern),
        eb('variant_code', 'ilike', pattern),
        eb('custom_variant_code', 'ilike', pattern),
        eb('custom_product_code', 'ilike', pattern),
      ]),
    );
  }
  if (page.after !== undefined) {
    const { productNo, variantCode } = page.after;
    query = query.where((eb) => eb.or([eb('product_no', '>', productNo), eb.and([eb('product_no', '=', productNo), eb('variant_code', '>', variantCode)])]));
  }
  const found = await query.orderBy('product_no').orderBy('variant_code').limit(page.limit + 1).execute();
  const { rows, next } = pageOf(found, page.limit, (row) => ({ productNo: row.product_no, variantCode: row.variant_code }));
  const codes = rows.map((row) => row.variant_code).filter((code) => code !== '');
  const links =
    codes.length === 0
      ? []
      : await db
          .selectFrom('product_links')
          .select(['variant_code', 'cst_god_cd', 'quantity'])
          .where('mall_link_id', '=', mallLinkId)
          .where('variant_code', 'in', codes)
          .orderBy('variant_code')
          .orderBy('cst_god_cd')
          .execute();
  const goodsOf = new Map<string, ProductLinkComponent[]>();
  for (const link of links) goodsOf.set(link.variant_code, [...(goodsOf.get(link.variant_code) ?? []), { cstGodCd: link.cst_god_cd, quantity: link.quantity }]);
  return { rows: rows.map((row) => ({ ...toStoredCatalogueVariant(row), linkedGoods: goodsOf.get(row.variant_code) ?? [] })), next };
}
