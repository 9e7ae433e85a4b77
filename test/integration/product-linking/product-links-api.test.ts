import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogueImport } from '../../../src/db/repositories/cafe24-catalogue-imports.js';
import { upsertCatalogueVariants } from '../../../src/db/repositories/cafe24-catalogue-variants.js';
import { upsertCollectedOrders } from '../../../src/db/repositories/collected-orders.js';
import { replaceProductLink } from '../../../src/db/repositories/product-links.js';
import { upsertUnlinkedOrders } from '../../../src/db/repositories/unlinked-orders.js';
import { catalogueVariantsOf, type CatalogueProductInput } from '../../../src/domain/catalogue.js';
import { startFmsSimulator, type RunningFmsSimulator } from '../../../src/sim/fms/server.js';
import type { MallLinkRow } from '../../../db/schema.js';
import { createTestApp, json, unreachableTemporal } from '../../support/api.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { adminScope, createTestApiKey, customerScope, type TestApiKey } from '../../support/mall-link-api.js';
import { insertTestMallLink } from '../../support/mall-link-fixtures.js';
import { storedItem, storedOrder } from '../../support/stored-orders.js';

const cstCd = 'PLA001';
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const product = (productNo: number, variants: { code: string; custom?: string | null }[], overrides: Partial<CatalogueProductInput> = {}): CatalogueProductInput => ({
  productNo,
  productCode: `P${productNo}`,
  productName: `상품 ${productNo}`,
  customProductCode: null,
  hasOption: true,
  optionType: 'C',
  setProduct: false,
  selling: true,
  display: true,
  variants: variants.map((v, i) => ({ variantCode: v.code, customVariantCode: v.custom ?? null, options: [{ name: '색상', value: `c${i}` }], selling: null, display: null })),
  ...overrides,
});

/** The catalogue of every link with an import: FMS (the simulator) has goods G001–G012 for the customer. */
const catalogue: CatalogueProductInput[] = [
  product(10, [
    { code: 'P10001', custom: 'G001' },
    { code: 'P10002', custom: 'g002' },
  ]),
  product(11, [{ code: 'P11000A' }], { hasOption: false, optionType: null, customProductCode: 'G003' }),
  product(12, [{ code: 'P12000A', custom: 'G004' }], { optionType: 'E' }),
  product(13, [{ code: 'P13001', custom: 'G005' }]),
  product(14, [{ code: 'P14001', custom: 'NOPE' }]),
  product(15, [{ code: 'P15001' }]),
];

describe('product links API: validation, list, auto-match, link sheet', () => {
  let database: TestDatabase;
  let fms: RunningFmsSimulator;
  let temporal: ReturnType<typeof unreachableTemporal>;
  let app: ReturnType<typeof createTestApp>;
  /** The same API with small upload limits (20,000 bytes, 3 rows). */
  let tightApp: ReturnType<typeof createTestApp>;
  let seller: TestApiKey;
  let admin: TestApiKey;
  let otherSeller: TestApiKey;

  async function linkWithCatalogue(): Promise<MallLinkRow> {
    const link = await insertTestMallLink(database.db, { cst_cd: cstCd });
    const run = await createCatalogueImport(database.db, link.id, []);
    await upsertCatalogueVariants(database.db, link.id, run.id, catalogue.flatMap(catalogueVariantsOf));
    return link;
  }

  const call = (method: string, path: string, options: { key?: TestApiKey | null; body?: unknown } = {}) => {
    const key = options.key === undefined ? seller : options.key;
    return app.request(path, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key.plaintext}` } : {}), ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  };

  const upload = (link: MallLinkRow, file: File, options: { partial?: boolean; via?: typeof app; key?: TestApiKey } = {}) => {
    const form = new FormData();
    form.append('file', file);
    return (options.via ?? app).request(`/v1/mall-links/${link.id}/product-links/uploads${options.partial ? '?partial=true' : ''}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${(options.key ?? seller).plaintext}` },
      body: form,
    });
  };

  const linksOf = async (link: MallLinkRow) =>
    (await database.db.selectFrom('product_links').select(['variant_code', 'cst_god_cd', 'quantity']).where('mall_link_id', '=', link.id).orderBy('variant_code').orderBy('cst_god_cd').execute()).map(
      (r) => `${r.variant_code}=${r.cst_god_cd}×${r.quantity}`,
    );
  const auditCount = async (link: MallLinkRow) =>
    Number((await database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('mall_link_id', '=', link.id).executeTakeFirstOrThrow()).n);

  async function sheetOf(link: MallLinkRow): Promise<ExcelJS.Workbook> {
    const res = await call('GET', `/v1/mall-links/${link.id}/product-links.xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(xlsxType);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    return workbook;
  }
  const xlsxFile = async (workbook: ExcelJS.Workbook, name = 'links.xlsx') => new File([new Uint8Array(await workbook.xlsx.writeBuffer())], name, { type: xlsxType });
  const csvFile = (text: string, name = 'links.csv') => new File([text], name, { type: 'text/csv' });

  beforeAll(async () => {
    database = await createTestDatabase();
    fms = await startFmsSimulator({ seed: 'product-links' });
    temporal = unreachableTemporal();
    const env = { FMS_BASE_URL: fms.url, FMS_API_CD: fms.apiCd, FMS_API_KEY: fms.apiKey };
    app = createTestApp({ db: database.db, temporal: temporal.client, env });
    tightApp = createTestApp({ db: database.db, temporal: temporal.client, env: { ...env, PRODUCT_LINK_UPLOAD_MAX_BYTES: '20000', PRODUCT_LINK_UPLOAD_MAX_ROWS: '3' } });
    seller = await createTestApiKey(database.db, customerScope(cstCd));
    admin = await createTestApiKey(database.db, adminScope);
    otherSeller = await createTestApiKey(database.db, customerScope('OTHER01'));
  });

  afterAll(async () => {
    await fms?.stop();
    await temporal?.close();
    await database?.drop();
  });

  describe('PUT …/product-links/{variantCode}', () => {
    it('before any import accepts any variant, but refuses goods FMS does not know — and re-reads FMS for a goods added since', async () => {
      const link = await insertTestMallLink(database.db, { cst_cd: cstCd });
      expect((await call('PUT', `/v1/mall-links/${link.id}/product-links/V-ANY`, { body: { components: [{ cstGodCd: 'G001', quantity: 2 }] } })).status).toBe(200);

      const unknown = await call('PUT', `/v1/mall-links/${link.id}/product-links/V-NEW`, { body: { components: [{ cstGodCd: 'G-LATER', quantity: 1 }] } });
      expect(unknown.status).toBe(422);
      expect(unknown.headers.get('content-type')).toBe('application/problem+json');
      expect(await json(unknown)).toMatchObject({ type: '/problems/product-link-refused', errors: [{ reason: 'unknown_goods', cstGodCd: 'G-LATER' }] });

      fms.control.replaceGoods(cstCd, [...fms.control.goods(cstCd).map((g) => ({ cstGodCd: g.cstGodCd, godNm: g.godNm })), { cstGodCd: 'G-LATER', godNm: '새 상품' }]);
      expect((await call('PUT', `/v1/mall-links/${link.id}/product-links/V-NEW`, { body: { components: [{ cstGodCd: 'G-LATER', quantity: 1 }] } })).status).toBe(200);
      expect(await linksOf(link)).toEqual(['V-ANY=G001×2', 'V-NEW=G-LATER×1']);
      const audit = await database.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('mall_link_id', '=', link.id).orderBy('id').execute();
      expect(audit).toEqual([
        { action: 'product_link.stored', before: null, after: { variantCode: 'V-ANY', components: [{ cstGodCd: 'G001', quantity: 2 }] } },
        { action: 'product_link.stored', before: null, after: { variantCode: 'V-NEW', components: [{ cstGodCd: 'G-LATER', quantity: 1 }] } },
      ]);
    });

    it('once imported refuses an unknown or 상품 연동형 variant and a zero quantity, naming the reason; a set of several goods is stored', async () => {
      const link = await linkWithCatalogue();
      const put = (variant: string, components: unknown) => call('PUT', `/v1/mall-links/${link.id}/product-links/${variant}`, { body: { components } });

      const unknownVariant = await put('P99999', [{ cstGodCd: 'G001', quantity: 1 }]);
      expect(unknownVariant.status).toBe(422);
      expect((await json(unknownVariant)).errors).toEqual([expect.objectContaining({ path: 'variantCode', reason: 'unknown_variant' })]);
      const unlinkable = await put('P12000A', [{ cstGodCd: 'G001', quantity: 1 }]);
      expect(unlinkable.status).toBe(422);
      expect((await json(unlinkable)).errors).toEqual([expect.objectContaining({ reason: 'unlinkable_variant', message: expect.stringContaining('unlinkable_option_type') })]);
      const zero = await put('P10001', [{ cstGodCd: 'G001', quantity: 0 }]);
      expect(zero.status).toBe(422);
      expect((await json(zero)).errors).toEqual([expect.objectContaining({ path: 'components.0.quantity' })]);
      const negative = await put('P10001', [{ cstGodCd: 'G001', quantity: -1 }]);
      expect(negative.status).toBe(422);
      expect(await linksOf(link)).toEqual([]);

      const set = await put('P10001', [
        { cstGodCd: 'G001', quantity: 1 },
        { cstGodCd: 'G002', quantity: 3 },
      ]);
      expect(set.status).toBe(200);
      expect(await json(set)).toEqual({ mallLinkId: link.id, variantCode: 'P10001', components: [{ cstGodCd: 'G001', quantity: 1 }, { cstGodCd: 'G002', quantity: 3 }], readyOrders: [] });
    });

    it('lists the held orders a link makes ready (all their items linked), and a variant of a held order is linkable though not imported', async () => {
      const link = await linkWithCatalogue();
      const paidAt = '2026-11-30T01:00:00.000Z';
      const both = storedOrder('O-BOTH', paidAt, [storedItem('O-BOTH', 1, { variantCode: 'P10001' }), storedItem('O-BOTH', 2, { variantCode: 'P-OLD' })]);
      const one = storedOrder('O-ONE', paidAt, [storedItem('O-ONE', 1, { variantCode: 'P-OLD' })]);
      await upsertCollectedOrders(database.db, link.id, [both, one]);
      await upsertUnlinkedOrders(database.db, link.id, [
        { kind: 'unlinked', orderId: 'O-BOTH', shopNo: 1, paidAt, items: [{ orderItemCode: 'O-BOTH-01', variantCode: 'P10001', reason: 'no_link' }, { orderItemCode: 'O-BOTH-02', variantCode: 'P-OLD', reason: 'no_link' }] },
        { kind: 'unlinked', orderId: 'O-ONE', shopNo: 1, paidAt, items: [{ orderItemCode: 'O-ONE-01', variantCode: 'P-OLD', reason: 'no_link' }] },
      ]);

      const first = await call('PUT', `/v1/mall-links/${link.id}/product-links/P10001`, { body: { components: [{ cstGodCd: 'G001', quantity: 1 }] } });
      expect((await json(first)).readyOrders).toEqual([]);
      // P-OLD is not in the catalogue (gone before the import), but held orders wait for it.
      const second = await call('PUT', `/v1/mall-links/${link.id}/product-links/P-OLD`, { body: { components: [{ cstGodCd: 'G002', quantity: 1 }] } });
      expect(second.status).toBe(200);
      expect((await json(second)).readyOrders).toEqual([
        { orderId: 'O-BOTH', shopNo: 1, paidAt },
        { orderId: 'O-ONE', shopNo: 1, paidAt },
      ]);
    });
  });

  it('GET …/product-links filters by goods, catalogue and text', async () => {
    const link = await linkWithCatalogue();
    await replaceProductLink(database.db, link.id, 'P10001', [{ cstGodCd: 'G001', quantity: 1 }]);
    await replaceProductLink(database.db, link.id, 'P11000A', [{ cstGodCd: 'G001', quantity: 1 }, { cstGodCd: 'G003', quantity: 2 }]);
    await replaceProductLink(database.db, link.id, 'V-LEGACY', [{ cstGodCd: 'G009', quantity: 1 }]);
    const codes = async (query: string) => (await json(await call('GET', `/v1/mall-links/${link.id}/product-links${query}`))).items.map((i: { variantCode: string }) => i.variantCode);

    const all = await json(await call('GET', `/v1/mall-links/${link.id}/product-links`));
    expect(all.nextCursor).toBeNull();
    expect(all.items[1]).toEqual({
      variantCode: 'P11000A',
      components: [{ cstGodCd: 'G001', quantity: 1 }, { cstGodCd: 'G003', quantity: 2 }],
      updatedAt: expect.any(String),
      catalogue: { productName: '상품 11', optionText: '색상: c0', linkable: true, unlinkableReason: null, goneAt: null },
    });
    expect(all.items[2]).toMatchObject({ variantCode: 'V-LEGACY', catalogue: null });
    expect(await codes('?cstGodCd=G001')).toEqual(['P10001', 'P11000A']);
    expect(await codes('?inCatalogue=false')).toEqual(['V-LEGACY']);
    expect(await codes('?q=%EC%83%81%ED%92%88%2011')).toEqual(['P11000A']);
    expect(await codes('?q=g009')).toEqual(['V-LEGACY']);
    expect((await call('GET', `/v1/mall-links/${link.id}/product-links?inCatalogue=maybe`)).status).toBe(422);
  });

  it('auto-match: the dry run lists what would link and what is ambiguous and writes nothing; apply links and audits', async () => {
    const link = await linkWithCatalogue();
    await replaceProductLink(database.db, link.id, 'P13001', [{ cstGodCd: 'G006', quantity: 1 }]);
    const path = `/v1/mall-links/${link.id}/product-links/auto-match`;

    const dry = await call('POST', path);
    expect(dry.status).toBe(200);
    const plan = await json(dry);
    expect(plan).toMatchObject({ dryRun: true, linked: 0, alreadyLinked: 0, unmatched: 2, readyOrders: [] });
    expect(plan.link).toEqual([
      { variantCode: 'P10001', cstGodCd: 'G001', matchedOn: 'custom_variant_code' },
      { variantCode: 'P10002', cstGodCd: 'G002', matchedOn: 'custom_variant_code' },
      { variantCode: 'P11000A', cstGodCd: 'G003', matchedOn: 'custom_product_code' },
    ]);
    expect(plan.ambiguous.map((a: { variantCode: string; reason: string }) => [a.variantCode, a.reason])).toEqual([
      ['P12000A', 'unlinkable'],
      ['P13001', 'linked_to_other'],
    ]);
    expect(await linksOf(link)).toEqual(['P13001=G006×1']);
    expect(await auditCount(link)).toBe(0);

    const applied = await json(await call('POST', path, { body: { dryRun: false } }));
    expect(applied).toMatchObject({ dryRun: false, linked: 3 });
    expect(await linksOf(link)).toEqual(['P10001=G001×1', 'P10002=G002×1', 'P11000A=G003×1', 'P13001=G006×1']);
    const actions = await database.db.selectFrom('audit_log').select('action').where('mall_link_id', '=', link.id).execute();
    expect(actions).toEqual(Array(3).fill({ action: 'product_link.auto_matched' }));

    expect(await json(await call('POST', path, { body: { dryRun: true } }))).toMatchObject({ link: [], alreadyLinked: 3 });
    const noCatalogue = await insertTestMallLink(database.db, { cst_cd: cstCd });
    expect(await json(await call('POST', `/v1/mall-links/${noCatalogue.id}/product-links/auto-match`))).toMatchObject({ status: 409, type: '/problems/catalogue-not-imported' });
  });

  describe('link sheet', () => {
    it('xlsx round trip: download, edit with exceljs (a set as two rows), upload — the links change and the sheet shows them', async () => {
      const link = await linkWithCatalogue();
      await replaceProductLink(database.db, link.id, 'P13001', [{ cstGodCd: 'G006', quantity: 1 }]);
      const workbook = await sheetOf(link);
      const sheet = workbook.getWorksheet('상품연결')!;
      expect(sheet.getRow(1).values).toEqual([undefined, '품목코드', '상품명', '옵션', '자체상품코드', '자체품목코드', '연결가능', 'FMS상품코드', '수량']);
      const rowOf = (code: string) => sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === code)!;
      expect(sheet.rowCount).toBe(8);
      expect([rowOf('P13001').getCell(7).value, rowOf('P13001').getCell(8).value]).toEqual(['G006', 1]);
      expect(rowOf('P12000A').getCell(6).value).toBe('N: unlinkable_option_type');

      rowOf('P10001').getCell(7).value = 'G001';
      rowOf('P10001').getCell(8).value = 2;
      rowOf('P11000A').getCell(7).value = 'G003';
      sheet.addRow(['P11000A', '', '', '', '', '', 'G004', 1]);
      rowOf('P13001').getCell(7).value = 'G007';

      const res = await upload(link, await xlsxFile(workbook));
      expect(res.status).toBe(200);
      const report = await json(res);
      expect(report).toMatchObject({ applied: true, partial: false, counts: { linked: 4, unchanged: 0, skipped: 4, refused: 0 }, readyOrders: [] });
      expect(report.rows.find((r: { variantCode: string }) => r.variantCode === 'P10001')).toEqual({ row: 2, variantCode: 'P10001', cstGodCd: 'G001', quantity: 2, result: 'linked' });
      expect(await linksOf(link)).toEqual(['P10001=G001×2', 'P11000A=G003×1', 'P11000A=G004×1', 'P13001=G007×1']);
      expect(await database.db.selectFrom('audit_log').select(['action', 'before']).where('mall_link_id', '=', link.id).where('action', '=', 'product_link.uploaded').orderBy('id').execute()).toContainEqual({
        action: 'product_link.uploaded',
        before: { variantCode: 'P13001', components: [{ cstGodCd: 'G006', quantity: 1 }] },
      });

      const again = (await sheetOf(link)).getWorksheet('상품연결')!;
      expect(again.rowCount).toBe(9);
      const uploadedAgain = await json(await upload(link, await xlsxFile(await sheetOf(link))));
      expect(uploadedAgain.counts).toEqual({ linked: 0, unchanged: 4, skipped: 4, refused: 0 });
    });

    it('csv round trip: the downloaded sheet saved as CSV (UTF-8 with BOM, quoted fields) links too', async () => {
      const link = await linkWithCatalogue();
      const sheet = (await sheetOf(link)).getWorksheet('상품연결')!;
      const lines: string[] = [];
      sheet.eachRow((row) => {
        const cells = (row.values as unknown[]).slice(1, 9).map((v) => `"${String(v ?? '').replace(/"/g, '""')}"`);
        if (cells[0] === '"P10002"') cells.splice(6, 2, '"G002"', '"3"');
        lines.push(cells.join(','));
      });
      const res = await upload(link, csvFile(`\uFEFF${lines.join('\r\n')}\r\n`));
      expect(res.status).toBe(200);
      expect((await json(res)).counts).toEqual({ linked: 1, unchanged: 0, skipped: 6, refused: 0 });
      expect(await linksOf(link)).toEqual(['P10002=G002×3']);
      // Without a BOM, and the columns in another order.
      expect((await upload(link, csvFile('수량,FMS상품코드,품목코드\n1,G001,P10001\n'))).status).toBe(200);
      expect(await linksOf(link)).toEqual(['P10001=G001×1', 'P10002=G002×3']);
    });

    it('all or nothing: one refused row refuses the file with the row-by-row report; ?partial=true links the valid rows', async () => {
      const link = await linkWithCatalogue();
      const text = '품목코드,FMS상품코드,수량\nP10001,G001,1\nP12000A,G002,1\nP10002,G-NONE,1\nP14001,G003,0\n';
      const refused = await upload(link, csvFile(text));
      expect(refused.status).toBe(422);
      const problem = await json(refused);
      expect(problem).toMatchObject({ type: '/problems/upload-rows-refused', counts: { linked: 1, refused: 3 } });
      expect(problem.rows.map((r: { row: number; result: string; reason?: string }) => [r.row, r.result, r.reason])).toEqual([
        [2, 'linked', undefined],
        [3, 'refused', 'unlinkable_variant'],
        [4, 'refused', 'unknown_goods'],
        [5, 'refused', 'invalid_quantity'],
      ]);
      expect(await linksOf(link)).toEqual([]);

      const partial = await upload(link, csvFile(text), { partial: true });
      expect(partial.status).toBe(200);
      expect(await json(partial)).toMatchObject({ partial: true, counts: { linked: 1, refused: 3 } });
      expect(await linksOf(link)).toEqual(['P10001=G001×1']);
    });

    it('refuses malformed files with a clear problem and writes nothing', async () => {
      const link = await linkWithCatalogue();
      await replaceProductLink(database.db, link.id, 'P10001', [{ cstGodCd: 'G001', quantity: 1 }]);
      const formulas = new ExcelJS.Workbook();
      const formulaSheet = formulas.addWorksheet('상품연결');
      formulaSheet.addRow(['품목코드', 'FMS상품코드', '수량']);
      formulaSheet.addRow(['P10002', 'G002', { formula: '1+1', result: 2 }]);
      const header = '품목코드,FMS상품코드,수량\n';
      const cases: [string, File, number, string, typeof app?][] = [
        ['wrong type', new File(['hello'], 'links.txt', { type: 'text/plain' }), 415, 'upload-file-type'],
        ['xlsx that is not a workbook', new File(['품목코드,FMS상품코드'], 'links.xlsx', { type: xlsxType }), 415, 'upload-file-type'],
        ['broken workbook', new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])], 'links.xlsx', { type: xlsxType }), 422, 'upload-unreadable'],
        ['too large', csvFile(header + 'P10002,G002,1\n'.repeat(2000)), 413, 'upload-too-large', tightApp],
        ['too many rows', csvFile(header + 'P10002,G002,1\n'.repeat(4)), 413, 'upload-too-many-rows', tightApp],
        ['missing headers', csvFile('품목코드,상품명\nP10002,G002\n'), 422, 'upload-missing-headers'],
        ['formula cells (xlsx)', await xlsxFile(formulas), 422, 'upload-formula-cells'],
        ['formula cells (csv)', csvFile(header + 'P10002,=1+1,1\n'), 422, 'upload-formula-cells'],
        ['conflicting duplicate rows', csvFile(header + 'P10002,G002,1\nP10002,G002,2\n'), 422, 'upload-conflicting-rows'],
        ['not UTF-8 (EUC-KR)', new File([new Uint8Array([0xc7, 0xb0, 0xb8, 0xf1, 0xc4, 0xda, 0xb5, 0xe5, 0x0a])], 'links.csv', { type: 'text/csv' }), 422, 'upload-encoding'],
      ];
      for (const [name, file, status, slug, via] of cases) {
        const res = await upload(link, file, via ? { via } : {});
        expect([name, res.status, res.headers.get('content-type')]).toEqual([name, status, 'application/problem+json']);
        expect([name, (await json(res)).type]).toEqual([name, `/problems/${slug}`]);
      }
      const notMultipart = await app.request(`/v1/mall-links/${link.id}/product-links/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${seller.plaintext}`, 'content-type': 'text/csv' },
        body: header,
      });
      expect(notMultipart.status).toBe(415);
      const noFile = new FormData();
      noFile.append('other', 'x');
      const withoutFile = await app.request(`/v1/mall-links/${link.id}/product-links/uploads`, { method: 'POST', headers: { authorization: `Bearer ${seller.plaintext}` }, body: noFile });
      expect(withoutFile.status).toBe(422);
      expect((await json(withoutFile)).errors[0].path).toBe('form.file');
      expect(await linksOf(link)).toEqual(['P10001=G001×1']);
      expect(await auditCount(link)).toBe(0);
    });

    it('before any import the sheet lists the linked variants', async () => {
      const link = await insertTestMallLink(database.db, { cst_cd: cstCd });
      await replaceProductLink(database.db, link.id, 'V-1', [{ cstGodCd: 'G001', quantity: 1 }]);
      const sheet = (await sheetOf(link)).getWorksheet('상품연결')!;
      expect(sheet.getRow(2).values).toEqual([undefined, 'V-1', undefined, undefined, undefined, undefined, 'Y', 'G001', 1]);
    });
  });

  it('every new route hides other customers’ links (404), needs a key (401) and lets an admin in', async () => {
    const link = await linkWithCatalogue();
    const base = `/v1/mall-links/${link.id}/product-links`;
    const routes: [string, string, () => Response | Promise<Response>][] = [];
    for (const key of [otherSeller, null, admin]) {
      routes.push(
        ['GET list', base, () => call('GET', base, { key })],
        ['PUT', `${base}/P10001`, () => call('PUT', `${base}/P10001`, { key, body: { components: [{ cstGodCd: 'G001', quantity: 1 }] } })],
        ['DELETE', `${base}/P10001`, () => call('DELETE', `${base}/P10001`, { key })],
        ['auto-match', `${base}/auto-match`, () => call('POST', `${base}/auto-match`, { key })],
        ['xlsx', `${base}.xlsx`, () => call('GET', `${base}.xlsx`, { key })],
      );
    }
    const statuses = [];
    for (const [name, , run] of routes) statuses.push(`${name} ${(await run()).status}`);
    expect(statuses).toEqual([
      'GET list 404',
      'PUT 404',
      'DELETE 404',
      'auto-match 404',
      'xlsx 404',
      'GET list 401',
      'PUT 401',
      'DELETE 401',
      'auto-match 401',
      'xlsx 401',
      'GET list 200',
      'PUT 200',
      'DELETE 204',
      'auto-match 200',
      'xlsx 200',
    ]);
    const file = csvFile('품목코드,FMS상품코드,수량\nP10001,G001,1\n');
    expect((await upload(link, file, { key: otherSeller })).status).toBe(404);
    const form = new FormData();
    form.append('file', file);
    expect((await app.request(`${base}/uploads`, { method: 'POST', body: form })).status).toBe(401);
    expect((await upload(link, file, { key: admin })).status).toBe(200);
  });

  it('documents the routes with their status codes and binary bodies', async () => {
    const spec = await json(await app.request('/openapi.json'));
    const base = '/v1/mall-links/{id}/product-links';
    expect(Object.keys(spec.paths[base])).toEqual(['get']);
    expect(Object.keys(spec.paths[`${base}/auto-match`].post.responses).sort()).toEqual(['200', '400', '401', '404', '409', '413', '415', '422', '502']);
    expect(spec.paths[`${base}.xlsx`].get.responses['200'].content[xlsxType].schema).toMatchObject({ type: 'string', format: 'binary' });
    const uploadOp = spec.paths[`${base}/uploads`].post;
    expect(uploadOp.requestBody.content['multipart/form-data'].schema).toBeDefined();
    expect(Object.keys(uploadOp.responses).sort()).toEqual(['200', '400', '401', '404', '413', '415', '422', '502']);
    expect(Object.keys(spec.paths[`${base}/{variantCode}`].put.responses).sort()).toEqual(['200', '400', '401', '404', '413', '415', '422', '502']);
  });
});
