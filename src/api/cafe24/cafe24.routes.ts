import { createRoute, z } from '@hono/zod-openapi';
import { problemResponseSpec } from '../lib/problem.js';

const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
const redirect = (description: string) => ({ description, headers: z.object({ location: z.string() }) });

export const install = createRoute({
  method: 'get',
  path: '/cafe24/install',
  tags: ['cafe24'],
  summary: 'Start the Cafe24 app install (OAuth consent) for a mall link',
  description: '카페24 앱 설치 시작. Redirects the seller to Cafe24’s consent page with the scopes this service needs and a signed, single-use state valid for 10 minutes.',
  request: {
    query: z.object({ mallLinkId: z.uuid().openapi({ example: '0b6f3c9e-5d1a-4c1e-9f3a-2b7d8e6a1c40' }) }),
  },
  responses: {
    302: redirect('To the Cafe24 authorize page'),
    404: html('No such mall link'),
    422: problemResponseSpec('mallLinkId is not a UUID'),
  },
});

export const callback = createRoute({
  method: 'get',
  path: '/cafe24/oauth/callback',
  tags: ['cafe24'],
  summary: 'Cafe24 OAuth redirect URI',
  description: 'Exchanges the authorization code, stores the token pair encrypted, marks the link authorized and reconciles its schedules; shows a bilingual result page.',
  request: {
    query: z.object({
      code: z.string().optional(),
      state: z.string().optional(),
      error: z.string().optional(),
      error_description: z.string().optional(),
      mall_id: z.string().optional(),
    }),
  },
  responses: {
    200: html('카페24 아이디 인증 완료 — authorization stored'),
    400: html('Forged, expired or reused state, an error from Cafe24, or a mall id that does not match the link'),
    404: html('The mall link no longer exists'),
    502: html('Cafe24 refused or failed the code exchange'),
  },
});

export const launch = createRoute({
  method: 'get',
  path: '/cafe24/launch',
  tags: ['cafe24'],
  summary: 'Cafe24 App URL (launch from the Cafe24 admin)',
  description: 'Verifies the launch HMAC (client secret, timing-safe, at most 10 minutes old) and redirects to the install flow when no valid token is held, else to the link status page.',
  request: {
    query: z.object({
      mall_id: z.string().optional().openapi({ example: 'demomall' }),
      timestamp: z.string().optional().openapi({ example: '1796000000' }),
      hmac: z.string().optional(),
    }).catchall(z.string()),
  },
  responses: {
    302: redirect('To the install flow or the status page'),
    401: html('Missing, invalid or stale signature'),
    404: html('The mall is not registered as an FMS mall link'),
  },
});

export const status = createRoute({
  method: 'get',
  path: '/cafe24/status',
  tags: ['cafe24'],
  summary: 'Link status page reached from an app launch',
  request: { query: z.object({ mallLinkId: z.string().optional(), sig: z.string().optional() }) },
  responses: {
    200: html('The link state'),
    401: html('The signed link is missing, forged or expired'),
  },
});
