import { Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { createActivities } from '../src/activities/index.js';
import { startCatalogueImport } from '../src/services/catalogue-imports.js';
import type { ImportCatalogueWorkflow } from '../src/temporal/catalogue.js';
import { connectCafe24, createAuthorizedMall, startTestSimulator } from '../test/support/cafe24.js';
import { withThrowAwayStack } from '../test/support/throw-away-stack.js';

/**
 * 카페24 상품 가져오기 of a catalogue of at least 5,000 variants: embedded PostgreSQL, the Temporal
 * dev server, an in-process worker and the Cafe24 simulator (its leaky bucket: 40 deep, 2 calls/s)
 * over local HTTP. Timed from the start of the import to its result.
 */

const targetVariants = 5_000;

export async function benchCatalogueImport(): Promise<Record<string, string>> {
  return withThrowAwayStack(async ({ db, client, nativeConnection, workflowBundle }) => {
    const { sim, control } = await startTestSimulator({ seed: 'bench' });
    const cafe24 = connectCafe24(sim, db);
    try {
      const { link } = await createAuthorizedMall(db, sim, cafe24);
      // The generated catalogue's variants per product vary with the option types: size it from a sample.
      const sample = await control.generateCatalog(link.mall_id, 200);
      let catalogue = await control.generateCatalog(link.mall_id, Math.ceil((targetVariants * sample.products) / sample.variants));
      for (let products = catalogue.products; catalogue.variants < targetVariants; products += 20) catalogue = await control.generateCatalog(link.mall_id, products);
      const taskQueue = 'bench-catalogue-import';
      const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle, activities: createActivities({ db, cafe24 }) });
      return await worker.runUntil(async () => {
        const before = (await control.stats(link.mall_id))?.requests ?? 0;
        const started = performance.now();
        const run = await startCatalogueImport({ db, temporal: client, taskQueue, log: pino({ level: 'silent' }) }, link, []);
        const handle = client.workflow.getHandle<ImportCatalogueWorkflow>(run.workflowId, run.runId);
        const result = await handle.result();
        const seconds = (performance.now() - started) / 1000;
        const stored = await db.selectFrom('cafe24_catalogue_variants').select((eb) => eb.fn.countAll<number>().as('n')).where('mall_link_id', '=', link.id).executeTakeFirstOrThrow();
        if (result.variantsSeen !== catalogue.variants || Number(stored.n) !== catalogue.variants) {
          throw new Error(`expected ${catalogue.variants} variants imported once each: ${JSON.stringify(result)}, ${stored.n} rows`);
        }
        return {
          'products / variants': `${catalogue.products} / ${catalogue.variants}`,
          'wall time (s)': seconds.toFixed(1),
          'variants/s': (catalogue.variants / seconds).toFixed(0),
          'Cafe24 calls (pages of 100 products)': String(((await control.stats(link.mall_id))?.requests ?? 0) - before),
          'history events (first run)': String((await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory()).events?.length ?? 0),
        };
      });
    } finally {
      await cafe24.close();
      await sim.stop();
    }
  });
}
