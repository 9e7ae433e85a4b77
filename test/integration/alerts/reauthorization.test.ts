import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCafe24Connection, type Cafe24Connection } from '../../../src/clients/cafe24/connection.js';
import { cafe24Scopes } from '../../../src/clients/cafe24/oauth.js';
import { insertOAuthState } from '../../../src/db/repositories/cafe24-oauth-states.js';
import { findMallLinkById } from '../../../src/db/repositories/mall-links.js';
import { reconcileLink } from '../../../src/schedules/reconcile.js';
import { activeNote } from '../../../src/schedules/spec.js';
import { createTemporalScheduleSync } from '../../../src/schedules/temporal-schedule-sync.js';
import { completeCafe24Install } from '../../../src/services/cafe24-install.js';
import { createReauthorizationHandler } from '../../../src/services/reauthorization.js';
import { scheduleIdFor, scheduleJobNames } from '../../../src/temporal/names.js';
import { alertsOf, capturedLog } from '../../support/alerts.js';
import { createTestApp, json } from '../../support/api.js';
import { authorizeLink, configFor, createLink, startTestSimulator } from '../../support/cafe24.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { adminScope, apiCaller, createTestApiKey } from '../../support/mall-link-api.js';
import { reconcileDepsFor } from '../../support/schedules.js';
import { connectTestTemporal, type TestTemporal } from '../../support/temporal.js';

/**
 * Issue 14 item 2: a refresh Cafe24 rejects pauses the link's schedules with a note at once (not
 * at the next daily reconcile), opens the re-authorization alert and the link status tells the
 * seller what to do; a fresh install resumes the schedules and closes the alert.
 */
describe('re-authorization takes effect at once', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let sim: Awaited<ReturnType<typeof startTestSimulator>>['sim'];
  let control: Awaited<ReturnType<typeof startTestSimulator>>['control'];
  let cafe24: Cafe24Connection;
  const { log, events } = capturedLog();
  const alertDeps = () => ({ db: database.db, log });
  const schedules = () => createTemporalScheduleSync({ ...reconcileDepsFor(database.db, temporal.client, temporal.taskQueue), timeoutMs: 5_000 });

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    ({ sim, control } = await startTestSimulator());
    // As the worker and the API build it: a rejected refresh calls the re-authorization handler.
    cafe24 = createCafe24Connection(configFor(sim), { db: database.db, log, onReauthRequired: createReauthorizationHandler({ ...alertDeps(), schedules: schedules() }) });
  });
  afterAll(async () => {
    await cafe24?.close();
    await sim?.stop();
    await temporal?.close();
    await database?.drop();
  });

  it('a rejected refresh pauses both schedules with a note and opens the alert; a fresh install resumes them and closes it', async () => {
    const link = await createLink(database.db);
    await authorizeLink(sim, cafe24, link);
    await reconcileLink(reconcileDepsFor(database.db, temporal.client, temporal.taskQueue), link.id);
    const states = async () => Promise.all(scheduleJobNames.map(async (job) => (await temporal.client.schedule.getHandle(scheduleIdFor(job, link.id)).describe()).state));
    expect((await states()).map((s) => [s.paused, s.note])).toEqual(scheduleJobNames.map(() => [false, activeNote]));

    const admin = await createTestApiKey(database.db, adminScope);
    const call = apiCaller(createTestApp({ db: database.db, temporal: temporal.client, cafe24, schedules: schedules() }));
    const status = async () => (await json(await call('GET', `/v1/mall-links/${link.id}/status`, { key: admin })));
    expect((await status()).cafe24Auth).toMatchObject({ status: 'authorized', sellerAction: null });

    // The seller removed the app: Cafe24 refuses the refresh token (invalid_grant).
    await control.revokeRefreshTokens(link.mall_id);
    expect(await cafe24.tokens.refreshExpiring(30 * 24 * 3600_000)).toMatchObject({ checked: 1, reauthRequired: 1 });

    // At once — no reconcile ran in between.
    expect((await findMallLinkById(database.db, link.id))!.cafe24_auth_status).toBe('reauth_required');
    for (const state of await states()) {
      expect(state.paused).toBe(true);
      expect(state.note).toContain('cafe24_auth_status=reauth_required');
    }
    const [alert, ...more] = await alertsOf(database.db, link.id, 'reauth_required');
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ status: 'open', subject: '' });
    expect(events('alert.opened').filter((e) => e.alertId === alert!.id)).toHaveLength(1);
    const paused = await status();
    expect(paused.cafe24Auth).toMatchObject({ status: 'reauth_required', installUrl: `http://api.test/cafe24/install?mallLinkId=${link.id}` });
    expect(paused.cafe24Auth.sellerAction).toContain('installUrl');
    expect(paused.schedule).toMatchObject({ paused: true, note: expect.stringContaining('카페24 앱 인증 필요') });

    // A second rejection (another caller) neither opens a second alert nor logs again.
    await expect(cafe24.tokens.refreshExpiring(30 * 24 * 3600_000)).resolves.toMatchObject({ checked: 0 });
    expect(await alertsOf(database.db, link.id, 'reauth_required')).toHaveLength(1);

    // The seller installs the app again, through the real callback service.
    const redirectUri = 'http://api.test/cafe24/oauth/callback';
    const nonce = randomUUID();
    await insertOAuthState(database.db, { nonce, mallLinkId: link.id, expiresAt: new Date(Date.now() + 600_000) });
    const code = await control.authorize(link.mall_id, redirectUri, [...cafe24Scopes]);
    const installed = await completeCafe24Install({ ...alertDeps(), cafe24, schedules: schedules() }, { nonce, mallLinkId: link.id, redirectUri, code, mallId: link.mall_id });
    expect(installed).toMatchObject({ installed: true, scheduleState: 'synced' });

    expect((await states()).map((s) => [s.paused, s.note])).toEqual(scheduleJobNames.map(() => [false, activeNote]));
    expect(await alertsOf(database.db, link.id, 'reauth_required')).toMatchObject([{ id: alert!.id, status: 'closed' }]);
    expect(events('alert.closed').filter((e) => e.alertId === alert!.id)).toHaveLength(1);
    expect((await status()).cafe24Auth).toMatchObject({ status: 'authorized', sellerAction: null });

    for (const job of scheduleJobNames) await temporal.client.schedule.getHandle(scheduleIdFor(job, link.id)).delete();
  });
});
