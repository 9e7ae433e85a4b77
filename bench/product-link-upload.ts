import ExcelJS from 'exceljs';
import { pino } from 'pino';
import { createApp } from '../src/api/app.js';
import { uncachedApiKeyLookup } from '../src/api/lib/api-key-lookup.js';
import { createCafe24Connection } from '../src/clients/cafe24/connection.js';
import { createFmsClient, fmsClientOptions } from '../src/clients/fms/fms-client.js';
import { temporalProbeOver } from '../src/clients/temporal.js';
import { loadConfig } from '../src/config/env.js';
import { insertApiKey } from '../src/db/repositories/api-keys.js';
import { createCatalogueImport } from '../src/db/repositories/cafe24-catalogue-imports.js';
import { upsertCatalogueVariants } from '../src/db/repositories/cafe24-catalogue-variants.js';
import { upsertCollectedOrders } from '../src/db/repositories/collected-orders.js';
import { upsertUnlinkedOrders } from '../src/db/repositories/unlinked-orders.js';
import { generateApiKey } from '../src/domain/api-keys.js';
import { catalogueVariantsOf } from '../src/domain/catalogue.js';
import { noScheduleSync } from '../src/schedules/schedule-sync.js';
import { startFmsSimulator } from '../src/sim/fms/server.js';
import { insertTestMallLink } from '../test/support/mall-link-fixtures.js';
import { storedItem, storedOrder } from '../test/support/stored-orders.js';
import { withThrowAwayStack } from '../test/support/throw-away-stack.js';

/**
 * Applying a 5,000-row link sheet: a mall with 5,000 imported variants (2,500 products of two
 * options), FMS (the simulator, over HTTP) with 5,000 goods, 1,000 held orders waiting for links.
 * Timed through the API: download the sheet, fill every row, upload it as .xlsx (5,000 new links),
 * then re-link every variant from a .csv. Each upload is timed from request to answer.
 */

const variants = 5_000;
const heldOrders = 1_000;
const cstCd = 'BENCHLNK';

const goodsOf = (i: number) => `BG${String(i).padStart(5, '0')}`;

export async function benchProductLinkUpload(): Promise<Record<string, string>> {
  return withThrowAwayStack(async ({ db, client }) => {
    const fms = await startFmsSimulator({ seed: 'bench-links' });
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_BASE_URL: 'http://api.bench', FMS_BASE_URL: fms.url, FMS_API_CD: fms.apiCd, FMS_API_KEY: fms.apiKey });
    const log = pino({ level: 'silent' });
    const fmsGoods = createFmsClient(fmsClientOptions(config));
    const cafe24 = createCafe24Connection(config, { db, log });
    const app = createApp({ config, db, temporal: client, temporalProbe: temporalProbeOver(client.connection), log, schedules: noScheduleSync, cafe24, fmsGoods, apiKeys: uncachedApiKeyLookup(db) });
    try {
      fms.control.replaceGoods(cstCd, Array.from({ length: variants * 2 }, (_, i) => ({ cstGodCd: goodsOf(i), godNm: `벤치 상품 ${i}` })));
      const link = await insertTestMallLink(db, { cst_cd: cstCd });
      const run = await createCatalogueImport(db, link.id, []);
      const products = Array.from({ length: variants / 2 }, (_, p) => ({
        productNo: p + 1,
        productCode: `P${p + 1}`,
        productName: `벤치 상품 ${p + 1}`,
        customProductCode: null,
        hasOption: true,
        optionType: 'C' as const,
        setProduct: false,
        selling: true,
        display: true,
        variants: [0, 1].map((o) => ({ variantCode: `BV${String(p * 2 + o).padStart(6, '0')}`, customVariantCode: null, options: [{ name: '색상', value: `c${o}` }], selling: null, display: null })),
      }));
      const rows = products.flatMap(catalogueVariantsOf);
      // Import-sized pages: one INSERT has at most 65535 parameters.
      for (let i = 0; i < rows.length; i += 1000) await upsertCatalogueVariants(db, link.id, run.id, rows.slice(i, i + 1000));
      const paidAt = '2026-11-30T01:00:00.000Z';
      const orders = Array.from({ length: heldOrders }, (_, i) => storedOrder(`BO-${i}`, paidAt, [storedItem(`BO-${i}`, 1, { variantCode: `BV${String(i * 5).padStart(6, '0')}` })]));
      await upsertCollectedOrders(db, link.id, orders);
      await upsertUnlinkedOrders(
        db,
        link.id,
        orders.map((o) => ({ kind: 'unlinked' as const, orderId: o.orderId, shopNo: 1, paidAt, items: [{ orderItemCode: o.items[0]!.orderItemCode, variantCode: o.items[0]!.variantCode, reason: 'no_link' as const }] })),
      );
      const key = generateApiKey();
      await insertApiKey(db, { name: 'bench', scope: { role: 'admin', cstCd: null }, displayPrefix: key.displayPrefix, hash: key.hash });
      const headers = { authorization: `Bearer ${key.plaintext}` };
      const base = `/v1/mall-links/${link.id}/product-links`;

      async function timedUpload(file: File): Promise<{ seconds: number; body: { counts: Record<string, number>; readyOrders: unknown[] } }> {
        const form = new FormData();
        form.append('file', file);
        const started = performance.now();
        const res = await app.request(`${base}/uploads`, { method: 'POST', headers, body: form });
        const seconds = (performance.now() - started) / 1000;
        if (res.status !== 200) throw new Error(`upload answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
        return { seconds, body: (await res.json()) as { counts: Record<string, number>; readyOrders: unknown[] } };
      }

      let started = performance.now();
      const download = await app.request(`${base}.xlsx`, { headers });
      const sheetBytes = await download.arrayBuffer();
      const downloadSeconds = (performance.now() - started) / 1000;
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(sheetBytes);
      const sheet = workbook.getWorksheet('상품연결')!;
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        row.getCell(7).value = goodsOf(n - 2);
        row.getCell(8).value = 1;
      });
      const xlsx = new Uint8Array(await workbook.xlsx.writeBuffer());
      const first = await timedUpload(new File([xlsx], 'links.xlsx'));
      if (first.body.counts.linked !== variants || first.body.readyOrders.length !== heldOrders) throw new Error(`unexpected xlsx report: ${JSON.stringify(first.body.counts)}`);

      const csvLines = ['품목코드,FMS상품코드,수량', ...Array.from({ length: variants }, (_, i) => `BV${String(i).padStart(6, '0')},${goodsOf(variants + i)},2`)];
      const csv = `\uFEFF${csvLines.join('\r\n')}\r\n`;
      started = performance.now();
      const second = await timedUpload(new File([csv], 'links.csv'));
      if (second.body.counts.linked !== variants) throw new Error(`unexpected csv report: ${JSON.stringify(second.body.counts)}`);
      const linkRows = await db.selectFrom('product_links').select((eb) => eb.fn.countAll<string>().as('n')).where('mall_link_id', '=', link.id).executeTakeFirstOrThrow();
      return {
        'rows per upload': String(variants),
        'held orders made ready by the first upload': String(first.body.readyOrders.length),
        'download .xlsx (s)': downloadSeconds.toFixed(2),
        '.xlsx size (KiB)': (sheetBytes.byteLength / 1024).toFixed(0),
        'upload .xlsx, 5,000 new links (s)': first.seconds.toFixed(2),
        'upload .csv, 5,000 links replaced (s)': second.seconds.toFixed(2),
        '.csv size (KiB)': (csv.length / 1024).toFixed(0),
        'links stored (must be 5,000)': linkRows.n,
      };
    } finally {
      await fmsGoods.close();
      await cafe24.close();
      await fms.stop();
    }
  });
}
