import { request, type Dispatcher } from 'undici';
import { Cafe24ReauthRequired, Cafe24ResponseInvalid, Cafe24Unavailable } from './errors.js';
import { cafe24BaseUrl } from './http.js';
import { tokenResponse } from './schemas.js';
import { authorizeScopeSeparator, parseTokenTimestamp, tokenErrorText } from './unconfirmed.js';

/** The scopes this service asks every mall for. */
export const cafe24Scopes = ['mall.read_order', 'mall.write_order', 'mall.read_product', 'mall.read_store', 'mall.read_shipping'] as const;

export interface Cafe24TokenSet {
  mallId: string;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  scopes: string[];
}

export interface Cafe24OAuthOptions {
  baseUrlTemplate: string;
  clientId: string;
  clientSecret: string;
  dispatcher: Dispatcher;
}

/** Cafe24's OAuth endpoints: the authorize URL (browser) and the token endpoint (Basic auth, form body). */
export class Cafe24OAuthClient {
  constructor(private readonly options: Cafe24OAuthOptions) {}

  get clientSecret(): string {
    return this.options.clientSecret;
  }

  authorizeUrl(mallId: string, params: { redirectUri: string; state: string }): string {
    const url = new URL(`${cafe24BaseUrl(this.options.baseUrlTemplate, mallId)}/api/v2/oauth/authorize`);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', this.options.clientId);
    url.searchParams.set('state', params.state);
    url.searchParams.set('redirect_uri', params.redirectUri);
    url.searchParams.set('scope', cafe24Scopes.join(authorizeScopeSeparator));
    return url.toString();
  }

  exchangeCode(mallId: string, code: string, redirectUri: string): Promise<Cafe24TokenSet> {
    return this.token(mallId, { grant_type: 'authorization_code', code, redirect_uri: redirectUri });
  }

  /** Cafe24 rotates: the refresh token passed here is dead once this returns. */
  refresh(mallId: string, refreshToken: string): Promise<Cafe24TokenSet> {
    return this.token(mallId, { grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  private async token(mallId: string, form: Record<string, string>): Promise<Cafe24TokenSet> {
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64');
    let status: number;
    let text: string;
    try {
      const response = await request(`${cafe24BaseUrl(this.options.baseUrlTemplate, mallId)}/api/v2/oauth/token`, {
        method: 'POST',
        dispatcher: this.options.dispatcher,
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw new Cafe24Unavailable(`Cafe24 token endpoint unreachable for ${mallId}: ${(error as Error).message}`, mallId);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Cafe24Unavailable(`Cafe24 token endpoint sent an unreadable body (${status})`, mallId, status);
    }
    if (status >= 500 || status === 429) throw new Cafe24Unavailable(`Cafe24 token endpoint answered ${status}: ${tokenErrorText(json)}`, mallId, status);
    // 400/401 from the token endpoint: the grant (code or refresh token) or the client is rejected.
    if (status >= 400) throw new Cafe24ReauthRequired(`Cafe24 rejected the ${form.grant_type} grant (${status}): ${tokenErrorText(json)}`, mallId, status);
    const parsed = tokenResponse.safeParse(json);
    if (!parsed.success) throw new Cafe24ResponseInvalid('Cafe24 token response has an unexpected shape', mallId, status);
    const body = parsed.data;
    return {
      mallId: body.mall_id,
      accessToken: body.access_token,
      accessTokenExpiresAt: parseTokenTimestamp(body.expires_at),
      refreshToken: body.refresh_token,
      refreshTokenExpiresAt: parseTokenTimestamp(body.refresh_token_expires_at),
      scopes: body.scopes ?? [],
    };
  }
}
