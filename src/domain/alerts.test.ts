import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { alertKey, cafe24SellerAction, currentAlertConditions, diffAlerts, isScheduleDescribeRound, scheduleDescribeRounds, type AlertFacts, type LinkAlertFacts, type OpenAlertRef } from './alerts.js';

const now = new Date('2026-11-30T09:00:00Z');
const rules = { tokenExpiryWarningMs: 3 * 24 * 3600_000, unlinkedOrderAgeHours: 24, now };
const link = (overrides: Partial<LinkAlertFacts> = {}): LinkAlertFacts => ({
  mallLinkId: 'L1',
  mallId: 'mall1',
  cafe24AuthStatus: 'authorized',
  authChangedAt: new Date('2026-11-01T00:00:00Z'),
  refreshTokenExpiresAt: new Date('2026-12-10T00:00:00Z'),
  missedSlots: [],
  scheduleDrift: [],
  failingRuns: [],
  agedUnlinkedOrders: null,
  heldInvoices: null,
  lateCancellations: null,
  ...overrides,
});
const facts = (links: LinkAlertFacts[], covered = true): AlertFacts => ({ links, holidayData: { nextYear: 2027, covered, checkedAt: now } });
const kinds = (f: AlertFacts) => currentAlertConditions(f, rules).map((c) => `${c.kind}:${c.subject}`);

describe('alert rules', () => {
  it('a healthy link has no condition', () => {
    expect(kinds(facts([link()]))).toEqual([]);
  });

  it('each fact gives its condition', () => {
    const slot = new Date('2026-11-30T00:10:00Z');
    expect(
      kinds(
        facts(
          [
            link({
              missedSlots: [{ job: 'collect-orders', slots: [slot] }, { job: 'sync-invoices', slots: [] }],
              scheduleDrift: [{ job: 'sync-invoices', reason: 'missing on the server' }],
              refreshTokenExpiresAt: new Date('2026-12-02T00:00:00Z'),
              agedUnlinkedOrders: { count: 2, oldestSeenAt: slot },
              failingRuns: [{ workflowType: 'collectOrders', workflowId: 'w', status: 'FAILED', at: slot }],
              heldInvoices: { count: 1, oldestAt: slot, reasons: ['unknown_carrier'] },
              lateCancellations: { count: 1, firstDetectedAt: slot, ordNos: ['X'] },
            }),
            link({ mallLinkId: 'L2', cafe24AuthStatus: 'reauth_required', refreshTokenExpiresAt: new Date('2026-12-01T00:00:00Z') }),
          ],
          false,
        ),
      ),
    ).toEqual([
      'missed_slot:collect-orders',
      'schedule_out_of_line:sync-invoices',
      'token_expiring:',
      'unlinked_orders_aged:',
      'failing_runs:collectOrders',
      'invoices_held:',
      'cancelled_after_shipment_started:',
      // A link awaiting re-authorization: that alert, not the expiring token one.
      'reauth_required:',
      'holiday_data_missing:2027',
    ]);
  });

  it('the token alert starts 3 days before expiry', () => {
    const expiresAt = new Date(now.getTime() + 3 * 24 * 3600_000 - 1);
    const [condition] = currentAlertConditions(facts([link({ refreshTokenExpiresAt: expiresAt })]), rules);
    expect(condition).toMatchObject({ kind: 'token_expiring', since: new Date(expiresAt.getTime() - 3 * 24 * 3600_000) });
    expect(kinds(facts([link({ refreshTokenExpiresAt: new Date(now.getTime() + 3 * 24 * 3600_000) })]))).toEqual([]);
  });
});

describe('diffing open alerts against the conditions', () => {
  const open = (id: number, kind: OpenAlertRef['kind'], mallLinkId: string | null, subject = ''): OpenAlertRef => ({ id, kind, mallLinkId, subject });

  it('opens what is new, keeps what still holds, closes what cleared', () => {
    const f = facts([link({ cafe24AuthStatus: 'reauth_required' })]);
    const current = currentAlertConditions(f, rules);
    const changes = diffAlerts([open(1, 'reauth_required', 'L1'), open(2, 'invoices_held', 'L1')], current, f);
    expect(changes.toOpen).toEqual([]);
    expect(changes.toClose.map((a) => a.id)).toEqual([2]);
    expect(changes.toRefresh.map((r) => r.alert.id)).toEqual([1]);
    expect(diffAlerts([], current, f).toOpen.map(alertKey)).toEqual(['reauth_required|L1|']);
  });

  it('leaves alerts whose facts were not assessed (Temporal did not answer), and closes those of deleted links', () => {
    const unassessed = link({ missedSlots: undefined, scheduleDrift: undefined, failingRuns: undefined });
    const f = facts([unassessed]);
    const alerts = [open(1, 'missed_slot', 'L1', 'collect-orders'), open(2, 'schedule_out_of_line', 'L1', 'collect-orders'), open(3, 'failing_runs', 'L1', 'x'), open(4, 'invoices_held', 'L1'), open(5, 'missed_slot', 'GONE', 'collect-orders'), open(6, 'holiday_data_missing', null, '2027')];
    expect(diffAlerts(alerts, currentAlertConditions(f, rules), f).toClose.map((a) => a.id)).toEqual([4, 5, 6]);
  });

  it('tells the seller what to do about the Cafe24 authorization', () => {
    expect(cafe24SellerAction('authorized')).toBeNull();
    expect(cafe24SellerAction('reauth_required')).toContain('installUrl');
    expect(cafe24SellerAction('not_installed')).toContain('installUrl');
  });
});

describe('isScheduleDescribeRound', () => {
  const intervalMs = 5 * 60_000;
  const evaluations = (count: number) => Array.from({ length: count }, (_, i) => new Date(now.getTime() + i * intervalMs));

  it('describes each link once in every run of scheduleDescribeRounds evaluations, at the same place', () => {
    for (const id of [randomUUID(), randomUUID(), '00000000-0000-4000-8000-000000000000', 'ffffffff-ffff-4fff-bfff-ffffffffffff']) {
      const rounds = evaluations(3 * scheduleDescribeRounds).flatMap((at, i) => (isScheduleDescribeRound(id, at, intervalMs) ? [i] : []));
      expect(rounds).toHaveLength(3);
      expect(rounds.map((i) => i % scheduleDescribeRounds)).toEqual([rounds[0]! % scheduleDescribeRounds, rounds[0]! % scheduleDescribeRounds, rounds[0]! % scheduleDescribeRounds]);
    }
  });

  it('spreads links over the rounds: no evaluation describes every link', () => {
    const ids = Array.from({ length: 1_200 }, () => randomUUID());
    const perEvaluation = evaluations(scheduleDescribeRounds).map((at) => ids.filter((id) => isScheduleDescribeRound(id, at, intervalMs)).length);
    expect(perEvaluation.reduce((sum, count) => sum + count, 0)).toBe(ids.length);
    expect(Math.max(...perEvaluation)).toBeLessThan(ids.length / 4);
  });
});
