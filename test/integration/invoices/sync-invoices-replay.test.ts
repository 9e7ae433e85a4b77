import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { historyFromFixture } from '../../support/collection-runs.js';
import { workflowBundle } from '../../support/temporal.js';

// Recorded by test/fixtures/record-sync-invoices-history.ts from a real run against both simulators.
const fixture = fileURLToPath(new URL('../../fixtures/sync-invoices-history.json', import.meta.url));

describe('syncInvoices replay', () => {
  const history = historyFromFixture(JSON.parse(readFileSync(fixture, 'utf8')));

  it('the fixture is a complete syncInvoices run through every step', () => {
    const events = history.events ?? [];
    expect(events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('syncInvoices');
    expect(events.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    const activities = new Set(events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean));
    expect([...activities].sort()).toEqual(['finishInvoiceSync', 'planInvoiceSync', 'readFmsProgress', 'registerInvoices', 'sweepCancellations']);
  });

  it('today’s workflow code replays the recorded history without nondeterminism', async () => {
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, 'sync-invoices-replay')).resolves.toBeUndefined();
  });
});
