import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { historyFromFixture } from '../../support/collection-runs.js';
import { workflowBundle } from '../../support/temporal.js';

// Recorded by test/fixtures/record-collect-orders-history.ts from a real run on a real server.
const fixture = fileURLToPath(new URL('../../fixtures/collect-orders-history.json', import.meta.url));

describe('collectOrders replay', () => {
  const history = historyFromFixture(JSON.parse(readFileSync(fixture, 'utf8')));

  it('the fixture is a complete collectOrders run through every step', () => {
    const events = history.events ?? [];
    expect(events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('collectOrders');
    expect(events.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    const activities = new Set(events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean));
    expect([...activities].sort()).toEqual(['fetchOrderPage', 'finishCollection', 'loadProductLinks', 'planCollection', 'recordOutcomes', 'requestShipments']);
  });

  it('today’s workflow code replays the recorded history without nondeterminism', async () => {
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, 'collect-orders-replay')).resolves.toBeUndefined();
  });
});
