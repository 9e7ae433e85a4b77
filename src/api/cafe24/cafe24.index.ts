import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { verifyLaunch } from '../../clients/cafe24/launch.js';
import { insertOAuthState } from '../../db/repositories/cafe24-oauth-states.js';
import { findMallLinkById, findMallLinkByMallId } from '../../db/repositories/mall-links.js';
import { signPayload, verifyPayload } from '../../domain/signed-payload.js';
import { completeCafe24Install, type Cafe24InstallRefusal } from '../../services/cafe24-install.js';
import { createRouter } from '../lib/router.js';
import type { AppEnv } from '../lib/types.js';
import { failurePage, installedPage, statusPage } from './cafe24.pages.js';
import { callback, install, launch, status } from './cafe24.routes.js';
import { cafe24CallbackUrl, cafe24InstallUrl } from './install-url.js';
import { cafe24SigningKey as signingKey, type InstallState, type StatusLink } from './signing.js';

const stateTtlMs = 10 * 60_000;
const statusLinkTtlMs = 10 * 60_000;

const expiry = (ttlMs: number) => Math.floor((Date.now() + ttlMs) / 1000);

/** A refusal page plus a log line naming why; nothing is stored. */
function refuse(c: Context<AppEnv>, status: 400 | 401 | 404 | 502, reason: string, korean: string, english: string, fields: Record<string, unknown> = {}) {
  c.get('log').warn({ reason, ...fields }, 'cafe24 oauth/launch request refused');
  return c.html(failurePage(korean, english), status);
}

/** The refusal page of each way the OAuth callback can fail: status, Korean, English. */
const callbackRefusals = (cause = ''): Record<Cafe24InstallRefusal, [400 | 404 | 502, string, string]> => ({
  'state-reused': [400, '이미 사용된 인증 요청입니다.', 'This install request was already used.'],
  'cafe24-error': [400, `카페24가 인증을 거부했습니다: ${cause}`, `Cafe24 refused the authorization: ${cause}.`],
  'unknown-link': [404, '연동쇼핑몰을 찾을 수 없습니다.', 'The mall link no longer exists.'],
  'mall-mismatch': [400, '인증한 쇼핑몰 ID가 연동쇼핑몰과 다릅니다.', 'The authorizing mall id differs from the mall link.'],
  'no-code': [400, '인증 코드가 없습니다.', 'Cafe24 sent no authorization code.'],
  'exchange-failed': [502, '카페24 인증 코드 교환에 실패했습니다.', 'Exchanging the code with Cafe24 failed.'],
});

export const cafe24Router = createRouter()
  .openapi(install, async (c) => {
    const { db, config, cafe24 } = c.get('deps');
    const { mallLinkId } = c.req.valid('query');
    const link = await findMallLinkById(db, mallLinkId);
    if (!link) return refuse(c, 404, 'unknown-link', '연동쇼핑몰을 찾을 수 없습니다.', 'The mall link does not exist.', { mallLinkId });
    const nonce = randomBytes(16).toString('base64url');
    const exp = expiry(stateTtlMs);
    await insertOAuthState(db, { nonce, mallLinkId, expiresAt: new Date(exp * 1000) });
    const state = signPayload<InstallState>(signingKey(config), { purpose: 'cafe24-install', exp, nonce, mallLinkId });
    return c.redirect(cafe24.oauth.authorizeUrl(link.mall_id, { redirectUri: cafe24CallbackUrl(config.PUBLIC_BASE_URL), state }), 302);
  })
  .openapi(callback, async (c) => {
    const { db, config, cafe24, schedules } = c.get('deps');
    const query = c.req.valid('query');
    const verified = query.state ? verifyPayload<InstallState>(signingKey(config), query.state, 'cafe24-install', new Date()) : { ok: false as const, reason: 'forged' as const };
    if (!verified.ok) {
      return verified.reason === 'expired'
        ? refuse(c, 400, 'state-expired', '인증 요청이 만료되었습니다(10분).', 'The install request expired (10 minutes).')
        : refuse(c, 400, 'state-forged', '인증 요청을 확인할 수 없습니다.', 'The install request could not be verified.');
    }
    const { nonce, mallLinkId } = verified.payload;
    const result = await completeCafe24Install(
      { db, cafe24, schedules, log: c.get('log') },
      { nonce, mallLinkId, redirectUri: cafe24CallbackUrl(config.PUBLIC_BASE_URL), code: query.code, error: query.error, mallId: query.mall_id },
    );
    if (!result.installed) {
      const [status, korean, english] = callbackRefusals(result.cause)[result.refusal];
      return refuse(c, status, result.refusal, korean, english, { mallLinkId, ...(result.cause === undefined ? {} : { error: result.cause }) });
    }
    c.get('log').info({ mallLinkId, mallId: result.link.mall_id, scheduleState: result.scheduleState }, 'cafe24 app authorized');
    return c.html(installedPage(result.link, result.scheduleState), 200);
  })
  .openapi(launch, async (c) => {
    const { db, config, cafe24 } = c.get('deps');
    const rawQuery = new URL(c.req.url).search.slice(1);
    const verified = verifyLaunch(rawQuery, config.CAFE24_CLIENT_SECRET, new Date());
    if (!verified.ok) return refuse(c, 401, `launch-${verified.reason}`, '앱 실행 요청을 확인할 수 없습니다.', 'The app launch request could not be verified.');
    const link = await findMallLinkByMallId(db, 'cafe24', verified.mallId);
    if (!link) {
      return refuse(c, 404, 'launch-unknown-mall', 'FMS에 등록된 연동쇼핑몰이 아닙니다. FMS에서 먼저 연동쇼핑몰을 등록해 주세요.', 'This mall is not registered in FMS yet; register the mall link in FMS first.', { mallId: verified.mallId });
    }
    if (link.cafe24_auth_status !== 'authorized' || !(await cafe24.tokens.hasValidToken(link.id))) return c.redirect(cafe24InstallUrl(config.PUBLIC_BASE_URL, link.id), 302);
    const sig = signPayload<StatusLink>(signingKey(config), { purpose: 'cafe24-status', exp: expiry(statusLinkTtlMs), mallLinkId: link.id });
    return c.redirect(`${config.PUBLIC_BASE_URL}/cafe24/status?mallLinkId=${link.id}&sig=${encodeURIComponent(sig)}`, 302);
  })
  .openapi(status, async (c) => {
    const { db, config } = c.get('deps');
    const { mallLinkId, sig } = c.req.valid('query');
    const verified = sig ? verifyPayload<StatusLink>(signingKey(config), sig, 'cafe24-status', new Date()) : undefined;
    if (!verified?.ok || verified.payload.mallLinkId !== mallLinkId) {
      return refuse(c, 401, 'status-link-invalid', '링크가 만료되었습니다. 카페24 관리자에서 앱을 다시 실행해 주세요.', 'This link expired; open the app again from the Cafe24 admin.');
    }
    const link = await findMallLinkById(db, verified.payload.mallLinkId);
    if (!link) return refuse(c, 401, 'status-unknown-link', '연동쇼핑몰을 찾을 수 없습니다.', 'The mall link no longer exists.');
    return c.html(statusPage(link, link.schedule_state), 200);
  });
