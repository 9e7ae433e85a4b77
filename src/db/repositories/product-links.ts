import { sql, type ExpressionBuilder } from 'kysely';
import type { Database, Db } from '../database.js';
import { pageOf, type Page, type PageRequest } from '../page.js';
import { containsPattern } from '../text-search.js';
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

/** Replaces the links of many variants at once (each variant's goods replace its old ones). Run it in a transaction. */
export async function replaceProductLinks(db: Db, mallLinkId: string, links: ReadonlyMap<string, readonly ProductLinkComponent[]>): Promise<void> {
  const variantCodes = [...links.keys()];
  const rows = [...links].flatMap(([variantCode, components]) => components.map((c) => ({ mall_link_id: mallLinkId, variant_code: variantCode, cst_god_cd: c.cstGodCd, quantity: c.quantity })));
  // Bounded batches: one statement has at most 65535 parameters.
  for (let i = 0; i < variantCodes.length; i += 5000) {
    await db.deleteFrom('product_links').where('mall_link_id', '=', mallLinkId).where('variant_code', 'in', variantCodes.slice(i, i + 5000)).execute();
  }
  for (let i = 0; i < rows.length; i += 5000) await db.insertInto('product_links').values(rows.slice(i, i + 5000)).execute();
}

/** Every link of the mall, by variant code. */
export async function findAllProductLinks(db: Db, mallLinkId: string): Promise<Map<string, ProductLinkComponent[]>> {
  const rows = await db.selectFrom('product_links').select(['variant_code', 'cst_god_cd', 'quantity']).where('mall_link_id', '=', mallLinkId).orderBy('variant_code').orderBy('cst_god_cd').execute();
  const links = new Map<string, ProductLinkComponent[]>();
  for (const row of rows) links.set(row.variant_code, [...(links.get(row.variant_code) ?? []), { cstGodCd: row.cst_god_cd, quantity: row.quantity }]);
  return links;
}

/** Serializes changes to one mall's links until the transaction ends. */
export async function lockProductLinks(db: Db, mallLinkId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`product_links:${mallLinkId}`}))`.execute(db);
}

/** Filters of the link list; each absent filter lets every link through. */
export interface ProductLinkFilter {
  /** Links that ship this FMS goods (exact code). */
  cstGodCd?: string | undefined;
  /** In the imported catalogue (true) or not (false). */
  inCatalogue?: boolean | undefined;
  /** Case-insensitive text in the variant code, a goods code or the product name. */
  q?: string | undefined;
}

/** A listed link with what the imported catalogue says of its variant (null when it is not there). */
export interface ListedProductLink extends ProductLink {
  catalogue: { productName: string; optionText: string | null; linkable: boolean; unlinkableReason: string | null; goneAt: Date | null } | null;
}

/** Where a page of links continues: after this variant code. */
export interface ProductLinkPosition {
  variantCode: string;
}

/** A page of the mall's links in variant code order. */
export async function listProductLinks(db: Db, mallLinkId: string, filter: ProductLinkFilter, page: PageRequest<ProductLinkPosition>): Promise<Page<ListedProductLink, ProductLinkPosition>> {
  const inCatalogue = (eb: ExpressionBuilder<Database, 'product_links'>) =>
    eb.exists(
      eb
        .selectFrom('cafe24_catalogue_variants as cv')
        .select('cv.variant_code')
        .whereRef('cv.mall_link_id', '=', 'product_links.mall_link_id')
        .whereRef('cv.variant_code', '=', 'product_links.variant_code'),
    );
  let query = db.selectFrom('product_links').select('variant_code').distinct().where('mall_link_id', '=', mallLinkId);
  if (filter.cstGodCd !== undefined) {
    const cstGodCd = filter.cstGodCd;
    query = query.where('variant_code', 'in', (eb) => eb.selectFrom('product_links as g').select('g.variant_code').where('g.mall_link_id', '=', mallLinkId).where('g.cst_god_cd', '=', cstGodCd));
  }
  if (filter.inCatalogue !== undefined) query = query.where((eb) => (filter.inCatalogue ? inCatalogue(eb) : eb.not(inCatalogue(eb))));
  if (filter.q !== undefined && filter.q !== '') {
    const pattern = containsPattern(filter.q);
    query = query.where((eb) =>
      eb.or([
        eb('variant_code', 'ilike', pattern),
        eb('cst_god_cd', 'ilike', pattern),
        eb.exists(
          eb
            .selectFrom('cafe24_catalogue_variants as cv')
            .select('cv.variant_code')
            .whereRef('cv.mall_link_id', '=', 'product_links.mall_link_id')
            .whereRef('cv.variant_code', '=', 'product_links.variant_code')
            .where('cv.product_name', 'ilike', pattern),
        ),
      ]),
    );
  }
  if (page.after !== undefined) query = query.where('variant_code', '>', page.after.variantCode);
  const found = await query.orderBy('variant_code').limit(page.limit + 1).execute();
  const { rows, next } = pageOf(found, page.limit, (row) => ({ variantCode: row.variant_code }));
  const codes = rows.map((r) => r.variant_code);
  const [links, catalogue] = await Promise.all([
    findProductLinks(db, mallLinkId, codes),
    codes.length === 0
      ? []
      : db
          .selectFrom('cafe24_catalogue_variants')
          .select(['variant_code', 'product_name', 'option_text', 'linkable', 'unlinkable_reason', 'gone_at'])
          .where('mall_link_id', '=', mallLinkId)
          .where('variant_code', 'in', codes)
          .execute(),
  ]);
  const catalogueOf = new Map(catalogue.map((c) => [c.variant_code, c]));
  return {
    rows: links.map((link) => {
      const c = catalogueOf.get(link.variantCode);
      return {
        ...link,
        catalogue: c ? { productName: c.product_name, optionText: c.option_text, linkable: c.linkable, unlinkableReason: c.unlinkable_reason, goneAt: c.gone_at } : null,
      };
    }),
    next,
  };
}
