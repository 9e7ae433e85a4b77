import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config/env.js';
import { createCafe24Connection, type Cafe24Connection, type Cafe24ConnectionOverrides } from '../../src/clients/cafe24/connection.js';
import type { Db } from '../../src/db/database.js';
import { authorizeWithSimulator } from '../../src/dev/cafe24-demo.js';
import { insertMallLinkIfAbsent, newMallLinkWithDefaults } from '../../src/db/repositories/mall-links.js';
import { cafe24SimControl, startCafe24Simulator, type Cafe24SimControl, type Cafe24Simulator, type Cafe24SimulatorOptions } from '../../src/sim/cafe24/index.js';
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

export function connectCafe24(sim: Cafe24Simulator, db: Db, overrides: Cafe24ConnectionOverrides = {}, env: Record<string, string> = {}): Cafe24Connection {
  return createCafe24Connection(configFor(sim, env), { db, log: pino({ level: 'silent' }) }, overrides);
}

export async function startTestSimulator(options: Cafe24SimulatorOptions = {}) {
  const sim = await startCafe24Simulator({ seed: 'test', ...options });
  return { sim, control: cafe24SimControl(sim.url) };
}

let mallCounter = 0;
/** A fresh mall link row (unique mall id) — not yet authorized. */
export async function createLink(db: Db, mallId = `mall${Date.now().toString(36)}${mallCounter++}`): Promise<MallLinkRow> {
  return insertMallLinkIfAbsent(db, newMallLinkWithDefaults(mallId, 'CST001', '2026-01-01'));
}

/** Installs the app for the link against the simulator: consent, code exchange, tokens stored. */
export function authorizeLink(sim: Cafe24Simulator, cafe24: Cafe24Connection, link: MallLinkRow): Promise<void> {
  return authorizeWithSimulator(sim.url, cafe24, link, 'http://api.test/cafe24/oauth/callback');
}

/** A fresh link, installed against the simulator, with the reference client calls take. */
export async function createAuthorizedMall(db: Db, sim: Cafe24Simulator, cafe24: Cafe24Connection) {
  const link = await createLink(db);
  await authorizeLink(sim, cafe24, link);
  return { link, mall: { mallLinkId: link.id, mallId: link.mall_id } };
}

/** A Cafe24 connection for tests that register every activity but never call Cafe24. */
export function idleCafe24Connection(db: Db): Cafe24Connection {
  return createCafe24Connection(loadConfig({ NODE_ENV: 'test' }), { db, log: pino({ level: 'silent' }) });
}

/** Variant codes of the mall's simulated products that can be linked one to one (no 상품 연동형 option, no set). */
export async function linkableVariantCodes(control: Cafe24SimControl, mallId: string): Promise<string[]> {
  return (await control.products(mallId)).filter((p) => p.option_type !== 'E' && p.product_bundle === 'F').flatMap((p) => p.variants.map((v) => v.variant_code));
}
