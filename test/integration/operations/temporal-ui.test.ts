import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadDevStackConfig, searchPath } from '../../../src/config/env.js';
import { replaceProductLink } from '../../../src/db/repositories/product-links.js';
import { findChromium, hasKoreanFont } from '../../../src/dev/browser.js';
import { repoRoot } from '../../../src/dev/paths.js';
import { reconcileAll } from '../../../src/schedules/reconcile.js';
import { activeNote, pauseReason } from '../../../src/schedules/spec.js';
import { parseScheduleId, reconcileScheduleId, scheduleIdFor, scheduleJobNames, type ScheduleJob } from '../../../src/temporal/names.js';
import type { MallLinkRow } from '../../../db/schema.js';
import { createTestApp, json } from '../../support/api.js';
import { linkableVariantCodes } from '../../support/cafe24.js';
import { createInstalledLink, startEndToEnd, startRealPortsWorker, type EndToEnd } from '../../support/end-to-end.js';
import { adminScope, apiCaller, createTestApiKey } from '../../support/mall-link-api.js';
import { reconcileDepsFor } from '../../support/schedules.js';

/** Screenshots the README's "The Temporal UI as the console" lists (git-ignored). */
const screenshotDir = path.join(repoRoot, 'test-output', 'ui');

interface StartedRun {
  workflowId: string;
  runId: string;
  temporalUiUrl: string;
}

/**
 * The Temporal UI of the dev server is the operator's console: a headless Chromium (the system's,
 * driven by playwright-core) finds each link's schedules and their notes, filters runs by MallId,
 * and reads a collection run's and an invoice run's summary and result — what the README tells an
 * operator to look at.
 */
describe('the Temporal UI as the console (headless Chromium)', () => {
  const ui = inject('temporalUiUrl');
  const namespace = inject('temporalNamespace');
  let e2e: EndToEnd;
  let worker: { stop(): Promise<void> };
  let browser: Browser;
  let page: Page;
  let auto: MallLinkRow;
  let manual: MallLinkRow;
  let collection: StartedRun;
  let invoices: StartedRun;

  beforeAll(async () => {
    const executablePath = findChromium(loadDevStackConfig().CHROMIUM_PATH, searchPath());
    expect(executablePath, 'Chromium is missing: run `npm run tools` (installs the Debian packages chromium and fonts-noto-cjk)').toBeDefined();
    expect(hasKoreanFont(), 'no Korean font: run `npm run tools` (installs fonts-noto-cjk)').toBe(true);
    mkdirSync(screenshotDir, { recursive: true });
    const launching = chromium.launch({ executablePath, args: ['--no-sandbox'] });

    e2e = await startEndToEnd();
    worker = await startRealPortsWorker(e2e);
    auto = await createInstalledLink(e2e, { cst_cd: 'UI0001', link_start_date: '2026-11-20', collection_method: 'auto', invoice_sync_enabled: true });
    manual = await createInstalledLink(e2e, { cst_cd: 'UI0002', link_start_date: '2026-11-20', collection_method: 'manual', invoice_sync_enabled: true });
    await reconcileAll(reconcileDepsFor(e2e.database.db, e2e.temporal.client, e2e.temporal.taskQueue));

    const variantCode = (await linkableVariantCodes(e2e.cafe24Control, auto.mall_id))[0]!;
    await replaceProductLink(e2e.database.db, auto.id, variantCode, [{ cstGodCd: 'G001', quantity: 1 }]);
    await e2e.cafe24Control.addOrders(auto.mall_id, [{ paidAt: new Date(Date.now() - 3600_000).toISOString(), lines: [{ variantCode, quantity: 1 }] }]);

    // Runs started as a person starts them: through the API, which sets summary and search attributes.
    const app = createTestApp({ db: e2e.database.db, temporal: e2e.temporal.client, env: { TEMPORAL_TASK_QUEUE: e2e.temporal.taskQueue, TEMPORAL_UI_URL: ui } });
    const call = apiCaller(app);
    const key = await createTestApiKey(e2e.database.db, adminScope);
    const start = async (kind: 'collections' | 'invoice-syncs'): Promise<StartedRun> => {
      const res = await call('POST', `/v1/mall-links/${auto.id}/${kind}`, { key });
      const body = await json(res);
      expect(res.status, JSON.stringify(body)).toBe(202);
      await e2e.temporal.client.workflow.getHandle(body.workflowId, body.runId).result();
      return body;
    };
    collection = await start('collections');
    invoices = await start('invoice-syncs');

    browser = await launching;
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    for await (const schedule of e2e.temporal.client.schedule.list()) {
      if (parseScheduleId(schedule.scheduleId) || schedule.scheduleId === reconcileScheduleId) {
        await e2e.temporal.client.schedule.getHandle(schedule.scheduleId).delete().catch(() => undefined);
      }
    }
    await worker?.stop();
    await e2e?.close();
  });

  const open = (route: string) => page.goto(`${ui}/namespaces/${namespace}${route}`, { waitUntil: 'domcontentloaded' });
  const shot = (name: string) => page.screenshot({ path: path.join(screenshotDir, name), fullPage: true });

  it('lists the links\' schedules (filtered by MallId) and shows each schedule\'s note', async () => {
    const notes = new Map([
      [auto, activeNote],
      [manual, pauseReason(manual)!],
    ]);
    await open(`/schedules?query=${encodeURIComponent(`MallId IN (${[...notes.keys()].map((l) => `"${l.mall_id}"`).join(', ')})`)}`);
    const scheduleLink = (job: ScheduleJob, link: MallLinkRow) => page.getByRole('link', { name: scheduleIdFor(job, link.id), exact: true });
    for (const link of notes.keys()) for (const job of scheduleJobNames) await scheduleLink(job, link).waitFor();
    await page.getByText('PAUSED').first().waitFor();
    await shot('01-schedules-of-two-links.png');

    // Into each schedule and back, inside the UI (no page reloads).
    for (const [link, note] of notes) {
      for (const job of scheduleJobNames) {
        await scheduleLink(job, link).click();
        await page.getByText(note, { exact: true }).waitFor();
        if (link === manual && job === 'collect-orders') await shot('02-schedule-paused-with-note.png');
        await page.goBack();
      }
    }
  });

  it('filters runs by MallId, opens an invoice run and a collection run: result and (Korean) summary', async () => {
    await open(`/workflows?query=${encodeURIComponent(`MallId="${auto.mall_id}"`)}`);
    const runLink = (run: StartedRun) => page.getByRole('link', { name: run.workflowId, exact: true }).first();
    await runLink(collection).waitFor();
    await runLink(invoices).waitFor();
    await shot('03-runs-filtered-by-mall.png');

    const readRun = async (run: StartedRun, outcome: string, file: string) => {
      // The result JSON, shown beside the input.
      await page.getByText(outcome).first().waitFor();
      await shot(`${file}-result.png`);
      await page.getByRole('link', { name: 'User Metadata' }).or(page.getByRole('tab', { name: 'User Metadata' })).first().click();
      // The UI renders the summary (markdown) in a frame of its own.
      await page.frameLocator('#user-metadata-summary').getByText(`카페24 ${auto.mall_id}`).waitFor();
      await shot(`${file}-summary.png`);
    };
    // Each run is opened from the filtered list and back, inside the UI (no page reloads).
    for (const [run, outcome, file] of [
      [collection, '"collected"', '04-collection-run'],
      [invoices, '"synced"', '05-invoice-run'],
    ] as const) {
      await runLink(run).click();
      // The run the API linked to when it started it is the one the UI shows.
      expect(run.temporalUiUrl).toBe(`${ui}/namespaces/${namespace}/workflows/${encodeURIComponent(run.workflowId)}/${run.runId}/history`);
      await page.getByText(run.runId).first().waitFor();
      await readRun(run, outcome, file);
      await page.goBack();
      await page.goBack();
      await runLink(run).waitFor();
    }
  });
});
