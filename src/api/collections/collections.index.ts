import { findActiveCollectionLease } from '../../db/repositories/collection-leases.js';
import { listCollectionRuns } from '../../db/repositories/collection-runs.js';
import { collectionBlocker, collectionRunSummary } from '../../domain/collection-run.js';
import { collectOrdersWorkflowIdPrefix, manualCollectWorkflowId, workflowTypes } from '../../temporal/names.js';
import { manualSlotAt, startManualRun, type ManualRunKind } from '../lib/manual-runs.js';
import { loadAccessibleMallLink } from '../lib/mall-link-access.js';
import { ProblemError } from '../lib/problem.js';
import { createRouter } from '../lib/router.js';
import { collectionRunJson } from './collection-run-json.js';
import { collectionRunPaging, listCollections, startCollection } from './collections.routes.js';

/**
 * Collection runs: the lease holder works on the link, and a running collectOrders execution with
 * the link's id prefix may be a scheduled run that has not reached its lease yet.
 */
const collectionRuns: ManualRunKind = {
  workflowType: workflowTypes.collectOrders,
  workflowIdPrefix: collectOrdersWorkflowIdPrefix,
  manualWorkflowId: manualCollectWorkflowId,
  summary: collectionRunSummary,
  conflict: { type: 'collection-in-progress', title: 'Collection In Progress', doing: 'collecting' },
  holder: async (c, mallLinkId) => (await findActiveCollectionLease(c.get('deps').db, mallLinkId))?.workflowId ?? null,
};

export const collectionsRouter = createRouter()
  .openapi(startCollection, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const slotAt = manualSlotAt();
    const blocker = collectionBlocker(link, slotAt);
    if (blocker) throw new ProblemError(409, 'collection-not-possible', 'Collection Not Possible', `this link cannot be collected now: ${blocker}`, { reason: blocker });
    return c.json(await startManualRun(c, collectionRuns, link, slotAt), 202);
  })
  .openapi(listCollections, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const { limit, cursor } = c.req.valid('query');
    const { db, config } = c.get('deps');
    const page = await listCollectionRuns(db, link.id, { after: cursor, limit });
    return c.json(collectionRunPaging.body(page, (row) => collectionRunJson(config, row)), 200);
  });
