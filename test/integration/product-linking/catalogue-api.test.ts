import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MallLinkRow } from '../../../db/schema.js';
import { createCatalogueImport, finishCatalogueImport } from '../../../src/db/repositories/cafe24-catalogue-imports.js';
import { upsertCatalogueVariants } from '../../../src/db/repositories/cafe24-catalogue-variants.js';
import { replaceProductLink } from '../../../src/db/repositories/product-links.js';
import { catalogueVariantsOf, type CatalogueProductInput } from '../../../src/domain/catalogue.js';
import { startFmsSimulator, type RunningFmsSimulator } from '../../../src/sim/fms/server.js';
import { createTestApp, json, unreachableTemporal } from '../../support/api.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { apiCaller, createTestApiKey, customerScope, type TestApiKey } from '../../support/mall-link-api.js';
import { insertTestMallLink } from '../../support/mall-link-fixtures.js';

const product = (productNo: number, overrides: Partial<CatalogueProductInput> = {}): CatalogueProductInput => ({
  productNo,
  productCode: `P${productNo}`,
  productName: `상품 ${productNo}`,
  customProductCode: `CP-${productNo}`,
  hasOption: true,
  optionType: 'S',
  setProduct: false,
  selling: true,
  display: true,
  variants: [1, 2].map((i) => ({ variantCode: `P${productNo}00${i}`, customVariantCode: `SKU-${productNo}-${i}`, options: [{ name: '사이즈', value: `${i}` }], selling: null, display: null })),
  ...overrides,
});

describe('catalogue API: cafe24-items, fms-goods, product-imports', () => {
  let database: TestDatabase;
  let temporal: ReturnType<typeof unreachableTemporal>;
  let fms: RunningFmsSimulator;
  let call: ReturnType<typeof apiCaller>;
  let owner: TestApiKey;
  let stranger: TestApiKey;
  let link: MallLinkRow;
  let importId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = unreachableTemporal();
    fms = await startFmsSimulator({ seed: 'catalogue-api' });
    call = apiCaller(
      createTestApp({ db: database.db, temporal: temporal.client, env: { FMS_BASE_URL: fms.url, FMS_API_CD: fms.apiCd, FMS_API_KEY: fms.apiKey, FMS_TIMEOUT_MS: '2000' } }),
    );
    link = await insertTestMallLink(database.db, { cst_cd: 'CATAPI' });
    owner = await createTestApiKey(database.db, customerScope('CATAPI'));
    stranger = await createTestApiKey(database.db, customerScope('OTHER'));
    const run = await createCatalogueImport(database.db, link.id, []);
    importId = run.id;
    await upsertCatalogueVariants(
      database.db,
      link.id,
      run.id,
      [
        product(10),
        product(11, { optionType: 'E', hasOption: true, variants: [{ variantCode: 'P11000A', customVariantCode: null, options: [], selling: null, display: null }] }),
        product(12, { productName: '숨긴 양말', selling: false, display: false }),
        product(13, { optionType: null, hasOption: false, variants: [{ variantCode: null, customVariantCode: null, options: [], selling: null, display: null }] }),
      ].flatMap(catalogueVariantsOf),
    );
    await finishCatalogueImport(database.db, run.id, { status: 'completed', variantsGone: 0, error: null });
    await replaceProductLink(database.db, link.id, 'P10001', [{ cstGodCd: 'G001', quantity: 1 }]);
  });
  afterAll(async () => {
    await fms?.stop();
    await temporal?.close();
    await database?.drop();
  });

  it('every new route: 401 without a key, 404 with another customer’s key', async () => {
    const routes: [string, string][] = [
      ['POST', `/v1/mall-links/${link.id}/product-imports`],
      ['GET', `/v1/mall-links/${link.id}/product-imports/${importId}`],
      ['GET', `/v1/mall-links/${link.id}/cafe24-items`],
      ['GET', `/v1/mall-links/${link.id}/fms-goods`],
      ['POST', `/v1/mall-links/${link.id}/fms-goods/refresh`],
    ];
    for (const [method, path] of routes) {
      expect((await call(method, path)).status, `${method} ${path}`).toBe(401);
      const foreign = await call(method, path, { key: stranger });
      expect(foreign.status, `${method} ${path}`).toBe(404);
      expect(foreign.headers.get('content-type')).toBe('application/problem+json');
    }
    expect(await database.db.selectFrom('cafe24_catalogue_imports').select('id').execute()).toHaveLength(1);
    expect(await database.db.selectFrom('fms_goods_refreshes').selectAll().execute()).toEqual([]);
  });

  it('shows one import’s progress; an unknown import or bad body is refused', async () => {
    expect(await json(await call('GET', `/v1/mall-links/${link.id}/product-imports/${importId}`, { key: owner }))).toMatchObject({ importId, status: 'completed', statuses: [], temporalUiUrl: null });
    expect((await call('GET', `/v1/mall-links/${link.id}/product-imports/5c0f3a2e-1b4d-4e8f-9a7b-2c3d4e5f6a7b`, { key: owner })).status).toBe(404);
    expect((await call('GET', `/v1/mall-links/${link.id}/product-imports/nope`, { key: owner })).status).toBe(404);
    for (const body of [{ statuses: ['sold'] }, { statuses: ['selling', 'selling'] }, { statuses: 'selling' }, { other: true }]) {
      const res = await call('POST', `/v1/mall-links/${link.id}/product-imports`, { key: owner, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
  });

  it('lists items with links, linkability and every filter', async () => {
    const codes = async (query: string) =>
      (await json(await call('GET', `/v1/mall-links/${link.id}/cafe24-items${query}`, { key: owner }))).items.map((i: { variantCode: string | null }) => i.variantCode);
    const all = await json(await call('GET', `/v1/mall-links/${link.id}/cafe24-items`, { key: owner }));
    expect(all.items).toHaveLength(6);
    expect(all.items[0]).toMatchObject({ productNo: 10, variantCode: 'P10001', optionText: '사이즈: 1', linked: true, linkedGoods: [{ cstGodCd: 'G001', quantity: 1 }], linkable: true, reason: null });
    expect(all.items.find((i: { productNo: number }) => i.productNo === 11)).toMatchObject({ linkable: false, reason: 'unlinkable_option_type', optionType: 'E' });
    expect(all.items.find((i: { productNo: number }) => i.productNo === 13)).toMatchObject({ variantCode: null, linkable: false, reason: 'missing_variant_code', optionType: null });

    expect(await codes('?linked=true')).toEqual(['P10001']);
    expect(await codes('?linked=false&linkable=true')).toEqual(['P10002', 'P12001', 'P12002']);
    expect(await codes('?linkable=false')).toEqual(['P11000A', null]);
    expect(await codes('?optionType=E')).toEqual(['P11000A']);
    expect(await codes('?optionType=none')).toEqual([null]);
    expect(await codes('?selling=false')).toEqual(['P12001', 'P12002']);
    expect(await codes('?display=true&q=sku-10')).toEqual(['P10001', 'P10002']);
    expect(await codes('?q=양말')).toEqual(['P12001', 'P12002']);
    expect(await codes('?q=CP-11')).toEqual(['P11000A']);
    expect(await codes('?gone=true')).toEqual([]);
    expect((await call('GET', `/v1/mall-links/${link.id}/cafe24-items?linked=maybe`, { key: owner })).status).toBe(422);
  });

  it('fms-goods: read from FMS on first use, cached until refreshed, searched with q; an FMS failure is a 502', async () => {
    fms.control.replaceGoods('CATAPI', [
      { cstGodCd: 'G001', godNm: '반팔 티셔츠 블랙' },
      { cstGodCd: 'G002', godNm: '후드 집업' },
    ]);
    const first = await json(await call('GET', `/v1/mall-links/${link.id}/fms-goods`, { key: owner }));
    expect(first.items.map((g: { cstGodCd: string }) => g.cstGodCd)).toEqual(['G001', 'G002']);

    fms.control.replaceGoods('CATAPI', [
      { cstGodCd: 'G002', godNm: '후드 집업 그레이' },
      { cstGodCd: 'G003', godNm: '양말 세트' },
    ]);
    // Still the cache.
    expect((await json(await call('GET', `/v1/mall-links/${link.id}/fms-goods`, { key: owner }))).items).toHaveLength(2);
    expect((await json(await call('GET', `/v1/mall-links/${link.id}/fms-goods?q=티셔츠`, { key: owner }))).items.map((g: { name: string }) => g.name)).toEqual(['반팔 티셔츠 블랙']);

    const refreshed = await call('POST', `/v1/mall-links/${link.id}/fms-goods/refresh`, { key: owner });
    expect(refreshed.status).toBe(200);
    expect(await json(refreshed)).toMatchObject({ cstCd: 'CATAPI', goodsCount: 2 });
    const after = await json(await call('GET', `/v1/mall-links/${link.id}/fms-goods`, { key: owner }));
    expect(after.items.map((g: { cstGodCd: string; name: string }) => [g.cstGodCd, g.name])).toEqual([
      ['G002', '후드 집업 그레이'],
      ['G003', '양말 세트'],
    ]);

    fms.control.failNext('serverError', 1);
    const failed = await call('POST', `/v1/mall-links/${link.id}/fms-goods/refresh`, { key: owner });
    expect(failed.status).toBe(502);
    expect(await json(failed)).toMatchObject({ type: '/problems/fms-unavailable' });
    expect((await json(await call('GET', `/v1/mall-links/${link.id}/fms-goods`, { key: owner }))).items).toHaveLength(2);
  });
});
