import { listInvoiceSyncRuns } from '../../db/repositories/invoice-sync-runs.js';
import { invoiceSyncBlocker, invoiceSyncRunSummary } from '../../domain/invoice-sync.js';
import { manualInvoiceSyncWorkflowId, syncInvoicesWorkflowIdPrefix, workflowTypes } from '../../temporal/names.js';
import { loadAccessibleMallLink } from '../lib/mall-link-access.js';
import { manualSlotAt, startManualRun, type ManualRunKind } from '../lib/manual-runs.js';
import { ProblemError } from '../lib/problem.js';
import { createRouter } from '../lib/router.js';
import { invoiceSyncRunJson } from './invoice-sync-run-json.js';
import { invoiceSyncRunPaging, listInvoiceSyncs, startInvoiceSync } from './invoice-syncs.routes.js';

/** Invoice runs hold no lease: a running syncInvoices execution with the link's id prefix is the run in progress. */
const invoiceSyncRuns: ManualRunKind = {
  workflowType: workflowTypes.syncInvoices,
  workflowIdPrefix: syncInvoicesWorkflowIdPrefix,
  manualWorkflowId: manualInvoiceSyncWorkflowId,
  summary: invoiceSyncRunSummary,
  conflict: { type: 'invoice-sync-in-progress', title: 'Invoice Sync In Progress', doing: 'syncing invoices of' },
};

export const invoiceSyncsRouter = createRouter()
  .openapi(startInvoiceSync, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const slotAt = manualSlotAt();
    const blocker = invoiceSyncBlocker(link, slotAt);
    if (blocker) throw new ProblemError(409, 'invoice-sync-not-possible', 'Invoice Sync Not Possible', `this link cannot sync invoices now: ${blocker}`, { reason: blocker });
    return c.json(await startManualRun(c, invoiceSyncRuns, link, slotAt), 202);
  })
  .openapi(listInvoiceSyncs, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const { limit, cursor } = c.req.valid('query');
    const { db, config } = c.get('deps');
    const page = await listInvoiceSyncRuns(db, link.id, { after: cursor, limit });
    return c.json(invoiceSyncRunPaging.body(page, (row) => invoiceSyncRunJson(config, row)), 200);
  });
