import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Db } from '../../db/database.js';
import {
  findCatalogueImport,
  finishCatalogueImport,
  recordCatalogueImportPage,
  setCatalogueImportWorkflow,
  type CatalogueImport,
} from '../../db/repositories/cafe24-catalogue-imports.js';
import { markCatalogueVariantsGone, upsertCatalogueVariants } from '../../db/repositories/cafe24-catalogue-variants.js';
import { findMallLinkById } from '../../db/repositories/mall-links.js';
import { catalogueVariantsOf } from '../../domain/catalogue.js';
import { catalogueErrorTypes, type CatalogueImportActivities, type CatalogueImportProgress } from '../../temporal/catalogue.js';
import { asActivityFailure } from '../activity-failure.js';
import type { CatalogueSource } from './ports.js';

export interface CatalogueActivityDeps {
  db: Db;
  source: CatalogueSource;
}

const progressOf = (run: CatalogueImport, mallId: string): CatalogueImportProgress => ({
  importId: run.id,
  mallLinkId: run.mallLinkId,
  mallId,
  statuses: run.statuses,
  status: run.status,
  sinceProductNo: run.pagingDone ? null : run.sinceProductNo,
  pages: run.pages,
  productsSeen: run.productsSeen,
  variantsSeen: run.variantsSeen,
  variantsNew: run.variantsNew,
  variantsGone: run.variantsGone,
});

export function createCatalogueActivities({ db, source }: CatalogueActivityDeps): CatalogueImportActivities {
  /** The import and its link's mall, or a failure no retry fixes. */
  async function load(importId: string) {
    const run = await findCatalogueImport(db, importId);
    if (!run) throw ApplicationFailure.nonRetryable(`catalogue import ${importId} does not exist`, catalogueErrorTypes.importNotFound);
    const link = await findMallLinkById(db, run.mallLinkId);
    if (!link) throw ApplicationFailure.nonRetryable(`mall link ${run.mallLinkId} no longer exists`, catalogueErrorTypes.linkNotFound);
    return { run, mall: { mallLinkId: link.id, mallId: link.mall_id } };
  }

  async function reload(importId: string, mallId: string): Promise<CatalogueImportProgress> {
    const { run } = await load(importId);
    return progressOf(run, mallId);
  }

  return {
    async beginCatalogueImport({ importId, workflowId, runId }) {
      const { run, mall } = await load(importId);
      await setCatalogueImportWorkflow(db, importId, workflowId, runId);
      return progressOf(run, mall.mallId);
    },

    async importCataloguePage({ importId, sinceProductNo }) {
      const { run, mall } = await load(importId);
      // A try whose transaction committed but whose answer was lost: the checkpoint has moved on.
      if (run.pagingDone || run.sinceProductNo !== sinceProductNo || run.status !== 'running') return progressOf(run, mall.mallId);
      Context.current().heartbeat({ sinceProductNo });
      let page;
      try {
        page = await source.productPage(mall, { sinceProductNo, statuses: run.statuses });
      } catch (error) {
        throw asActivityFailure(error);
      }
      Context.current().heartbeat({ sinceProductNo, products: page.products.length });
      const variants = page.products.flatMap(catalogueVariantsOf);
      await db.transaction().execute(async (trx) => {
        const { added } = await upsertCatalogueVariants(trx, mall.mallLinkId, importId, variants);
        await recordCatalogueImportPage(trx, importId, {
          sinceProductNo,
          nextSinceProductNo: page.next,
          products: page.products.length,
          variants: variants.length,
          variantsNew: added,
        });
      });
      return reload(importId, mall.mallId);
    },

    async completeCatalogueImport({ importId }) {
      const { run, mall } = await load(importId);
      // An earlier try already closed it (and marked what was gone then).
      if (run.status !== 'running') return progressOf(run, mall.mallId);
      const finished = await db.transaction().execute(async (trx) => {
        const gone = await markCatalogueVariantsGone(trx, mall.mallLinkId, importId, run.statuses);
        return finishCatalogueImport(trx, importId, { status: 'completed', variantsGone: gone, error: null });
      });
      return finished ? progressOf(finished, mall.mallId) : reload(importId, mall.mallId);
    },

    async failCatalogueImport({ importId, error }) {
      await finishCatalogueImport(db, importId, { status: 'failed', variantsGone: 0, error });
    },
  };
}
