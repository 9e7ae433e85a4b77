import type { Client, WorkflowHandle } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities/index.js';
import { maxHeartbeatThrottleInterval } from '../../src/activities/heartbeat.js';
import type { CollectionActivityDeps } from '../../src/activities/collection/collection-activities.js';
import type { InvoiceActivityDeps } from '../../src/activities/invoices/invoice-activities.js';
import type { Cafe24Connection } from '../../src/clients/cafe24/connection.js';
import type { Db } from '../../src/db/database.js';
import { workflowBundle, type TestTemporal } from './temporal.js';
import type { CollectOrdersInput, CollectOrdersResult } from '../../src/temporal/collection.js';
import { collectOrdersWorkflowIdPrefix, workflowTypes } from '../../src/temporal/names.js';
import { idleCafe24Connection } from './cafe24.js';

export type WorkflowHistory = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
const { History: HistoryMessage } = proto.temporal.api.history.v1;

let sequence = 0;

/** Starts collectOrders the way a schedule would (id prefix + time), or with a given id. */
export async function startCollection(client: Client, taskQueue: string, input: CollectOrdersInput, workflowId?: string, typedSearchAttributes?: SearchAttributePair[]) {
  sequence += 1;
  return client.workflow.start(workflowTypes.collectOrders, {
    taskQueue,
    workflowId: workflowId ?? `${collectOrdersWorkflowIdPrefix(input.mallLinkId)}-${input.slotAt ?? 'now'}-${sequence}`,
    args: [input],
    ...(typedSearchAttributes ? { typedSearchAttributes } : {}),
  });
}

export async function runCollection(client: Client, taskQueue: string, input: CollectOrdersInput): Promise<{ result: CollectOrdersResult; workflowId: string }> {
  const handle = await startCollection(client, taskQueue, input);
  return { result: (await handle.result()) as CollectOrdersResult, workflowId: handle.workflowId };
}

/** Counts per outcome of an expected `{ item: outcome }` map, as a run's result reports them. */
export function tallyOutcomes(outcomes: Record<string, string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of Object.values(outcomes)) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}

/**
 * A history as plain JSON (bytes base64, int64 as strings, enums by name), for committed fixtures.
 * (common's historyToJSON trips over its own nested protobufjs copy in this dependency tree.)
 */
export function historyToFixture(history: WorkflowHistory): unknown {
  return HistoryMessage.toObject(HistoryMessage.fromObject(history), { longs: String, bytes: String, enums: String });
}

export function historyFromFixture(fixture: unknown): WorkflowHistory {
  return HistoryMessage.fromObject(fixture as Record<string, unknown>);
}

/** The search attributes a history's upsert events set, other than the patches' `TemporalChangeVersion`, in order. */
export function upsertedSearchAttributes(history: WorkflowHistory): string[] {
  return (history.events ?? [])
    .flatMap((event) => Object.keys(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}))
    .filter((key) => key !== 'TemporalChangeVersion');
}

/** Every payload of a history, decoded to text: what an operator (or an attacker) could read in it. */
export function decodedHistoryText(history: WorkflowHistory): string {
  const json = JSON.stringify(historyToFixture(history));
  const payloads = [...json.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'));
  return `${json}\n${payloads.join('\n')}`;
}

/**
 * A worker on the test's task queue with the collection activities over the given ports; stop()
 * drains it. `cafe24` is the connection the other activities get (an idle one by default).
 */
export function startCollectionWorker(
  options: { db: Db; temporal: TestTemporal; cafe24?: Cafe24Connection; invoices?: Omit<InvoiceActivityDeps, 'db'> } & Omit<CollectionActivityDeps, 'db'>,
) {
  const { db, temporal, cafe24, invoices, ...collection } = options;
  return startTestWorker(temporal, createActivities({ db, cafe24: cafe24 ?? idleCafe24Connection(db), collection, ...(invoices ? { invoices } : {}) }));
}

/** A worker on the test's task queue with these activities and the run's workflow bundle; stop() drains it. */
export async function startTestWorker(temporal: TestTemporal, activities: object) {
  const worker = await Worker.create({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
    maxHeartbeatThrottleInterval,
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}
