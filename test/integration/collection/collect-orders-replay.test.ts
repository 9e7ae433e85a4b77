import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { historyFromFixture } from '../../support/collection-runs.js';
import { workflowBundle } from '../../support/temporal.js';

// Recorded by test/fixtures/record-collect-orders-history.ts from a real run on a real server.
const fixture = fileURLToPath(new URL('../../fixtures/collect-orders-history.json', import.meta.url));

type HistoryEvent = NonNullable<ReturnType<typeof historyFromFixture>['events']>[number];

/** The activity type a local-activity marker records (JSON in its `data` detail). */
function localActivityType(event: HistoryEvent): string {
  const data = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
  return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type: string }).activity_type : '';
}

describe('collectOrders replay', () => {
  const history = historyFromFixture(JSON.parse(readFileSync(fixture, 'utf8')));

  it('the fixture is a complete collectOrders run through every step', () => {
    const events = history.events ?? [];
    expect(events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('collectOrders');
    expect(events.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    const activities = new Set(events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean));
    expect([...activities].sort()).toEqual(['fetchOrderPage', 'requestShipments']);
    // The database-only steps are local activities: one marker each, its type in the marker's details.
    const localActivities = new Set(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').map((e) => localActivityType(e)));
    expect([...localActivities].sort()).toEqual(['finishCollection', 'loadProductLinks', 'planCollection', 'recordOutcomes']);
  });

  it('today’s workflow code replays the recorded history without nondeterminism', async () => {
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, 'collect-orders-replay')).resolves.toBeUndefined();
  });
});
