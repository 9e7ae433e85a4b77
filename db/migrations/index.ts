import type { Migration } from 'kysely';
import * as m2026113001 from './2026113001_mall_links.js';
import * as m2026113003 from './2026113003_timetable_calendar.js';
import * as m2026113004 from './2026113004_fms_shipment_requests.js';
import * as m2026113005 from './2026113005_cafe24_tokens.js';
import * as m2026113006 from './2026113006_order_collection.js';
import * as m2026113007 from './2026113007_invoice_sync.js';
import * as m2026113008 from './2026113008_cancellations.js';
import * as m2026113009 from './2026113009_product_catalogue.js';
import * as m2026113011 from './2026113011_alerts.js';
import * as m2026113012 from './2026113012_raw_order_retention.js';
import * as m2026113015 from './2026113015_schedule_revision.js';
import * as m2026120101 from './2026120101_ledger_time_indexes.js';
import * as m2026120102 from './2026120102_api_key_change_notify.js';

/**
 * Every migration, by its sortable name. Listed statically (not read from the folder) so the same
 * code runs under tsx, vitest and the compiled build. Add new ones at the end; never edit a landed one:
 * each file's SHA-256 is pinned (`landed.json` for the first ones, `landed/<file>.sha256` for each
 * later one) and test/unit/landed-migrations.test.ts fails on a change, so a new migration also gets
 * its pin file in the commit that adds it.
 */
export const migrations: Record<string, Migration> = {
  '2026113001_mall_links': m2026113001,
  '2026113003_timetable_calendar': m2026113003,
  '2026113004_fms_shipment_requests': m2026113004,
  '2026113005_cafe24_tokens': m2026113005,
  '2026113006_order_collection': m2026113006,
  '2026113007_invoice_sync': m2026113007,
  '2026113008_cancellations': m2026113008,
  '2026113009_product_catalogue': m2026113009,
  '2026113011_alerts': m2026113011,
  '2026113012_raw_order_retention': m2026113012,
  '2026113015_schedule_revision': m2026113015,
  '2026120101_ledger_time_indexes': m2026120101,
  '2026120102_api_key_change_notify': m2026120102,
};
