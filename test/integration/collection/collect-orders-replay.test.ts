import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { historyFromFixture, upsertedSearchAttributes } from '../../support/collection-runs.js';
import { workflowBundle } from '../../support/temporal.js';

// Recorded by test/fixtures/record-collect-orders-history.ts from a real run on a real server: today's
// command sequence (the plan and first pages in one local activity), and one recorded before the
// start-collection-locally patch (the plan and each step of a page on its own).
const fixture = fileURLToPath(new URL('../../fixtures/collect-orders-history.json', import.meta.url));
const stepsFixture = fileURLToPath(new URL('../../fixtures/collect-orders-history-steps.json', import.meta.url));
// Recorded before runs were told their start set their search attributes: it upserts all four.
const upsertsFixture = fileURLToPath(new URL('../../fixtures/collect-orders-history-upserts.json', import.meta.url));

type HistoryEvent = NonNullable<ReturnType<typeof historyFromFixture>['events']>[number];

/** The activity type a local-activity marker records (JSON in its `data` detail). */
function localActivityType(event: HistoryEvent): string {
  const data = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
  return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type: string }).activity_type : '';
}

describe('collectOrders replay', () => {
  const history = historyFromFixture(JSON.parse(readFileSync(fixture, 'utf8')));
  const stepsHistory = historyFromFixture(JSON.parse(readFileSync(stepsFixture, 'utf8')));
  const upsertsHistory = historyFromFixture(JSON.parse(readFileSync(upsertsFixture, 'utf8')));
  const localActivities = (events: HistoryEvent[]) => events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').map((e) => localActivityType(e));

  it('the fixture is a complete collectOrders run: the patch, the first page in startCollection, the others page by page, each fetched while the last is requested', () => {
    const events = history.events ?? [];
    expect(events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('collectOrders');
    expect(events.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    expect(events.some((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toBe(true);
    expect(localActivities(events)[0]).toBe('startCollection');
    expect(localActivities(events).at(-1)).toBe('finishCollection');
    const activities = new Set(events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean));
    expect([...activities].sort()).toEqual(['fetchOrderPage', 'requestShipments']);
    // A page's fetch is scheduled with the previous page's shipment request (by the same workflow task).
    const scheduledBy = (type: string) =>
      new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === type).map((e) => String(e.activityTaskScheduledEventAttributes?.workflowTaskCompletedEventId)));
    expect([...scheduledBy('fetchOrderPage')].some((task) => scheduledBy('requestShipments').has(task))).toBe(true);
  });

  it('the fixture from before the patch is a complete collectOrders run through every step', () => {
    const events = stepsHistory.events ?? [];
    expect(events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('collectOrders');
    expect(events.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    const activities = new Set(events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean));
    expect([...activities].sort()).toEqual(['fetchOrderPage', 'requestShipments']);
    // The database-only steps are local activities: one marker each, its type in the marker's details.
    expect([...new Set(localActivities(events))].sort()).toEqual(['finishCollection', 'loadProductLinks', 'planCollection', 'recordOutcomes']);
  });

  it('a run started with its search attributes upserts none of them; the older recording upserts all four', () => {
    expect(upsertedSearchAttributes(history)).toEqual([]);
    expect(upsertedSearchAttributes(upsertsHistory).sort()).toEqual(['CstCd', 'MallId', 'SlotAt', 'Trigger']);
  });

  it('today’s workflow code replays every recorded history without nondeterminism', async () => {
    const workflowBundleCode = await workflowBundle();
    await expect(Worker.runReplayHistory({ workflowBundle: workflowBundleCode }, history, 'collect-orders-replay')).resolves.toBeUndefined();
    await expect(Worker.runReplayHistory({ workflowBundle: workflowBundleCode }, stepsHistory, 'collect-orders-steps-replay')).resolves.toBeUndefined();
    await expect(Worker.runReplayHistory({ workflowBundle: workflowBundleCode }, upsertsHistory, 'collect-orders-upserts-replay')).resolves.toBeUndefined();
  });
});
