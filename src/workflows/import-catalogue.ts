import { CancellationScope, continueAsNew, defineQuery, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import { catalogueImportSummary } from '../domain/catalogue.js';
import { catalogueErrorTypes, catalogueImportProgressQueryName, type CatalogueImportActivities, type CatalogueImportProgress, type ImportCatalogueInput } from '../temporal/catalogue.js';
import { databaseActivityOptions, remoteActivityOptions } from './activity-options.js';
import { failureMessage } from './failure-message.js';

const nonRetryableErrorTypes = Object.values(catalogueErrorTypes);
const database = proxyActivities<CatalogueImportActivities>(databaseActivityOptions(nonRetryableErrorTypes));
// A page is one paced Cafe24 call and one transaction; a worker that dies mid-page is noticed
// within 30 s and the page is read again (the checkpoint only moves with the page's rows).
const remote = proxyActivities<CatalogueImportActivities>(remoteActivityOptions(nonRetryableErrorTypes, '30 seconds'));

const defaultPagesPerRun = 100;
const progressQuery = defineQuery<CatalogueImportProgress>(catalogueImportProgressQueryName);

/**
 * 카페24 상품 가져오기 for one link: pages of ≤100 products with their variants from Cafe24 into
 * PostgreSQL, then what the import no longer saw is marked gone. Only the import id, the
 * checkpoint and counts pass through history; a run continues as new every `pagesPerRun` pages.
 * Progress: the `catalogueImportProgress` query, the current details, and the import row.
 */
export async function importCatalogue(input: ImportCatalogueInput): Promise<CatalogueImportProgress> {
  const info = workflowInfo();
  let progress: CatalogueImportProgress =
    input.resume ?? (await database.beginCatalogueImport.executeWithOptions({ summary: 'import row' }, [{ importId: input.importId, workflowId: info.workflowId, runId: info.firstExecutionRunId }]));
  setHandler(progressQuery, () => progress);
  const summary = catalogueImportSummary(progress.mallId, progress.statuses);
  const pagesPerRun = input.pagesPerRun ?? defaultPagesPerRun;

  let pagesThisRun = 0;
  let continuing = false;
  try {
    while (progress.sinceProductNo !== null) {
      if (pagesThisRun >= pagesPerRun || workflowInfo().continueAsNewSuggested) {
        continuing = true;
        break;
      }
      setCurrentDetails(`${summary} — ${progress.variantsSeen} variants of ${progress.productsSeen} products so far`);
      const since: number = progress.sinceProductNo;
      progress = await remote.importCataloguePage.executeWithOptions({ summary: `Cafe24 products after ${since}` }, [{ importId: input.importId, sinceProductNo: since }]);
      pagesThisRun += 1;
    }
    if (!continuing) progress = await database.completeCatalogueImport.executeWithOptions({ summary: 'mark gone, close import' }, [{ importId: input.importId }]);
  } catch (error) {
    // Close the import row even when the run fails, then fail visibly.
    await CancellationScope.nonCancellable(() => database.failCatalogueImport({ importId: input.importId, error: failureMessage(error) }));
    throw error;
  }
  if (continuing) return continueAsNew<typeof importCatalogue>({ ...input, resume: progress });
  setCurrentDetails(`${summary} — done: ${progress.variantsSeen} variants of ${progress.productsSeen} products, ${progress.variantsNew} new, ${progress.variantsGone} gone`);
  return progress;
}
