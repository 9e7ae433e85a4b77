import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Context } from 'hono';
import type { MallLinkRow } from '../../../db/schema.js';
import type { CollectOrdersInput } from '../../temporal/collection.js';
import type { SyncInvoicesInput } from '../../temporal/invoices.js';
import { CstCdKey, MallIdKey, SlotAtKey, TriggerKey } from '../../temporal/search-attributes.js';
import { ProblemError } from './problem.js';
import { temporalRunUrl } from './temporal-ui.js';
import type { AppEnv } from './types.js';

/**
 * Runs a person starts through the API (collection, invoice sync): one run per link and kind at
 * a time, started with the same id, summary and search attributes as scheduled runs carry.
 */
export interface ManualRunKind {
  workflowType: string;
  /** Every run of this kind for the link (scheduled and manual) has a workflow id with this prefix. */
  workflowIdPrefix: (mallLinkId: string) => string;
  /** The one id of the link's manual runs: Temporal refuses a second start while one runs. */
  manualWorkflowId: (mallLinkId: string) => string;
  summary: (mallId: string, slotAt: string) => string;
  /** The 409 while a run is in progress: problem type, title, and what the run is doing to the mall. */
  conflict: { type: string; title: string; doing: string };
  /** A holder Temporal's visibility may not show yet (e.g. the collection lease). */
  holder?: (c: Context<AppEnv>, mallLinkId: string) => Promise<string | null>;
}

export interface ManualRunStarted {
  workflowId: string;
  runId: string;
  slotAt: string;
  temporalUiUrl: string;
}

/** A manual slot is "now", to the second, so the ledger and the UI show a readable time. */
export const manualSlotAt = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();

function inProgress(c: Context<AppEnv>, kind: ManualRunKind, workflowId: string) {
  return new ProblemError(409, kind.conflict.type, kind.conflict.title, `run ${workflowId} is ${kind.conflict.doing} this mall; try again when it has finished`, {
    workflowId,
    temporalUiUrl: temporalRunUrl(c.get('deps').config, workflowId),
  });
}

/** The holder, else a running execution of the kind with the link's id prefix (e.g. a scheduled run). */
async function runningExecution(c: Context<AppEnv>, kind: ManualRunKind, mallLinkId: string): Promise<string | null> {
  const held = kind.holder ? await kind.holder(c, mallLinkId) : null;
  if (held) return held;
  const query = `WorkflowType = '${kind.workflowType}' AND ExecutionStatus = 'Running' AND WorkflowId STARTS_WITH '${kind.workflowIdPrefix(mallLinkId)}'`;
  for await (const execution of c.get('deps').temporal.workflow.list({ query, pageSize: 1 })) return execution.workflowId;
  return null;
}

/** Starts the link's manual run of this kind at `slotAt`, or throws the 409 naming the run in progress. */
export async function startManualRun(c: Context<AppEnv>, kind: ManualRunKind, link: MallLinkRow, slotAt: string): Promise<ManualRunStarted> {
  const { config, temporal } = c.get('deps');
  const running = await runningExecution(c, kind, link.id);
  if (running) throw inProgress(c, kind, running);
  const trigger = 'manual';
  // Both kinds take the same input: the link, the slot, how the run was started, and that its search attributes are set here.
  const input = { mallLinkId: link.id, slotAt, trigger, attributesSetAtStart: true } satisfies CollectOrdersInput & SyncInvoicesInput;
  try {
    const handle = await temporal.workflow.start(kind.workflowType, {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: kind.manualWorkflowId(link.id),
      workflowIdConflictPolicy: 'FAIL',
      args: [input],
      staticSummary: kind.summary(link.mall_id, slotAt),
      typedSearchAttributes: [
        { key: MallIdKey, value: link.mall_id },
        { key: CstCdKey, value: link.cst_cd },
        { key: TriggerKey, value: trigger },
        { key: SlotAtKey, value: new Date(slotAt) },
      ],
    });
    const runId = handle.firstExecutionRunId;
    c.get('log').info({ mallLinkId: link.id, workflowType: kind.workflowType, workflowId: handle.workflowId, runId }, 'manual run started');
    return { workflowId: handle.workflowId, runId, slotAt, temporalUiUrl: temporalRunUrl(config, handle.workflowId, runId) };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) throw inProgress(c, kind, error.workflowId);
    throw error;
  }
}
