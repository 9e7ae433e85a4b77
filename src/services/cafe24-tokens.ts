import type { Db } from '../db/database.js';
import { setCafe24AuthStatus } from '../db/repositories/mall-links.js';
import { findCafe24Tokens, findLinksWithRefreshTokenExpiringBefore, lockCafe24Tokens, saveCafe24Tokens } from '../db/repositories/cafe24-tokens.js';
import type { Logger } from '../logger.js';
import type { Cafe24MallRef, Cafe24TokenSource } from '../clients/cafe24/admin-client.js';
import { Cafe24Error, Cafe24ReauthRequired } from '../clients/cafe24/errors.js';
import type { Cafe24OAuthClient, Cafe24TokenSet } from '../clients/cafe24/oauth.js';
import type { TokenCipher } from '../clients/cafe24/token-cipher.js';
import type { ExpiringTokenRefreshSummary } from '../temporal/tokens.js';

export interface Cafe24TokenManagerOptions {
  db: Db;
  oauth: Cafe24OAuthClient;
  cipher: TokenCipher;
  log: Logger;
  /** Refresh when less than this remains on the access token (default 5 minutes). */
  refreshMarginMs?: number;
  /**
   * Called once Cafe24 has rejected a link's refresh token and the link is marked
   * reauth_required: pauses its schedules and opens the alert at once. Its failure is logged only.
   */
  onReauthRequired?: (mall: Cafe24MallRef) => Promise<void>;
  now?: () => Date;
}

const aad = (mallLinkId: string, column: 'access' | 'refresh') => `${mallLinkId}:${column}`;

/**
 * Why a refresh is asked for, with what the caller saw: under the lock this decides whether
 * another caller's refresh already satisfied it.
 */
type RefreshReason =
  | { kind: 'expiring'; seenRefreshedAt: Date }
  | { kind: 'rejected'; token: string }
  | { kind: 'scheduled'; refreshTokenValidUntil: Date };

/**
 * Token lifecycle per mall link. Cafe24 rotates refresh tokens (an old one is dead after use), so
 * refreshes are single-flight: in-process by a promise per link, across processes by a row lock
 * held while the token endpoint is called; the new pair is committed before anyone uses it.
 */
export class Cafe24TokenManager implements Cafe24TokenSource {
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly refreshMarginMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: Cafe24TokenManagerOptions) {
    this.refreshMarginMs = options.refreshMarginMs ?? 5 * 60_000;
    this.now = options.now ?? (() => new Date());
  }

  /** Stores a fresh pair (from the install callback) and marks the link authorized, atomically. */
  async store(mallLinkId: string, tokens: Cafe24TokenSet): Promise<void> {
    await this.options.db.transaction().execute(async (trx) => {
      await saveCafe24Tokens(trx, this.encrypted(mallLinkId, tokens));
      await setCafe24AuthStatus(trx, mallLinkId, 'authorized');
    });
  }

  /** Whether a usable token pair exists (the refresh token is still alive). */
  async hasValidToken(mallLinkId: string): Promise<boolean> {
    const row = await findCafe24Tokens(this.options.db, mallLinkId);
    return row !== undefined && row.refresh_token_expires_at > this.now();
  }

  async accessToken(mall: Cafe24MallRef): Promise<string> {
    const row = await findCafe24Tokens(this.options.db, mall.mallLinkId);
    if (!row) throw new Cafe24ReauthRequired(`no Cafe24 token for mall ${mall.mallId}; the app must be installed`, mall.mallId);
    if (row.access_token_expires_at.getTime() - this.now().getTime() < this.refreshMarginMs) return this.refresh(mall, { kind: 'expiring', seenRefreshedAt: row.refreshed_at });
    return this.options.cipher.decrypt(row.access_token_enc, aad(mall.mallLinkId, 'access'));
  }

  refreshAfterRejection(mall: Cafe24MallRef, rejected: string): Promise<string> {
    return this.refresh(mall, { kind: 'rejected', token: rejected });
  }

  /** Refreshes every authorized link whose refresh token expires within `withinMs` (default 7 days). */
  async refreshExpiring(withinMs = 7 * 24 * 3600_000): Promise<ExpiringTokenRefreshSummary> {
    const horizon = new Date(this.now().getTime() + withinMs);
    const links = await findLinksWithRefreshTokenExpiringBefore(this.options.db, horizon);
    const summary: ExpiringTokenRefreshSummary = { checked: links.length, refreshed: 0, reauthRequired: 0, failed: 0 };
    for (const link of links) {
      try {
        await this.refresh(link, { kind: 'scheduled', refreshTokenValidUntil: horizon });
        summary.refreshed += 1;
      } catch (error) {
        if (error instanceof Cafe24ReauthRequired) summary.reauthRequired += 1;
        else summary.failed += 1;
        this.options.log.warn({ err: error, mallLinkId: link.mallLinkId, mallId: link.mallId }, 'scheduled Cafe24 token refresh failed');
      }
    }
    return summary;
  }

  private refresh(mall: Cafe24MallRef, reason: RefreshReason): Promise<string> {
    const running = this.inFlight.get(mall.mallLinkId);
    if (running) return running;
    const promise = this.refreshLocked(mall, reason).finally(() => this.inFlight.delete(mall.mallLinkId));
    this.inFlight.set(mall.mallLinkId, promise);
    return promise;
  }

  private async refreshLocked(mall: Cafe24MallRef, reason: RefreshReason): Promise<string> {
    const { cipher, db, oauth, log } = this.options;
    const outcome = await db.transaction().execute(async (trx): Promise<{ token: string } | { rejected: Cafe24Error; byCafe24?: true }> => {
      const row = await lockCafe24Tokens(trx, mall.mallLinkId);
      if (!row) return { rejected: new Cafe24ReauthRequired(`no Cafe24 token for mall ${mall.mallId}; the app must be installed`, mall.mallId) };
      const current = cipher.decrypt(row.access_token_enc, aad(mall.mallLinkId, 'access'));
      // Another process may have refreshed while we waited for the lock: then its pair is ours too.
      const satisfied =
        (reason.kind === 'expiring' && row.refreshed_at.getTime() !== reason.seenRefreshedAt.getTime()) ||
        (reason.kind === 'rejected' && current !== reason.token) ||
        (reason.kind === 'scheduled' && row.refresh_token_expires_at >= reason.refreshTokenValidUntil);
      if (satisfied) return { token: current };
      let fresh: Cafe24TokenSet;
      try {
        fresh = await oauth.refresh(mall.mallId, cipher.decrypt(row.refresh_token_enc, aad(mall.mallLinkId, 'refresh')));
      } catch (error) {
        if (!(error instanceof Cafe24ReauthRequired)) throw error;
        await setCafe24AuthStatus(trx, mall.mallLinkId, 'reauth_required');
        return { rejected: error, byCafe24: true };
      }
      await saveCafe24Tokens(trx, { ...this.encrypted(mall.mallLinkId, fresh), mallId: row.mall_id });
      return { token: fresh.accessToken };
    });
    if ('rejected' in outcome) {
      log.warn({ mallLinkId: mall.mallLinkId, mallId: mall.mallId, reason: reason.kind }, 'Cafe24 refused the refresh token; the link needs re-authorization');
      if (outcome.byCafe24 && this.options.onReauthRequired) {
        await this.options.onReauthRequired(mall).catch((err: unknown) => log.error({ err, mallLinkId: mall.mallLinkId }, 'pausing a link that needs re-authorization failed; the next reconcile pauses it'));
      }
      throw outcome.rejected;
    }
    log.debug({ mallLinkId: mall.mallLinkId, reason: reason.kind }, 'Cafe24 access token ready');
    return outcome.token;
  }

  private encrypted(mallLinkId: string, tokens: Cafe24TokenSet) {
    const { cipher } = this.options;
    return {
      mallLinkId,
      mallId: tokens.mallId,
      accessTokenEnc: cipher.encrypt(tokens.accessToken, aad(mallLinkId, 'access')),
      accessTokenExpiresAt: tokens.accessTokenExpiresAt,
      refreshTokenEnc: cipher.encrypt(tokens.refreshToken, aad(mallLinkId, 'refresh')),
      refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
      scopes: tokens.scopes,
      refreshedAt: this.now(),
    };
  }
}
