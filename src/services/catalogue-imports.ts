import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { MallLinkRow } from '../../db/schema.js';
import type { Db } from '../db/database.js';
import { createCatalogueImport, deleteCatalogueImport, setCatalogueImportWorkflow, type CatalogueImport } from '../db/repositories/cafe24-catalogue-imports.js';
import { catalogueImportSummary, type ProductStatusFilter } from '../domain/catalogue.js';
import type { Logger } from '../logger.js';
import type { ImportCatalogueInput } from '../temporal/catalogue.js';
import { catalogueImportWorkflowId, workflowTypes } from '../temporal/names.js';
import { CstCdKey, MallIdKey, TriggerKey } from '../temporal/search-attributes.js';
import { ConflictError } from './errors.js';

export interface CatalogueImportDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  log: Logger;
}

export interface StartedCatalogueImport {
  catalogueImport: CatalogueImport;
  workflowId: string;
  runId: string;
}

/**
 * Starts importing a link's Cafe24 catalogue (the products in `statuses`; none: every product):
 * the import row first, then the workflow that fills it. One import per link at a time: while one
 * runs, another is refused (ConflictError) and leaves no row behind.
 */
export async function startCatalogueImport(
  deps: CatalogueImportDeps,
  link: MallLinkRow,
  statuses: readonly ProductStatusFilter[],
  options: { pagesPerRun?: number } = {},
): Promise<StartedCatalogueImport> {
  const catalogueImport = await createCatalogueImport(deps.db, link.id, statuses);
  const input: ImportCatalogueInput = { mallLinkId: link.id, importId: catalogueImport.id, ...options };
  try {
    const handle = await deps.temporal.workflow.start(workflowTypes.importCatalogue, {
      taskQueue: deps.taskQueue,
      workflowId: catalogueImportWorkflowId(link.id),
      workflowIdConflictPolicy: 'FAIL',
      args: [input],
      staticSummary: catalogueImportSummary(link.mall_id, statuses),
      typedSearchAttributes: [
        { key: MallIdKey, value: link.mall_id },
        { key: CstCdKey, value: link.cst_cd },
        { key: TriggerKey, value: 'manual' },
      ],
    });
    const runId = handle.firstExecutionRunId;
    await setCatalogueImportWorkflow(deps.db, catalogueImport.id, handle.workflowId, runId);
    deps.log.info({ mallLinkId: link.id, importId: catalogueImport.id, workflowId: handle.workflowId, runId, statuses }, 'catalogue import started');
    return { catalogueImport: { ...catalogueImport, workflowId: handle.workflowId, runId }, workflowId: handle.workflowId, runId };
  } catch (error) {
    await deleteCatalogueImport(deps.db, catalogueImport.id);
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new ConflictError('catalogue-import-running', 'Catalogue Import Running', `an import of this mall's catalogue is running (${error.workflowId}); try again when it has finished`);
    }
    throw error;
  }
}
