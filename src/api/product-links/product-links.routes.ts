import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../lib/auth.js';
import { problemResponseSpec } from '../lib/problem.js';
import { MallLinkParamsSchema, mallLinkNotFoundResponse, unauthorizedResponse } from '../lib/route-specs.js';
import { storableText } from '../lib/text.js';

export const ProductLinkParamsSchema = MallLinkParamsSchema.extend({
  variantCode: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'a Cafe24 variant code (품목코드): letters, digits, _ or -, at most 40')
    .openapi({ param: { name: 'variantCode', in: 'path' }, example: 'P000000R000C' }),
});

const cstGodCd = storableText(50).openapi({ example: 'GOD0001' });
const ComponentSchema = z.object({ cstGodCd, quantity: z.number().int().min(1).max(9999).openapi({ example: 1 }) }).strict();

type Component = z.output<typeof ComponentSchema>;
/** One component per goods code: a code listed again adds its quantity (a rule a JSON schema cannot state as a refusal). */
function mergeRepeatedGoods(components: Component[]): Component[] {
  const quantities = new Map<string, number>();
  for (const { cstGodCd: code, quantity } of components) quantities.set(code, (quantities.get(code) ?? 0) + quantity);
  return [...quantities].map(([code, quantity]) => ({ cstGodCd: code, quantity }));
}

export const ProductLinkBodySchema = z
  .object({
    components: z
      .array(ComponentSchema)
      .min(1)
      .max(20)
      .transform(mergeRepeatedGoods)
      .openapi({
        description: 'FMS goods one unit of this variant ships as (a set product: several). A cstGodCd listed twice is one component with the quantities added up.',
        example: [{ cstGodCd: 'GOD0001', quantity: 1 }],
      }),
  })
  .strict()
  .openapi('ProductLinkInput');

export const ProductLinkSchema = z
  .object({
    mallLinkId: z.string(),
    variantCode: z.string().openapi({ example: 'P000000R000C' }),
    components: z.array(z.object({ cstGodCd, quantity: z.number().int().min(1).openapi({ example: 1 }) })),
  })
  .openapi('ProductLink');

const tags = ['Product links (상품연결)'];

export const putProductLink = createRoute({
  method: 'put',
  path: '/v1/mall-links/{id}/product-links/{variantCode}',
  tags,
  summary: 'Link a Cafe24 variant to FMS goods (create or replace)',
  description: 'Orders whose items are all linked can be requested in FMS; 상품 연동형 (option type E) items stay unlinked whatever is stored here.',
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: { params: ProductLinkParamsSchema, body: { required: true, content: { 'application/json': { schema: ProductLinkBodySchema } } } },
  responses: {
    200: { description: 'The stored link', content: { 'application/json': { schema: ProductLinkSchema } } },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    422: problemResponseSpec('Invalid variant code or body; `errors` names each field'),
  },
});

export const deleteProductLink = createRoute({
  method: 'delete',
  path: '/v1/mall-links/{id}/product-links/{variantCode}',
  tags,
  summary: 'Remove the link of a Cafe24 variant',
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: { params: ProductLinkParamsSchema },
  responses: {
    204: { description: 'Removed' },
    401: unauthorizedResponse,
    404: problemResponseSpec('No such mall link, or the variant is not linked'),
    422: problemResponseSpec('Invalid variant code'),
  },
});
