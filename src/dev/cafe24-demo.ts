import type { Client } from '@temporalio/client';
import { cafe24CallbackUrl } from '../api/cafe24/install-url.js';
import type { MallLinkRow } from '../../db/schema.js';
import { createCafe24Connection, type Cafe24Connection } from '../clients/cafe24/connection.js';
import { cafe24Scopes } from '../clients/cafe24/oauth.js';
import { loadConfig } from '../config/env.js';
import { createDb } from '../db/database.js';
import { addDays, kstDate } from '../domain/kst.js';
import { findMallLinkById, insertMallLinkIfAbsent, newMallLinkWithDefaults } from '../db/repositories/mall-links.js';
import { createLogger } from '../logger.js';
import { startCatalogueImport } from '../services/catalogue-imports.js';
import { ConflictError } from '../services/errors.js';
import { catalogueImportWorkflowId } from '../temporal/names.js';
import type { CatalogueImportProgress, ImportCatalogueWorkflow } from '../temporal/catalogue.js';
import { cafe24SimControl, startCafe24Simulator } from '../sim/cafe24/index.js';

export const demoMall = { mallId: 'demomall', cstCd: 'DEMO01' } as const;

export interface DevCafe24 {
  url: string;
  apiBaseUrlTemplate: string;
  clientId: string;
  clientSecret: string;
  demoMallId: string;
  demoMallLinkId: string;
  stop(): Promise<void>;
}

/** Installs the app for a link against the simulator: headless consent, the real code exchange, tokens stored. */
export async function authorizeWithSimulator(simUrl: string, cafe24: Cafe24Connection, link: MallLinkRow, redirectUri: string): Promise<void> {
  const code = await cafe24SimControl(simUrl).authorize(link.mall_id, redirectUri, [...cafe24Scopes]);
  await cafe24.tokens.store(link.id, await cafe24.oauth.exchangeCode(link.mall_id, code, redirectUri));
}

/** The KST date `days` days ago. */
const kstDateDaysAgo = (days: number) => addDays(kstDate(new Date()), -days);

/**
 * `npm start`'s Cafe24: the simulator with a few days of paid demo orders, and the demo mall
 * link `demomall` (cstCd DEMO01) authorized against it through the real code exchange. The
 * simulator keeps tokens in memory, so the demo mall is re-authorized on every start.
 */
export async function startDevCafe24(options: { port: number; databaseUrl: string; encryptionKey: string; publicBaseUrl: string }): Promise<DevCafe24> {
  const sim = await startCafe24Simulator({ port: options.port, seed: 'npm-start' });
  try {
    const control = cafe24SimControl(sim.url);
    const now = Date.now();
    await control.generateOrders(demoMall.mallId, { count: 60, from: new Date(now - 3 * 86_400_000).toISOString(), to: new Date(now - 15 * 60_000).toISOString() });
    await control.generateOrders(demoMall.mallId, { count: 8, shopNo: 2, from: new Date(now - 2 * 86_400_000).toISOString(), to: new Date(now - 15 * 60_000).toISOString() });

    const db = createDb(options.databaseUrl, { maxConnections: 2 });
    const config = loadConfig({
      NODE_ENV: 'development',
      DATABASE_URL: options.databaseUrl,
      PUBLIC_BASE_URL: options.publicBaseUrl,
      TOKEN_ENCRYPTION_KEY: options.encryptionKey,
      CAFE24_CLIENT_ID: sim.clientId,
      CAFE24_CLIENT_SECRET: sim.clientSecret,
      CAFE24_API_BASE_URL: sim.apiBaseUrlTemplate,
    });
    const cafe24 = createCafe24Connection(config, { db, log: createLogger({ level: 'warn', service: 'dev-cafe24' }) });
    try {
      // Linked since the first demo orders, so a collection right after start finds them whatever the time of day;
      // invoice sync on, so the tracking numbers FMS produces reach the demo mall.
      const link = await insertMallLinkIfAbsent(db, {
        ...newMallLinkWithDefaults(demoMall.mallId, demoMall.cstCd, kstDateDaysAgo(3)),
        invoice_sync_enabled: true,
        sender_name: '데모상점',
        sender_phone: '02-1234-5678',
      });
      await authorizeWithSimulator(sim.url, cafe24, link, cafe24CallbackUrl(options.publicBaseUrl));
      return {
        url: sim.url,
        apiBaseUrlTemplate: sim.apiBaseUrlTemplate,
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
        demoMallId: demoMall.mallId,
        demoMallLinkId: link.id,
        stop: sim.stop,
      };
    } finally {
      await cafe24.close();
      await db.destroy();
    }
  } catch (error) {
    await sim.stop();
    throw error;
  }
}

/**
 * `npm start`: imports the demo mall's whole Cafe24 catalogue (카페24 상품 가져오기) through the
 * import workflow, so `cafe24-items` lists it at once; resolves when the import has finished.
 */
export async function importDemoCatalogue(options: { databaseUrl: string; temporal: Client; taskQueue: string; mallLinkId: string }): Promise<CatalogueImportProgress> {
  const db = createDb(options.databaseUrl, { maxConnections: 1 });
  try {
    const link = await findMallLinkById(db, options.mallLinkId);
    if (!link) throw new Error(`demo mall link ${options.mallLinkId} is missing`);
    try {
      const started = await startCatalogueImport({ db, temporal: options.temporal, taskQueue: options.taskQueue, log: createLogger({ level: 'warn', service: 'dev-start' }) }, link, []);
      return await options.temporal.workflow.getHandle<ImportCatalogueWorkflow>(started.workflowId, started.runId).result();
    } catch (error) {
      // An import left running by an earlier start: the worker finishes it.
      if (!(error instanceof ConflictError)) throw error;
      return await options.temporal.workflow.getHandle<ImportCatalogueWorkflow>(catalogueImportWorkflowId(link.id)).result();
    }
  } finally {
    await db.destroy();
  }
}
