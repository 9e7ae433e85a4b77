import { createRoute, z } from '@hono/zod-openapi';
import { knownFmsCarriers } from '../../domain/fms-progress.js';
import { requireApiKey } from '../lib/auth.js';
import { listPaging, listSchema } from '../lib/list.js';
import { linkTo } from '../lib/links.js';
import { problemResponseSpec } from '../lib/problem.js';
import { adminOnlyResponse, unauthorizedResponse } from '../lib/route-specs.js';
import { nonBlankText, whiteSpace, withoutNul } from '../lib/text.js';

const knownKeys = Object.keys(knownFmsCarriers).join(', ');

const keyDescription =
  `The carrier as FMS rows normalise to: ${knownKeys} when FMS names or codes a carrier we recognise; ` +
  'otherwise the carrier code FMS sent (upper case, e.g. `07`), or its name when FMS sent no code.';

export const CarrierKeyParamsSchema = z.object({
  fmsCarrierKey: z
    .string()
    .min(1)
    .max(60)
    // White space spelled out and [\s\S] for any character, so the pattern means the same to Python's re (fuzzers, clients).
    .regex(new RegExp(`^[^${whiteSpace}/]([\\s\\S]*[^${whiteSpace}/])?$`), 'a carrier key without surrounding spaces or slashes')
    .regex(withoutNul, 'must not contain NUL characters')
    .openapi({ param: { name: 'fmsCarrierKey', in: 'path' }, description: keyDescription, example: 'CJ' }),
});

export const CarrierMappingInputSchema = z
  .strictObject({
    carrierName: nonBlankText(100).openapi({ example: 'CJ대한통운' }),
    cafe24ShippingCompanyCode: z
      .string()
      .regex(/^[0-9]{4}$/, 'a Cafe24 shipping_company_code: four digits')
      .openapi({ description: "Cafe24's `shipping_company_code` (as a mall's `GET /carriers` lists it)", example: '0006' }),
    confirmed: z.boolean().default(false).openapi({ description: "Whether the code was checked against a mall's `GET /carriers`", example: true }),
    note: z.string().max(500).regex(withoutNul, 'must not contain NUL characters').nullable().default(null),
  })
  .openapi('CarrierMappingInput');

export const CarrierMappingSchema = z
  .object({
    fmsCarrierKey: z.string().openapi({ description: keyDescription, example: 'CJ' }),
    carrierName: z.string().openapi({ example: 'CJ대한통운' }),
    cafe24ShippingCompanyCode: z.string().openapi({ example: '0006' }),
    confirmed: z.boolean().openapi({ description: "false: taken from circulating lists, to be confirmed against a mall's `GET /carriers`" }),
    note: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('CarrierMapping');

/** Mappings by carrier key. */
export const carrierMappingPaging = listPaging(z.strictObject({ fmsCarrierKey: z.string().min(1).max(60) }));

const tags = ['Invoice sync (송장등록)'];

const mappingEffect =
  'Invoice sync registers a tracking number on Cafe24 with the `shipping_company_code` mapped to the carrier of its FMS parcel. ' +
  'A parcel whose carrier has no mapping is held with reason `unknown_carrier`; the first invoice run after the mapping exists registers it.';

export const listCarrierMappingsRoute = createRoute({
  method: 'get',
  path: '/v1/carrier-mappings',
  tags,
  summary: 'FMS carrier → Cafe24 shipping company code (택배사 매핑)',
  description: mappingEffect,
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: { query: z.object(carrierMappingPaging.query) },
  responses: {
    200: { description: 'Mappings by carrier key', content: { 'application/json': { schema: listSchema('CarrierMappingList', CarrierMappingSchema) } } },
    401: unauthorizedResponse,
    422: problemResponseSpec('Invalid query'),
  },
});

export const putCarrierMappingRoute = createRoute({
  method: 'put',
  path: '/v1/carrier-mappings/{fmsCarrierKey}',
  tags,
  summary: 'Map an FMS carrier to a Cafe24 shipping company code (admin; create or replace)',
  description: `${mappingEffect} ${keyDescription}`,
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: { params: CarrierKeyParamsSchema, body: { required: true, content: { 'application/json': { schema: CarrierMappingInputSchema } } } },
  responses: {
    200: { description: 'The mapping was replaced', content: { 'application/json': { schema: CarrierMappingSchema } }, links: { DeleteCarrierMapping: linkTo('delete', '/v1/carrier-mappings/{fmsCarrierKey}', { fmsCarrierKey: '$response.body#/fmsCarrierKey' }, 'Remove the mapping') } },
    201: { description: 'The mapping was created', content: { 'application/json': { schema: CarrierMappingSchema } }, links: { DeleteCarrierMapping: linkTo('delete', '/v1/carrier-mappings/{fmsCarrierKey}', { fmsCarrierKey: '$response.body#/fmsCarrierKey' }, 'Remove the mapping') } },
    401: unauthorizedResponse,
    403: adminOnlyResponse,
    422: problemResponseSpec('Invalid key or body (e.g. a shipping company code that is not four digits); `errors` names each field'),
  },
});

export const deleteCarrierMappingRoute = createRoute({
  method: 'delete',
  path: '/v1/carrier-mappings/{fmsCarrierKey}',
  tags,
  summary: 'Remove the mapping of an FMS carrier (admin)',
  description: 'Parcels of this carrier are held as `unknown_carrier` from the next invoice run until it is mapped again; registrations already on Cafe24 stay.',
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: { params: CarrierKeyParamsSchema },
  responses: {
    204: { description: 'Removed' },
    401: unauthorizedResponse,
    403: adminOnlyResponse,
    404: problemResponseSpec('No mapping for this carrier key'),
    422: problemResponseSpec('Invalid carrier key'),
  },
});
