import type { Client } from '@temporalio/client';
import { pino } from 'pino';
import type { AlertRow } from '../../db/schema.js';
import type { Db } from '../../src/db/database.js';
import type { AlertKind } from '../../src/domain/alerts.js';
import type { AlertEvaluationDeps, AlertSettings } from '../../src/services/alerts.js';
import { testScheduleSettings } from './schedules.js';

/** A logger whose lines the test reads back as objects. */
export function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines, events: (event: string) => lines.filter((line) => line.event === event) };
}

export const testAlertSettings = (taskQueue: string, overrides: Partial<AlertSettings> = {}): AlertSettings => ({
  unlinkedOrderAgeHours: 24,
  missedSlotLookbackHours: 24,
  missedSlotGraceMinutes: 10,
  failedRunLookbackHours: 48,
  lateCancellationLookbackDays: 7,
  schedules: testScheduleSettings(taskQueue),
  ...overrides,
});

export function alertDepsFor(db: Db, temporal: Client, taskQueue: string, overrides: Partial<AlertSettings> = {}): AlertEvaluationDeps & { lines: Record<string, unknown>[] } {
  const { log, lines } = capturedLog();
  return { db, temporal, log, settings: testAlertSettings(taskQueue, overrides), lines };
}

/** Every alert (open and closed) of one kind on one link, oldest first. */
export function alertsOf(db: Db, mallLinkId: string | null, kind: AlertKind): Promise<AlertRow[]> {
  let query = db.selectFrom('alerts').selectAll().where('kind', '=', kind);
  query = mallLinkId === null ? query.where('mall_link_id', 'is', null) : query.where('mall_link_id', '=', mallLinkId);
  return query.orderBy('id').execute();
}
