import type { MallLinkRow } from '../../db/schema.js';
import type { Cafe24Connection } from '../clients/cafe24/connection.js';
import type { Db } from '../db/database.js';
import { consumeOAuthState } from '../db/repositories/cafe24-oauth-states.js';
import { findMallLinkById } from '../db/repositories/mall-links.js';
import type { ScheduleSync } from '../schedules/schedule-sync.js';
import type { AlertDeps } from './alerts.js';
import { closeReauthorizationAlert } from './reauthorization.js';

export interface Cafe24InstallDeps extends AlertDeps {
  db: Db;
  cafe24: Pick<Cafe24Connection, 'oauth' | 'tokens'>;
  schedules: ScheduleSync;
}

/** What Cafe24 sent back to the redirect URI, with the install state already verified. */
export interface Cafe24Authorization {
  nonce: string;
  mallLinkId: string;
  redirectUri: string;
  code?: string | undefined;
  /** Cafe24's `error` when the seller or Cafe24 refused. */
  error?: string | undefined;
  /** The mall that authorized, when Cafe24 names it. */
  mallId?: string | undefined;
}

/** Why an authorization is refused; nothing is stored then. */
export type Cafe24InstallRefusal = 'state-reused' | 'cafe24-error' | 'unknown-link' | 'mall-mismatch' | 'no-code' | 'exchange-failed';

export type Cafe24InstallResult =
  | { installed: true; link: MallLinkRow; scheduleState: MallLinkRow['schedule_state'] }
  /** `cause` names what went wrong (Cafe24's error, or the failed exchange's error name); never a secret. */
  | { installed: false; refusal: Cafe24InstallRefusal; cause?: string };

/**
 * Completes the Cafe24 app install: consumes the single-use state, exchanges the code, stores the
 * token pair (the link becomes authorized) and syncs the link's schedules, which unpause now; a
 * re-authorization alert closes.
 */
export async function completeCafe24Install(deps: Cafe24InstallDeps, authorization: Cafe24Authorization): Promise<Cafe24InstallResult> {
  const { db, cafe24, schedules } = deps;
  const { nonce, mallLinkId } = authorization;
  if (!(await consumeOAuthState(db, nonce, mallLinkId))) return { installed: false, refusal: 'state-reused' };
  if (authorization.error) return { installed: false, refusal: 'cafe24-error', cause: authorization.error };
  const link = await findMallLinkById(db, mallLinkId);
  if (!link) return { installed: false, refusal: 'unknown-link' };
  if (authorization.mallId && authorization.mallId !== link.mall_id) return { installed: false, refusal: 'mall-mismatch' };
  if (!authorization.code) return { installed: false, refusal: 'no-code' };
  let tokens;
  try {
    tokens = await cafe24.oauth.exchangeCode(link.mall_id, authorization.code, authorization.redirectUri);
  } catch (error) {
    return { installed: false, refusal: 'exchange-failed', cause: (error as Error).name };
  }
  if (tokens.mallId !== link.mall_id) return { installed: false, refusal: 'mall-mismatch' };
  await cafe24.tokens.store(link.id, tokens);
  const scheduleState = await schedules.syncLink(link.id).catch(() => 'pending' as const);
  await closeReauthorizationAlert(deps, link.id);
  return { installed: true, link: (await findMallLinkById(db, link.id)) ?? link, scheduleState };
}
