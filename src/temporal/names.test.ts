import { describe, expect, it } from 'vitest';
import * as workflows from '../workflows/index.js';
import {
  alertScheduleId,
  collectOrdersWorkflowIdPrefix,
  manualCollectWorkflowId,
  manualInvoiceSyncWorkflowId,
  parseScheduleId,
  rawOrderPurgeScheduleId,
  reconcileScheduleId,
  scheduleIdFor,
  scheduleJobs,
  syncInvoicesWorkflowIdPrefix,
  tokenRefreshScheduleId,
  workflowTypes,
} from './names.js';

describe('the Temporal contract names', () => {
  it('names every workflow the worker registers, and the worker registers every named one', () => {
    const registered = Object.keys(workflows).sort();
    const named: string[] = Object.values(workflowTypes);
    expect(named.filter((type) => !registered.includes(type))).toEqual([]);
    expect(registered.filter((type) => !named.includes(type))).toEqual([]);
    expect(Object.entries(workflowTypes).every(([key, type]) => key === type)).toBe(true);
  });

  it('every per-link schedule job starts a workflow the worker registers', () => {
    for (const job of Object.values(scheduleJobs)) expect(Object.keys(workflows)).toContain(job.workflowType);
  });

  it('parses only our per-link schedule ids', () => {
    const linkId = '3f2b0c1e-0000-4000-8000-000000000001';
    for (const job of Object.keys(scheduleJobs) as (keyof typeof scheduleJobs)[]) {
      expect(parseScheduleId(scheduleIdFor(job, linkId))).toEqual({ job, mallLinkId: linkId });
    }
    expect(parseScheduleId(reconcileScheduleId)).toBeUndefined();
    expect(parseScheduleId(tokenRefreshScheduleId)).toBeUndefined();
    expect(parseScheduleId(rawOrderPurgeScheduleId)).toBeUndefined();
    expect(parseScheduleId(alertScheduleId)).toBeUndefined();
  });

  it('manual runs share one workflow id per link, under the prefix scheduled runs use', () => {
    expect(manualCollectWorkflowId('abc')).toBe('collect-orders:abc:manual');
    expect(manualCollectWorkflowId('abc').startsWith(collectOrdersWorkflowIdPrefix('abc'))).toBe(true);
    expect(collectOrdersWorkflowIdPrefix('abc')).toBe(scheduleIdFor('collect-orders', 'abc'));
    expect(manualInvoiceSyncWorkflowId('abc')).toBe('sync-invoices:abc:manual');
    expect(manualInvoiceSyncWorkflowId('abc').startsWith(syncInvoicesWorkflowIdPrefix('abc'))).toBe(true);
  });
});
