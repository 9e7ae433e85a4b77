import { createRoute, z } from '@hono/zod-openapi';
import { maxExtraShops } from '../../domain/mall-links.js';
import { requireApiKey } from '../lib/auth.js';
import { linkTo, mallLinkChangeLinks, mallLinkLinks } from '../lib/links.js';
import { problemResponseSpec } from '../lib/problem.js';
import { MallLinkParamsSchema, mallLinkNotFoundResponse, unauthorizedResponse } from '../lib/route-specs.js';
import {
  AuditListSchema,
  AuditQuery,
  CreateMallLinkSchema,
  IfMatchHeaders,
  LinkStatusSchema,
  ListQuery,
  MallLinkListSchema,
  MallLinkSchema,
  RequestShopSchema,
  ShopChangeSchema,
  ShopListSchema,
  ShopParams,
  ShopQuery,
  UpdateMallLinkSchema,
} from './mall-links.schemas.js';

const tags = ['Mall links (연동쇼핑몰)'];
const security = [{ apiKey: [] }];
const middleware = requireApiKey;

const etagHeader = {
  ETag: { description: 'Version of the link; send it back in `If-Match` to update or delete safely.', schema: { type: 'string' as const, example: '"3"' } },
};

const errors = {
  unauthorized: unauthorizedResponse,
  forbidden: problemResponseSpec('The key may not do this (`/problems/forbidden`)'),
  notFound: mallLinkNotFoundResponse,
  validation: problemResponseSpec('Invalid input; `errors` names each field (`/problems/validation-error`)'),
  malformed: problemResponseSpec('The body is not valid JSON (`/problems/bad-request`)'),
  unsupportedMediaType: problemResponseSpec('The body is not `application/json` (`/problems/bad-request`)'),
  tooLarge: problemResponseSpec('The body is over 1 MiB (`/problems/payload-too-large`)'),
  preconditionFailed: problemResponseSpec('`If-Match` does not match the current version (`/problems/precondition-failed`)'),
};

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const jsonBody = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });

// ---- routes ----------------------------------------------------------------------------------

export const createMallLink = createRoute({
  method: 'post',
  path: '/v1/mall-links',
  tags,
  security,
  middleware,
  summary: '연동쇼핑몰 등록 (create a mall link)',
  description: 'Omitted settings take their defaults. A customer key may only create links for its own cstCd (403 otherwise).',
  request: { body: jsonBody(CreateMallLinkSchema) },
  responses: {
    201: { ...json(MallLinkSchema, 'Created'), headers: etagHeader, links: { ...mallLinkLinks('$response.body#/id'), ...mallLinkChangeLinks('$response.body#/id') } },
    401: errors.unauthorized,
    403: errors.forbidden,
    409: problemResponseSpec('mallId is already linked (`/problems/mall-id-taken`); `existingLinkId` names the link when the caller may see it'),
    413: errors.tooLarge,
    400: errors.malformed,
    415: errors.unsupportedMediaType,
    422: errors.validation,
  },
});

export const listMallLinks = createRoute({
  method: 'get',
  path: '/v1/mall-links',
  tags,
  security,
  middleware,
  summary: '연동쇼핑몰 목록 (list mall links)',
  description: 'Customer keys see only their own links. Pages follow creation order.',
  request: { query: ListQuery },
  responses: { 200: { ...json(MallLinkListSchema, 'One page'), links: mallLinkLinks('$response.body#/items/0/id') }, 401: errors.unauthorized, 422: errors.validation },
});

export const getMallLink = createRoute({
  method: 'get',
  path: '/v1/mall-links/{id}',
  tags,
  security,
  middleware,
  summary: '연동쇼핑몰 조회 (get a mall link)',
  request: { params: MallLinkParamsSchema },
  responses: { 200: { ...json(MallLinkSchema, 'The link'), headers: etagHeader, links: mallLinkChangeLinks('$request.path.id') }, 401: errors.unauthorized, 404: errors.notFound },
});

export const updateMallLink = createRoute({
  method: 'patch',
  path: '/v1/mall-links/{id}',
  tags,
  security,
  middleware,
  summary: '연동쇼핑몰 설정 변경 (update settings)',
  request: { params: MallLinkParamsSchema, headers: IfMatchHeaders, body: jsonBody(UpdateMallLinkSchema) },
  responses: {
    200: { ...json(MallLinkSchema, 'Updated'), headers: etagHeader, links: { GetMallLink: linkTo('get', '/v1/mall-links/{id}', { id: '$response.body#/id' }, 'The link'), ...mallLinkChangeLinks('$response.body#/id') } },
    401: errors.unauthorized,
    404: errors.notFound,
    409: problemResponseSpec('The change conflicts with the stored settings, e.g. invoiceDisplay company on a link without a sender (`/problems/settings-conflict`)'),
    412: errors.preconditionFailed,
    413: errors.tooLarge,
    400: errors.malformed,
    415: errors.unsupportedMediaType,
    422: errors.validation,
  },
});

export const deleteMallLink = createRoute({
  method: 'delete',
  path: '/v1/mall-links/{id}',
  tags,
  security,
  middleware,
  summary: '연동쇼핑몰 삭제 (delete a mall link)',
  description: 'Removes the link, its shops and its schedules. Refused once orders were collected: disable the link instead (`enabled: false`).',
  request: { params: MallLinkParamsSchema, headers: IfMatchHeaders },
  responses: {
    204: { description: 'Deleted' },
    401: errors.unauthorized,
    404: errors.notFound,
    409: problemResponseSpec('The link has collected orders (`/problems/link-has-orders`); disable it instead'),
    412: errors.preconditionFailed,
  },
});

export const getMallLinkStatus = createRoute({
  method: 'get',
  path: '/v1/mall-links/{id}/status',
  tags,
  security,
  middleware,
  summary: '연동 상태 (link status: Cafe24 authentication, FMS settings, schedule)',
  request: { params: MallLinkParamsSchema },
  responses: { 200: json(LinkStatusSchema, 'Status'), 401: errors.unauthorized, 404: errors.notFound },
});

export const listShops = createRoute({
  method: 'get',
  path: '/v1/mall-links/{id}/shops',
  tags,
  security,
  middleware,
  summary: '멀티쇼핑몰 목록 (shops of a link)',
  request: { params: MallLinkParamsSchema, query: ShopQuery },
  responses: { 200: json(ShopListSchema, 'Shop 1 and the extra shops, by shop number'), 401: errors.unauthorized, 404: errors.notFound, 422: errors.validation },
});

export const requestShop = createRoute({
  method: 'post',
  path: '/v1/mall-links/{id}/shops',
  tags,
  security,
  middleware,
  summary: '멀티쇼핑몰 추가 신청 (request an extra shop)',
  description: `The shop starts as requested; an admin approves or rejects it. At most ${maxExtraShops} extra shops (requested or active); a rejected shop may be requested again.`,
  request: { params: MallLinkParamsSchema, body: jsonBody(RequestShopSchema) },
  responses: {
    201: {
      ...json(ShopChangeSchema, 'Requested'),
      headers: etagHeader,
      links: {
        ApproveShop: linkTo('post', '/v1/mall-links/{id}/shops/{shopNo}/approve', { id: '$request.path.id', shopNo: '$response.body#/shopNo' }, 'Approve the requested shop (admin)'),
        RejectShop: linkTo('post', '/v1/mall-links/{id}/shops/{shopNo}/reject', { id: '$request.path.id', shopNo: '$response.body#/shopNo' }, 'Reject the requested shop (admin)'),
      },
    },
    401: errors.unauthorized,
    404: errors.notFound,
    409: problemResponseSpec('The shop is already requested or active (`/problems/shop-exists`), or the link has its 5 extra shops (`/problems/shop-limit`)'),
    400: errors.malformed,
    415: errors.unsupportedMediaType,
    422: errors.validation,
  },
});

const decideShop = (decision: 'approve' | 'reject') =>
  createRoute({
    method: 'post',
    path: `/v1/mall-links/{id}/shops/{shopNo}/${decision}`,
    tags,
    security,
    middleware,
    summary: decision === 'approve' ? '멀티쇼핑몰 승인 (approve a requested shop; admin)' : '멀티쇼핑몰 반려 (reject a requested shop; admin)',
    request: { params: ShopParams },
    responses: {
      200: { ...json(ShopChangeSchema, decision === 'approve' ? 'Now active' : 'Rejected'), headers: etagHeader },
      401: errors.unauthorized,
      403: errors.forbidden,
      404: problemResponseSpec('No such link or no such shop request (`/problems/not-found`)'),
      409: problemResponseSpec('The shop was already decided (`/problems/shop-already-decided`)'),
      422: errors.validation,
    },
  });
export const approveShop = decideShop('approve');
export const rejectShop = decideShop('reject');

export const listAudit = createRoute({
  method: 'get',
  path: '/v1/mall-links/{id}/audit',
  tags,
  security,
  middleware,
  summary: '변경 이력 (audit trail of a link and its shops)',
  request: { params: MallLinkParamsSchema, query: AuditQuery },
  responses: {
    200: json(AuditListSchema, 'Oldest first'),
    401: errors.unauthorized,
    404: errors.notFound,
    422: errors.validation,
  },
});
