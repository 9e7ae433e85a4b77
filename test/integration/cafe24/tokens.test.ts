import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Cafe24MallRef } from '../../../src/clients/cafe24/admin-client.js';
import type { Cafe24Connection } from '../../../src/clients/cafe24/connection.js';
import { Cafe24ReauthRequired, Cafe24Unavailable } from '../../../src/clients/cafe24/errors.js';
import { cafe24Scopes } from '../../../src/clients/cafe24/oauth.js';
import { createDb, type Db } from '../../../src/db/database.js';
import { findCafe24Tokens } from '../../../src/db/repositories/cafe24-tokens.js';
import type { MallLinkRow } from '../../../db/schema.js';
import { authorizeLink, connectCafe24, createAuthorizedMall, startTestSimulator } from '../../support/cafe24.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

describe('Cafe24 token lifecycle', () => {
  let database: TestDatabase;
  let sim: Awaited<ReturnType<typeof startTestSimulator>>['sim'];
  let control: Awaited<ReturnType<typeof startTestSimulator>>['control'];
  let cafe24: Cafe24Connection;
  let link: MallLinkRow;
  let mall: Cafe24MallRef;
  /** Other "processes": their own connection pool and token manager against the same database. */
  const processes: { db: Db; cafe24: Cafe24Connection }[] = [];
  /** clockShiftMs: how far this process's clock runs ahead of real time. */
  const otherProcess = (clockShiftMs = 0) => {
    const db = createDb(database.url, { maxConnections: 3 });
    const connection = connectCafe24(sim, db, { now: () => new Date(Date.now() + clockShiftMs) });
    processes.push({ db, cafe24: connection });
    return connection;
  };
  /** Whether Cafe24 (the simulator) accepts this access token. */
  const works = async (token: string) =>
    (await fetch(`${sim.apiBaseUrlTemplate.replace('{mall_id}', link.mall_id)}/api/v2/admin/shops`, { headers: { authorization: `Bearer ${token}` } })).status === 200;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sim, control } = await startTestSimulator());
    cafe24 = connectCafe24(sim, database.db);
  });
  afterAll(async () => {
    for (const p of processes) {
      await p.cafe24.close();
      await p.db.destroy();
    }
    await cafe24?.close();
    await sim?.stop();
    await database?.drop();
  });
  beforeEach(async () => {
    ({ link, mall } = await createAuthorizedMall(database.db, sim, cafe24));
  });

  it('marks the link authorized when tokens are stored', async () => {
    const row = await database.db.selectFrom('mall_links').select('cafe24_auth_status').where('id', '=', link.id).executeTakeFirstOrThrow();
    expect(row.cafe24_auth_status).toBe('authorized');
    expect(await works(await cafe24.tokens.accessToken(mall))).toBe(true);
  });

  it('two processes refreshing an expiring token at once cause one refresh, and both get a working token', async () => {
    // Install as if 1 h 59 min ago: the access token has one minute left, under the 5-minute margin.
    await control.setClockOffset(-(2 * 3600_000 - 60_000));
    try {
      await authorizeLink(sim, cafe24, link);
    } finally {
      await control.setClockOffset(0);
    }
    const [a, b] = [otherProcess(), otherProcess()];
    const [tokenA, tokenB] = await Promise.all([a.tokens.accessToken(mall), b.tokens.accessToken(mall)]);
    expect(tokenA).toBe(tokenB);
    expect(await works(tokenA)).toBe(true);
    expect((await control.stats(link.mall_id))?.tokenRefreshes).toBe(1);
  });

  it('concurrent 401 refreshes in two processes cause one refresh; the rotated-out refresh token is never sent again', async () => {
    const rejected = await cafe24.tokens.accessToken(mall);
    const [a, b] = [otherProcess(), otherProcess()];
    const tokens = await Promise.all([a, b, a, b].map((p) => p.tokens.refreshAfterRejection(mall, rejected)));
    expect(new Set(tokens).size).toBe(1);
    expect(await works(tokens[0]!)).toBe(true);
    // Further refreshes, one after another, each use the newest refresh token.
    let current = tokens[0]!;
    for (let i = 0; i < 3; i++) current = await (i % 2 ? a : b).tokens.refreshAfterRejection(mall, current);
    expect(await works(current)).toBe(true);
    const stats = await control.stats(link.mall_id);
    expect(stats?.tokenRefreshes).toBe(4);
    expect(stats?.rotatedRefreshTokenReuse).toBe(0);
    expect(stats?.refreshRejected).toBe(0);
  });

  it('a rejected refresh marks the link reauth_required and raises a non-retryable error', async () => {
    await control.revokeRefreshTokens(link.mall_id);
    await control.expireAccessTokens(link.mall_id);
    const error = await cafe24.admin.listShops(mall).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cafe24ReauthRequired);
    expect((error as Cafe24ReauthRequired).retryable).toBe(false);
    const row = await database.db.selectFrom('mall_links').select('cafe24_auth_status').where('id', '=', link.id).executeTakeFirstOrThrow();
    expect(row.cafe24_auth_status).toBe('reauth_required');
  });

  it('a token endpoint outage is retryable and does not cost the link its authorization', async () => {
    await control.expireAccessTokens(link.mall_id);
    await control.injectFault({ kind: 'server_error', status: 503, count: 1, target: 'token', mallId: link.mall_id });
    const error = await cafe24.admin.listShops(mall).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cafe24Unavailable);
    expect((error as Cafe24Unavailable).retryable).toBe(true);
    const row = await database.db.selectFrom('mall_links').select('cafe24_auth_status').where('id', '=', link.id).executeTakeFirstOrThrow();
    expect(row.cafe24_auth_status).toBe('authorized');
    // The refresh token was not consumed by the failed call: the next try refreshes and works.
    expect(await cafe24.admin.listShops(mall)).toHaveLength(2);
  });

  it('stores tokens encrypted: no column holds a plaintext token', async () => {
    const redirectUri = 'http://api.test/cafe24/oauth/callback';
    const pair = await cafe24.oauth.exchangeCode(link.mall_id, await control.authorize(link.mall_id, redirectUri, [...cafe24Scopes]), redirectUri);
    await cafe24.tokens.store(link.id, pair);
    const { rows } = await sql<{ row: string }>`select t::text as row from cafe24_tokens t where mall_link_id = ${link.id}`.execute(database.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.row).not.toContain(pair.accessToken);
    expect(rows[0]!.row).not.toContain(pair.refreshToken);
    expect(await cafe24.tokens.accessToken(mall)).toBe(pair.accessToken);
  });

  it('the daily refresh renews refresh tokens that expire within 7 days and leaves the others alone', async () => {
    expect((await cafe24.tokens.refreshExpiring()).checked).toBe(0);
    const before = await findCafe24Tokens(database.db, link.id);
    // Eight days on, the 14-day refresh token has less than 7 days left.
    const later = otherProcess(8 * 24 * 3600_000);
    const summary = await later.tokens.refreshExpiring();
    expect(summary.refreshed).toBeGreaterThanOrEqual(1);
    const after = await findCafe24Tokens(database.db, link.id);
    expect(after!.refresh_token_expires_at.getTime()).toBeGreaterThan(before!.refresh_token_expires_at.getTime());
    expect((await control.stats(link.mall_id))?.tokenRefreshes).toBe(1);
  });
});
