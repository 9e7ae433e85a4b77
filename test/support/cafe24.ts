import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config/env.js';
import { createCafe24Connection, type Cafe24Connection, type Cafe24ConnectionOverrides } from '../../src/clients/cafe24/connection.js';
import { cafe24Scopes } from '../../src/clients/cafe24/oauth.js';
import type { Db } from '../../src/db/database.js';
import { insertMallLinkIfAbsent } from '../../src/db/repositories/cafe24-links.js';
import { cafe24SimControl, startCafe24Simulator, type Cafe24Simulator, type Cafe24SimulatorOptions } from '../../src/sim/cafe24/index.js';
import type { MallLinkRow } from '../../db/schema.js';

export const testEncryptionKey = randomBytes(32).toString('base64');

/** Application config pointing at a running simulator. */
export function configFor(sim: Cafe24Simulator, overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PUBLIC_BASE_URL: 'http://api.test',
    TOKEN_ENCRYPTION_KEY: testEncryptionKey,
    CAFE24_CLIENT_ID: sim.clientId,
    CAFE24_CLIENT_SECRET: sim.clientSecret,
    CAFE24_API_BASE_URL: sim.apiBaseUrlTemplate,
    CAFE24_HTTP_TIMEOUT_MS: '5000',
    ...overrides,
  });
}

export function connectCafe24(sim: Cafe24Simulator, db: Db, overrides: Cafe24ConnectionOverrides = {}): Cafe24Connection {
  return createCafe24Connection(configFor(sim), { db, log: pino({ level: 'silent' }) }, overrides);
}

export async function startTestSimulator(options: Cafe24SimulatorOptions = {}) {
  const sim = await startCafe24Simulator({ seed: 'test', ...options });
  return { sim, control: cafe24SimControl(sim.url) };
}

let mallCounter = 0;
/** A fresh mall link row (unique mall id) — not yet authorized. */
export async function createLink(db: Db, mallId = `mall${Date.now().toString(36)}${mallCounter++}`): Promise<MallLinkRow> {
  return insertMallLinkIfAbsent(db, {
    platform: 'cafe24',
    mall_id: mallId,
    cst_cd: 'CST001',
    enabled: true,
    link_start_date: '2026-01-01',
    collection_method: 'auto',
    collect_order_status: 'N10',
    minutes_after_payment: 10,
    collection_range_days: 3,
    invoice_sync_enabled: true,
    invoice_display: 'company',
    sender_name: null,
    sender_phone: null,
    updated_at: new Date(),
  });
}

/** Installs the app for the link against the simulator: consent, code exchange, tokens stored. */
export async function authorizeLink(sim: Cafe24Simulator, cafe24: Cafe24Connection, link: MallLinkRow): Promise<void> {
  const redirectUri = 'http://api.test/cafe24/oauth/callback';
  const code = await cafe24SimControl(sim.url).authorize(link.mall_id, redirectUri, [...cafe24Scopes]);
  await cafe24.tokens.store(link.id, await cafe24.oauth.exchangeCode(link.mall_id, code, redirectUri));
}
