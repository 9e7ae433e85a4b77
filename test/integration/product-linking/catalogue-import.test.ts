import { MockActivityEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../src/activities/index.js';
import type { Cafe24Connection } from '../../../src/clients/cafe24/connection.js';
import { createCatalogueImport, findCatalogueImport } from '../../../src/db/repositories/cafe24-catalogue-imports.js';
import { listCatalogueVariants, type ListedCatalogueVariant } from '../../../src/db/repositories/cafe24-catalogue-variants.js';
import { startCatalogueImport } from '../../../src/services/catalogue-imports.js';
import type { CatalogueImportProgress } from '../../../src/temporal/catalogue.js';
import { catalogueImportProgressQueryName } from '../../../src/temporal/catalogue.js';
import { catalogueImportWorkflowId } from '../../../src/temporal/names.js';
import { CstCdKey, MallIdKey } from '../../../src/temporal/search-attributes.js';
import { pino } from 'pino';
import type { MallLinkRow } from '../../../db/schema.js';
import { createTestApp, json } from '../../support/api.js';
import { connectCafe24, createAuthorizedMall, startTestSimulator } from '../../support/cafe24.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { adminScope, apiCaller, createTestApiKey, type TestApiKey } from '../../support/mall-link-api.js';
import { connectTestTemporal, workflowBundle, type TestTemporal } from '../../support/temporal.js';

/** Every stored variant of the link, gone ones included, in catalogue order. */
async function storedCatalogue(database: TestDatabase, link: MallLinkRow): Promise<ListedCatalogueVariant[]> {
  return (await listCatalogueVariants(database.db, link.id, {}, { limit: 100_000 })).rows;
}

describe('catalogue import (카페24 상품 가져오기) on Temporal against the Cafe24 simulator', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let sim: Awaited<ReturnType<typeof startTestSimulator>>['sim'];
  let control: Awaited<ReturnType<typeof startTestSimulator>>['control'];
  let cafe24: Cafe24Connection;
  let call: ReturnType<typeof apiCaller>;
  let admin: TestApiKey;

  const newWorker = (activities: object = createActivities({ db: database.db, cafe24 })) =>
    workflowBundle().then((workflowBundle) =>
      Worker.create({ connection: temporal.nativeConnection, namespace: temporal.namespace, taskQueue: temporal.taskQueue, workflowBundle, activities }),
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    ({ sim, control } = await startTestSimulator());
    cafe24 = connectCafe24(sim, database.db);
    call = apiCaller(createTestApp({ db: database.db, temporal: temporal.client, env: { TEMPORAL_TASK_QUEUE: temporal.taskQueue } }));
    admin = await createTestApiKey(database.db, adminScope);
  });
  afterAll(async () => {
    await cafe24?.close();
    await sim?.stop();
    await temporal?.close();
    await database?.drop();
  });

  it('imports >100 products of every option type page by page, then a re-import updates, marks gone and never duplicates', async () => {
    const { link } = await createAuthorizedMall(database.db, sim, cafe24);
    await control.generateCatalog(link.mall_id, 130);
    const products = await control.products(link.mall_id);
    const variantCount = products.reduce((n, p) => n + p.variants.length, 0);
    expect(new Set(products.map((p) => p.option_type))).toEqual(new Set(['C', 'S', 'F', 'E', null]));
    const started = await call('POST', `/v1/mall-links/${link.id}/product-imports`, { key: admin, body: { statuses: [] } });
    expect(started.status).toBe(202);
    const first = await json(started);
    expect(first).toMatchObject({ status: 'running', statuses: [], workflowId: catalogueImportWorkflowId(link.id) });
    const handle = temporal.client.workflow.getHandle(first.workflowId, first.runId);
    const progress = await (await newWorker()).runUntil(async () => {
      await handle.result();
      return handle.query<CatalogueImportProgress>(catalogueImportProgressQueryName);
    });
    expect(progress).toMatchObject({ status: 'completed', pages: 2, productsSeen: products.length, variantsSeen: variantCount, variantsNew: variantCount, variantsGone: 0, sinceProductNo: null });
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(MallIdKey)).toBe(link.mall_id);
    expect(description.typedSearchAttributes.get(CstCdKey)).toBe(link.cst_cd);
    expect(await json(await call('GET', `/v1/mall-links/${link.id}/product-imports/${first.importId}`, { key: admin }))).toMatchObject({
      status: 'completed',
      pages: 2,
      productsSeen: products.length,
      variantsSeen: variantCount,
      nextSinceProductNo: null,
      finishedAt: expect.any(String),
    });

    const imported = await storedCatalogue(database, link);
    expect(imported).toHaveLength(variantCount);
    const productLinked = imported.filter((v) => v.optionType === 'E');
    expect(productLinked.length).toBeGreaterThan(0);
    expect(productLinked.every((v) => !v.linkable && v.unlinkableReason === 'unlinkable_option_type')).toBe(true);
    expect(imported.filter((v) => v.optionType !== 'E').every((v) => v.linkable)).toBe(true);
    expect(imported.filter((v) => v.setProduct)).toHaveLength(1);

    // On Cafe24: one product renamed, one deleted, one variant of a combination product removed.
    const [renamed, deleted] = products;
    const combination = products.find((p) => p.option_type === 'C' && p.variants.length > 1 && p !== renamed && p !== deleted)!;
    const removedVariant = combination.variants[1]!.variant_code;
    await control.updateProduct(link.mall_id, renamed!.product_no, { product_name: '이름 바꾼 상품' });
    await control.deleteProduct(link.mall_id, deleted!.product_no);
    await control.updateProduct(link.mall_id, combination.product_no, { variants: { [removedVariant]: null } });

    const again = await json(await call('POST', `/v1/mall-links/${link.id}/product-imports`, { key: admin, body: { statuses: [] } }));
    const second = await (await newWorker()).runUntil(temporal.client.workflow.getHandle(again.workflowId, again.runId).result());
    const goneCount = deleted!.variants.length + 1;
    expect(second).toMatchObject({ status: 'completed', variantsNew: 0, variantsSeen: variantCount - goneCount, variantsGone: goneCount });

    const reimported = await storedCatalogue(database, link);
    expect(reimported).toHaveLength(variantCount);
    expect(new Set(reimported.map((v) => v.variantCode)).size).toBe(variantCount);
    expect(reimported.filter((v) => v.goneAt !== null).map((v) => v.variantCode).sort()).toEqual([...deleted!.variants.map((v) => v.variant_code), removedVariant].sort());
    expect(reimported.filter((v) => v.productNo === renamed!.product_no).every((v) => v.productName === '이름 바꾼 상품')).toBe(true);

    // A selling-only import reads fewer products and marks none of the hidden, unsold ones gone.
    const selling = await json(await call('POST', `/v1/mall-links/${link.id}/product-imports`, { key: admin }));
    expect(selling.statuses).toEqual(['selling']);
    const third = await (await newWorker()).runUntil(temporal.client.workflow.getHandle(selling.workflowId, selling.runId).result());
    const notSelling = products.filter((p) => p.selling === 'F' && p.product_no !== deleted!.product_no);
    expect(notSelling.length).toBeGreaterThan(0);
    expect(third).toMatchObject({ status: 'completed', variantsGone: 0, productsSeen: products.length - 1 - notSelling.length });
    const afterSelling = await storedCatalogue(database, link);
    expect(afterSelling.filter((v) => v.goneAt !== null)).toHaveLength(goneCount);
  });

  it('a second import while one runs is refused with 409 and leaves no row', async () => {
    const { link } = await createAuthorizedMall(database.db, sim, cafe24);
    // No worker polls yet: the first import stays running.
    const first = await json(await call('POST', `/v1/mall-links/${link.id}/product-imports`, { key: admin }));
    const refused = await call('POST', `/v1/mall-links/${link.id}/product-imports`, { key: admin, body: { statuses: ['displayed'] } });
    expect(refused.status).toBe(409);
    expect((await json(refused)).type).toBe('/problems/catalogue-import-running');
    expect(await database.db.selectFrom('cafe24_catalogue_imports').select('id').where('mall_link_id', '=', link.id).execute()).toEqual([{ id: first.importId }]);
    await temporal.client.workflow.getHandle(first.workflowId).terminate('test cleanup');
    expect(await findCatalogueImport(database.db, first.importId)).toMatchObject({ status: 'running' });
  });

  it('a page whose answer was lost is not read again: the retried activity finds the checkpoint moved', async () => {
    const { link } = await createAuthorizedMall(database.db, sim, cafe24);
    await control.generateCatalog(link.mall_id, 150, 'lost');
    const activities = createActivities({ db: database.db, cafe24 });
    const run = await createCatalogueImport(database.db, link.id, []);
    const env = new MockActivityEnvironment();
    const runIn = (since: number) => env.run(activities.importCataloguePage, { importId: run.id, sinceProductNo: since }) as Promise<CatalogueImportProgress>;
    const first = await runIn(0);
    // The same call again, as Temporal retries it when the first answer never reached the server.
    expect(await runIn(0)).toEqual(first);
    expect(first.pages).toBe(1);
    expect((await control.stats(link.mall_id))?.byRoute['GET /products']).toBe(1);
    const last = await runIn(first.sinceProductNo!);
    expect(last).toMatchObject({ pages: 2, sinceProductNo: null });
    expect(await storedCatalogue(database, link)).toHaveLength(last.variantsSeen);
  });

  it('resumes on another worker after the first stops mid-import, continuing as new: every page read once, no duplicates', async () => {
    const { link } = await createAuthorizedMall(database.db, sim, cafe24);
    await control.generateCatalog(link.mall_id, 320, 'resume');
    const products = await control.products(link.mall_id);
    const variantCount = products.reduce((n, p) => n + p.variants.length, 0);
    const real = createActivities({ db: database.db, cafe24 });
    let pagesDone = 0;
    const firstWorker: Worker = await newWorker({
      ...real,
      async importCataloguePage(input: { importId: string; sinceProductNo: number }) {
        const progress = await real.importCataloguePage(input);
        pagesDone += 1;
        // After page 2 the worker goes away; the next worker carries on from the workflow's history.
        if (pagesDone === 2) firstWorker.shutdown();
        return progress;
      },
    });
    const started = await startCatalogueImport(
      { db: database.db, temporal: temporal.client, taskQueue: temporal.taskQueue, log: pino({ level: 'silent' }) },
      link,
      [],
      { pagesPerRun: 2 },
    );
    await firstWorker.run();
    expect(await findCatalogueImport(database.db, started.catalogueImport.id)).toMatchObject({ status: 'running', pagingDone: false, pages: 2 });
    const result = await (await newWorker()).runUntil(temporal.client.workflow.getHandle(started.workflowId).result());

    expect(result).toMatchObject({ status: 'completed', pages: 4, productsSeen: products.length, variantsSeen: variantCount, variantsNew: variantCount });
    expect(await storedCatalogue(database, link)).toHaveLength(variantCount);
    // Four pages of products, each read from Cafe24 once.
    expect((await control.stats(link.mall_id))?.byRoute['GET /products']).toBe(4);
    // pagesPerRun 2: the import continued as new after two pages.
    const runs: string[] = [];
    for await (const execution of temporal.client.workflow.list({ query: `WorkflowId = '${started.workflowId}'` })) runs.push(execution.runId);
    expect(runs.length).toBeGreaterThan(1);
  });
});
