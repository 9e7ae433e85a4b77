import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueVariantsOf, type CatalogueProductInput } from '../../../src/domain/catalogue.js';
import {
  createCatalogueImport,
  findCatalogueImport,
  finishCatalogueImport,
  recordCatalogueImportPage,
} from '../../../src/db/repositories/cafe24-catalogue-imports.js';
import {
  findCatalogueVariants,
  hasCatalogue,
  listCatalogueVariants,
  markCatalogueVariantsGone,
  upsertCatalogueVariants,
} from '../../../src/db/repositories/cafe24-catalogue-variants.js';
import { findFmsGoodsRefresh, knownFmsGoodsCodes, listFmsGoods, replaceFmsGoods } from '../../../src/db/repositories/fms-goods.js';
import { replaceProductLink } from '../../../src/db/repositories/product-links.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { insertTestMallLink } from '../../support/mall-link-fixtures.js';

const product = (productNo: number, overrides: Partial<CatalogueProductInput> = {}): CatalogueProductInput => ({
  productNo,
  productCode: `P${productNo}`,
  productName: `상품 ${productNo}`,
  customProductCode: `CP-${productNo}`,
  hasOption: true,
  optionType: 'C',
  setProduct: false,
  selling: true,
  display: true,
  variants: [1, 2].map((i) => ({ variantCode: `P${productNo}00${i}`, customVariantCode: `SKU-${productNo}-${i}`, options: [{ name: '색상', value: `c${i}` }], selling: null, display: null })),
  ...overrides,
});

describe('catalogue and FMS goods repositories on real PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  it('re-import updates rows, never duplicates them, and marks what an import no longer saw as gone', async () => {
    const { db } = database;
    const link = await insertTestMallLink(db);
    expect(await hasCatalogue(db, link.id)).toBe(false);

    const first = await createCatalogueImport(db, link.id, []);
    const rows = [product(10), product(11, { optionType: 'E', variants: [{ variantCode: 'P11000A', customVariantCode: null, options: [], selling: null, display: null }] })].flatMap(catalogueVariantsOf);
    expect(await upsertCatalogueVariants(db, link.id, first.id, rows)).toEqual({ added: 3 });
    expect(await upsertCatalogueVariants(db, link.id, first.id, rows)).toEqual({ added: 0 });
    expect(await markCatalogueVariantsGone(db, link.id, first.id, [])).toBe(0);

    const second = await createCatalogueImport(db, link.id, []);
    await upsertCatalogueVariants(db, link.id, second.id, catalogueVariantsOf(product(10, { productName: '새 이름' })));
    expect(await markCatalogueVariantsGone(db, link.id, second.id, [])).toBe(1);

    const stored = await findCatalogueVariants(db, link.id, ['P10001', 'P11000A', 'unknown']);
    expect(stored.map((v) => [v.variantCode, v.productName, v.goneAt !== null, v.linkable, v.unlinkableReason])).toEqual([
      ['P10001', '새 이름', false, true, null],
      ['P11000A', '상품 11', true, false, 'unlinkable_option_type'],
    ]);
    expect(await hasCatalogue(db, link.id)).toBe(true);
  });

  it('an import limited to selling products marks only selling ones gone', async () => {
    const { db } = database;
    const link = await insertTestMallLink(db);
    const all = await createCatalogueImport(db, link.id, []);
    await upsertCatalogueVariants(db, link.id, all.id, [product(20), product(21, { selling: false })].flatMap(catalogueVariantsOf));
    const selling = await createCatalogueImport(db, link.id, ['selling']);
    expect(await markCatalogueVariantsGone(db, link.id, selling.id, ['selling'])).toBe(2);
    const gone = await listCatalogueVariants(db, link.id, { gone: true }, { limit: 10 });
    expect(gone.rows.map((v) => v.productNo)).toEqual([20, 20]);
  });

  it('records each page once and finishes once', async () => {
    const { db } = database;
    const link = await insertTestMallLink(db);
    const run = await createCatalogueImport(db, link.id, ['selling', 'displayed']);
    const page = { sinceProductNo: 0, nextSinceProductNo: 109, products: 100, variants: 250, variantsNew: 250 };
    expect(await recordCatalogueImportPage(db, run.id, page)).toBe(true);
    expect(await recordCatalogueImportPage(db, run.id, page)).toBe(false);
    expect(await recordCatalogueImportPage(db, run.id, { sinceProductNo: 109, nextSinceProductNo: null, products: 3, variants: 3, variantsNew: 0 })).toBe(true);
    const finished = await finishCatalogueImport(db, run.id, { status: 'completed', variantsGone: 2, error: null });
    expect(finished).toMatchObject({ status: 'completed', pages: 2, productsSeen: 103, variantsSeen: 253, variantsNew: 250, variantsGone: 2, sinceProductNo: 109, pagingDone: true });
    expect(await finishCatalogueImport(db, run.id, { status: 'failed', variantsGone: 0, error: 'late' })).toBeUndefined();
    expect((await findCatalogueImport(db, run.id))?.status).toBe('completed');
  });

  it('lists with filters, text search, linked goods and keyset pages', async () => {
    const { db } = database;
    const link = await insertTestMallLink(db);
    const run = await createCatalogueImport(db, link.id, []);
    await upsertCatalogueVariants(db, link.id, run.id, [30, 31, 32].map((n) => product(n)).flatMap(catalogueVariantsOf));
    await replaceProductLink(db, link.id, 'P31002', [{ cstGodCd: 'G-1', quantity: 2 }]);

    const linked = await listCatalogueVariants(db, link.id, { linked: true }, { limit: 10 });
    expect(linked.rows.map((v) => [v.variantCode, v.linkedGoods])).toEqual([['P31002', [{ cstGodCd: 'G-1', quantity: 2 }]]]);
    expect((await listCatalogueVariants(db, link.id, { linked: false }, { limit: 10 })).rows).toHaveLength(5);
    expect((await listCatalogueVariants(db, link.id, { q: 'sku-32' }, { limit: 10 })).rows.map((v) => v.variantCode)).toEqual(['P32001', 'P32002']);
    expect((await listCatalogueVariants(db, link.id, { q: '100%' }, { limit: 10 })).rows).toEqual([]);

    const seen: string[] = [];
    let after;
    do {
      const page = await listCatalogueVariants(db, link.id, {}, { limit: 4, after });
      seen.push(...page.rows.map((v) => v.variantCode));
      after = page.next ?? undefined;
    } while (after);
    expect(seen).toEqual(['P30001', 'P30002', 'P31001', 'P31002', 'P32001', 'P32002']);
  });

  it('the FMS goods cache is replaced whole and searched', async () => {
    const { db } = database;
    expect(await findFmsGoodsRefresh(db, 'CST1')).toBeUndefined();
    const goods = (code: string, name: string) => ({ cstGodCd: code, name, godCd: null, barcode: null, goodsType: null, inUse: true });
    await replaceFmsGoods(db, 'CST1', [goods('G-1', '반팔 티셔츠'), goods('G-2', '후드')], new Date());
    await replaceFmsGoods(db, 'CST1', [goods('G-2', '후드 집업'), goods('G-3', '양말')], new Date());
    expect(await findFmsGoodsRefresh(db, 'CST1')).toMatchObject({ goodsCount: 2 });
    expect([...(await knownFmsGoodsCodes(db, 'CST1', ['G-1', 'G-2', 'G-3']))].sort()).toEqual(['G-2', 'G-3']);
    expect((await listFmsGoods(db, 'CST1', { q: '집업' }, { limit: 10 })).rows.map((g) => g.name)).toEqual(['후드 집업']);
    expect((await knownFmsGoodsCodes(db, 'OTHER', ['G-2'])).size).toBe(0);
  });
});
