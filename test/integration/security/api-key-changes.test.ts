import net from 'node:net';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedApiKeyLookup } from '../../../src/api/lib/api-key-lookup.js';
import { listenForChanges, type ChangeListener } from '../../../src/db/change-listener.js';
import { apiKeyChangesChannel, findActiveApiKeyByHash, revokeApiKey, touchApiKey } from '../../../src/db/repositories/api-keys.js';
import { hashApiKey } from '../../../src/domain/api-keys.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { adminScope, createTestApiKey, customerScope } from '../../support/mall-link-api.js';
import { until } from '../../support/wait.js';

/**
 * The API's key cache against a real PostgreSQL: the api_keys trigger notifies every change that
 * can refuse a key, the listener hears it (and reports a lost connection, then listens again), and
 * a cached key stops working once its revocation commits, wherever it was made.
 */
describe('API key changes reach the cache', () => {
  let database: TestDatabase;
  let listener: ChangeListener;
  /** Every notification's payload, in the order heard, and how often the connection was reported lost. */
  const heard = { payloads: [] as string[], lost: 0 };

  beforeAll(async () => {
    database = await createTestDatabase();
    const handlers = { changed: (payload: string) => void heard.payloads.push(payload), lost: () => void (heard.lost += 1) };
    listener = listenForChanges(database.url, apiKeyChangesChannel, handlers, pino({ level: 'silent' }));
    await until(() => listener.listening, 'the listener to listen');
  });
  afterAll(async () => {
    await listener?.close();
    await database?.drop();
  });

  it('a revocation notifies; touching last_used_at does not', async () => {
    const touched = await createTestApiKey(database.db, adminScope);
    const revoked = await createTestApiKey(database.db, customerScope('CST1'));
    const before = heard.payloads.length;
    await touchApiKey(database.db, touched.id);
    await revokeApiKey(database.db, revoked.id);
    await sql`select pg_notify(${apiKeyChangesChannel}, 'marker')`.execute(database.db);
    // Notifications arrive in commit order: once the marker is heard, everything before it was.
    await until(() => heard.payloads.includes('marker'), 'the marker to be heard');
    expect(heard.payloads.slice(before)).toEqual(['', 'marker']);
  });

  it('changing a key\'s customer or deleting keys notifies too', async () => {
    const key = await createTestApiKey(database.db, customerScope('CST2'));
    let before = heard.payloads.length;
    await database.db.updateTable('api_keys').set({ cst_cd: 'CST3' }).where('id', '=', key.id).execute();
    await until(() => heard.payloads.length > before, 'the customer change to be heard');
    before = heard.payloads.length;
    await database.db.deleteFrom('api_keys').where('id', '=', key.id).execute();
    await until(() => heard.payloads.length > before, 'the deletion to be heard');
  });

  it('a lost connection is reported, and the listener listens again', async () => {
    const lostBefore = heard.lost;
    const { rows } = await sql<{ ended: boolean }>`
      select pg_terminate_backend(pid) as ended from pg_stat_activity where application_name = ${`listen ${apiKeyChangesChannel}`} and datname = current_database()`.execute(database.db);
    expect(rows.map((r) => r.ended)).toEqual([true]);
    // Reported on the loss and again once listening afresh: either way the cache forgets what it holds.
    await until(() => heard.lost > lostBefore, 'the loss to be reported');
    await until(() => listener.listening, 'the listener to listen again');
    const before = heard.payloads.length;
    const key = await createTestApiKey(database.db, adminScope);
    await revokeApiKey(database.db, key.id);
    await until(() => heard.payloads.length > before, 'a revocation to be heard after the reconnect');
  });

  it('a connection that goes silent is found by the heartbeat, reported, and replaced', async () => {
    const proxy = await freezableProxy(new URL(database.url));
    const silent = { changed: 0, lost: 0 };
    const silentListener = listenForChanges(
      proxy.url(database.url),
      apiKeyChangesChannel,
      { changed: () => (silent.changed += 1), lost: () => (silent.lost += 1) },
      pino({ level: 'silent' }),
      { reconnectDelayMs: 100, heartbeatMs: 100, deadlineMs: 500 },
    );
    try {
      await until(() => silentListener.listening, 'the listener to listen through the proxy');
      const lostBefore = silent.lost;
      // Neither side hears a close: only the heartbeat can tell.
      proxy.freeze();
      await until(() => !silentListener.listening, 'the silent connection to count as lost');
      expect(silent.lost).toBeGreaterThan(lostBefore);
      // A connect that gets no answer is given up on too, and tried again.
      const connectsBefore = proxy.connections;
      await until(() => proxy.connections >= connectsBefore + 2, 'a hung connect to be given up on and tried again');
      expect(silentListener.listening).toBe(false);
      proxy.thaw();
      await until(() => silentListener.listening, 'the listener to listen again');
      const before = silent.changed;
      const key = await createTestApiKey(database.db, adminScope);
      await revokeApiKey(database.db, key.id);
      await until(() => silent.changed > before, 'a revocation to be heard on the new connection');
    } finally {
      await silentListener.close();
      await proxy.close();
    }
  });

  it('a cached key is refused once its revocation commits elsewhere', async () => {
    let reads = 0;
    const lookup = cachedApiKeyLookup(
      async (hash) => {
        reads += 1;
        return findActiveApiKeyByHash(database.db, hash);
      },
      { trusted: () => cacheListener.listening },
    );
    const cacheListener = listenForChanges(database.url, apiKeyChangesChannel, { changed: lookup.invalidate, lost: lookup.invalidate }, pino({ level: 'silent' }));
    try {
      await until(() => cacheListener.listening, 'the cache to listen');
      const key = await createTestApiKey(database.db, customerScope('CST4'));
      const hash = hashApiKey(key.plaintext);
      expect((await lookup.find(hash))?.id).toBe(key.id);
      expect((await lookup.find(hash))?.id).toBe(key.id);
      expect(reads).toBe(1);
      // As `npm run apikey -- revoke` does, on a connection of its own.
      await revokeApiKey(database.db, key.id);
      await until(async () => (await lookup.find(hash)) === undefined, 'the revoked key to be refused', 10_000);
    } finally {
      await cacheListener.close();
    }
  });
});

/**
 * A TCP proxy to PostgreSQL that can stop forwarding without closing anything, as a dead route
 * does: frozen, it passes nothing on its connections, old or new; thawed, it drops the frozen ones
 * and forwards new ones.
 */
async function freezableProxy(target: URL) {
  let frozen = false;
  let connections = 0;
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((downstream) => {
    connections += 1;
    const upstream = net.connect(Number(target.port), target.hostname);
    const pair: [net.Socket, net.Socket] = [downstream, upstream];
    pairs.add(pair);
    const forget = () => {
      pairs.delete(pair);
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on('close', forget).on('error', forget);
    upstream.on('close', forget).on('error', forget);
    if (!frozen) {
      downstream.pipe(upstream);
      upstream.pipe(downstream);
    }
  });
  const dropAll = () => {
    for (const [downstream, upstream] of [...pairs]) {
      downstream.destroy();
      upstream.destroy();
    }
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    /** Connections accepted so far. */
    get connections() {
      return connections;
    },
    url(databaseUrl: string) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    freeze() {
      frozen = true;
      for (const [downstream, upstream] of pairs) {
        downstream.unpipe(upstream).pause();
        upstream.unpipe(downstream).pause();
      }
    },
    thaw() {
      frozen = false;
      dropAll();
    },
    async close() {
      dropAll();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
