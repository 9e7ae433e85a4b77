import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { historyFromFixture, upsertedSearchAttributes } from '../../support/collection-runs.js';
import { workflowBundle } from '../../support/temporal.js';

// Recorded by test/fixtures/record-sync-invoices-history.ts from a real run against both simulators:
// today's command sequence (the whole small run in one local activity), and one recorded before the
// start-invoice-sync-locally patch (every step an activity of its own).
const fixture = fileURLToPath(new URL('../../fixtures/sync-invoices-history.json', import.meta.url));
const stepsFixture = fileURLToPath(new URL('../../fixtures/sync-invoices-history-steps.json', import.meta.url));
// Recorded before runs were told their start set their search attributes: it upserts all four.
const upsertsFixture = fileURLToPath(new URL('../../fixtures/sync-invoices-history-upserts.json', import.meta.url));

type HistoryEvent = NonNullable<ReturnType<typeof historyFromFixture>['events']>[number];

/** The activity type a local-activity marker records (JSON in its `data` detail). */
function localActivityType(event: HistoryEvent): string {
  const data = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
  return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type: string }).activity_type : '';
}

describe('syncInvoices replay', () => {
  const history = historyFromFixture(JSON.parse(readFileSync(fixture, 'utf8')));
  const stepsHistory = historyFromFixture(JSON.parse(readFileSync(stepsFixture, 'utf8')));
  const upsertsHistory = historyFromFixture(JSON.parse(readFileSync(upsertsFixture, 'utf8')));

  it('the fixture is a complete syncInvoices run in one local activity', () => {
    const events = history.events ?? [];
    expect(events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('syncInvoices');
    expect(events.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    expect(events.some((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toBe(true);
    const markers = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').map(localActivityType);
    expect(markers).toEqual(['startInvoiceSync']);
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);
  });

  it('the fixture from before the patch is a complete syncInvoices run through every step', () => {
    const events = stepsHistory.events ?? [];
    expect(events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('syncInvoices');
    expect(events.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    const activities = new Set(events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean));
    expect([...activities].sort()).toEqual(['finishInvoiceSync', 'planInvoiceSync', 'readFmsProgress', 'registerInvoices', 'sweepCancellations']);
  });

  it('a run started with its search attributes upserts none of them; the older recording upserts all four', () => {
    expect(upsertedSearchAttributes(history)).toEqual([]);
    expect(upsertedSearchAttributes(upsertsHistory).sort()).toEqual(['CstCd', 'MallId', 'SlotAt', 'Trigger']);
  });

  it('today’s workflow code replays every recorded history without nondeterminism', async () => {
    const workflowBundleCode = await workflowBundle();
    await expect(Worker.runReplayHistory({ workflowBundle: workflowBundleCode }, history, 'sync-invoices-replay')).resolves.toBeUndefined();
    await expect(Worker.runReplayHistory({ workflowBundle: workflowBundleCode }, stepsHistory, 'sync-invoices-steps-replay')).resolves.toBeUndefined();
    await expect(Worker.runReplayHistory({ workflowBundle: workflowBundleCode }, upsertsHistory, 'sync-invoices-upserts-replay')).resolves.toBeUndefined();
  });
});
