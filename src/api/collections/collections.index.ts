import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Context } from 'hono';
import { findActiveCollectionLease } from '../../db/repositories/collection-leases.js';
import { listCollectionRuns } from '../../db/repositories/collection-runs.js';
import { collectionBlocker, collectionRunSummary } from '../../domain/collection-run.js';
import type { CollectOrdersWorkflow } from '../../temporal/collection.js';
import { collectOrdersWorkflowIdPrefix, manualCollectWorkflowId, workflowTypes } from '../../temporal/names.js';
import { CstCdKey, MallIdKey, SlotAtKey, TriggerKey } from '../../temporal/search-attributes.js';
import { loadAccessibleMallLink } from '../lib/mall-link-access.js';
import { ProblemError } from '../lib/problem.js';
import { createRouter } from '../lib/router.js';
import { temporalRunUrl } from '../lib/temporal-ui.js';
import type { AppEnv } from '../lib/types.js';
import { collectionRunJson } from './collection-run-json.js';
import { collectionRunPaging, listCollections, startCollection } from './collections.routes.js';

function inProgress(c: Context<AppEnv>, workflowId: string) {
  return new ProblemError(409, 'collection-in-progress', 'Collection In Progress', `run ${workflowId} is collecting this mall; try again when it has finished`, {
    workflowId,
    temporalUiUrl: temporalRunUrl(c.get('deps').config, workflowId),
  });
}

/**
 * The run currently working on a link: the lease holder, else a running collectOrders execution
 * with the link's id prefix (a scheduled run that has not reached its lease yet).
 */
async function runningCollection(c: Context<AppEnv>, mallLinkId: string): Promise<string | null> {
  const { db, temporal } = c.get('deps');
  const lease = await findActiveCollectionLease(db, mallLinkId);
  if (lease) return lease.workflowId;
  const query = `WorkflowType = '${workflowTypes.collectOrders}' AND ExecutionStatus = 'Running' AND WorkflowId STARTS_WITH '${collectOrdersWorkflowIdPrefix(mallLinkId)}'`;
  for await (const execution of temporal.workflow.list({ query, pageSize: 1 })) return execution.workflowId;
  return null;
}

export const collectionsRouter = createRouter()
  .openapi(startCollection, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const { config, temporal } = c.get('deps');
    // A manual slot is "now", to the second, so the ledger and the UI show a readable time.
    const slotAt = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    const blocker = collectionBlocker(link, slotAt);
    if (blocker) throw new ProblemError(409, 'collection-not-possible', 'Collection Not Possible', `this link cannot be collected now: ${blocker}`, { reason: blocker });

    const running = await runningCollection(c, link.id);
    if (running) throw inProgress(c, running);
    try {
      const handle = await temporal.workflow.start<CollectOrdersWorkflow>(workflowTypes.collectOrders, {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: manualCollectWorkflowId(link.id),
        workflowIdConflictPolicy: 'FAIL',
        args: [{ mallLinkId: link.id, slotAt, trigger: 'manual' }],
        staticSummary: collectionRunSummary(link.mall_id, slotAt),
        typedSearchAttributes: [
          { key: MallIdKey, value: link.mall_id },
          { key: CstCdKey, value: link.cst_cd },
          { key: TriggerKey, value: 'manual' },
          { key: SlotAtKey, value: new Date(slotAt) },
        ],
      });
      const runId = handle.firstExecutionRunId;
      c.get('log').info({ mallLinkId: link.id, workflowId: handle.workflowId, runId }, 'manual collection started');
      return c.json({ workflowId: handle.workflowId, runId, slotAt, temporalUiUrl: temporalRunUrl(config, handle.workflowId, runId) }, 202);
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw inProgress(c, error.workflowId);
      throw error;
    }
  })
  .openapi(listCollections, async (c) => {
    const link = await loadAccessibleMallLink(c, c.req.valid('param').id);
    const { limit, cursor } = c.req.valid('query');
    const { db, config } = c.get('deps');
    const page = await listCollectionRuns(db, link.id, { after: cursor, limit });
    return c.json(collectionRunPaging.body(page, (row) => collectionRunJson(config, row)), 200);
  });
