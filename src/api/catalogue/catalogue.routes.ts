import { createRoute, z } from '@hono/zod-openapi';
import { productStatusFilters } from '../../domain/catalogue.js';
import { requireApiKey } from '../lib/auth.js';
import { listPaging, listSchema } from '../lib/list.js';
import { linkTo } from '../lib/links.js';
import { problemResponseSpec } from '../lib/problem.js';
import { MallLinkParamsSchema, mallLinkNotFoundResponse, unauthorizedResponse } from '../lib/route-specs.js';
import { searchText } from '../lib/text.js';

const flag = (description: string) => z.enum(['true', 'false']).optional().openapi({ description });

export const CatalogueImportSchema = z
  .object({
    importId: z.string().openapi({ example: '5c0f3a2e-1b4d-4e8f-9a7b-2c3d4e5f6a7b' }),
    mallLinkId: z.string(),
    statuses: z.array(z.enum(productStatusFilters)).openapi({ description: 'The product statuses imported; empty: every product', example: ['selling'] }),
    status: z.enum(['running', 'completed', 'failed']),
    pages: z.number().int().openapi({ description: 'Cafe24 pages (≤100 products each) read so far' }),
    productsSeen: z.number().int(),
    variantsSeen: z.number().int(),
    variantsNew: z.number().int().openapi({ description: 'Variants this import added to the catalogue' }),
    variantsGone: z.number().int().openapi({ description: 'Variants this import marked gone (set when it completes)' }),
    nextSinceProductNo: z.number().int().nullable().openapi({ description: 'The paging checkpoint: the next page starts after this product_no; null once every page is in' }),
    error: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    workflowId: z.string().nullable(),
    runId: z.string().nullable(),
    temporalUiUrl: z.string().nullable(),
  })
  .openapi('CatalogueImport', { description: '카페24 상품 가져오기: one import of the Cafe24 catalogue and its progress' });

export const StartCatalogueImportSchema = z
  .strictObject({
    statuses: z
      .array(z.enum(productStatusFilters))
      .max(productStatusFilters.length)
      .refine((statuses) => new Set(statuses).size === statuses.length, 'each status at most once')
      .default(['selling'])
      .openapi({
        uniqueItems: true,
        description: 'Import only products in every one of these statuses (selling = 판매함, displayed = 진열함); `[]` imports every product. Default: selling products.',
        example: ['selling'],
      }),
  })
  .openapi('StartCatalogueImport');

const tags = ['Product linking (상품연결)'];

export const startCatalogueImport = createRoute({
  method: 'post',
  path: '/v1/mall-links/{id}/product-imports',
  tags,
  summary: 'Import the Cafe24 catalogue (카페24 상품 가져오기)',
  description:
    "Starts a Temporal workflow that pages the mall's products with their variants from Cafe24 into the catalogue behind `cafe24-items`. A re-import updates items, and marks items gone that an import covering them no longer finds; nothing is duplicated. One import per link at a time.",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: {
    params: MallLinkParamsSchema,
    body: { content: { 'application/json': { schema: StartCatalogueImportSchema } }, required: false },
  },
  responses: {
    202: {
      description: 'The import was started; follow it with GET …/product-imports/{importId}',
      content: { 'application/json': { schema: CatalogueImportSchema } },
      links: {
        GetCatalogueImport: linkTo('get', '/v1/mall-links/{id}/product-imports/{importId}', { id: '$request.path.id', importId: '$response.body#/importId' }, 'The import and its progress'),
      },
    },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    409: problemResponseSpec('An import of this mall is running (`/problems/catalogue-import-running`)'),
    422: problemResponseSpec('Invalid body'),
  },
});

const ImportParamsSchema = MallLinkParamsSchema.extend({
  importId: z.string().openapi({ param: { name: 'importId', in: 'path' }, example: '5c0f3a2e-1b4d-4e8f-9a7b-2c3d4e5f6a7b' }),
});

export const getCatalogueImport = createRoute({
  method: 'get',
  path: '/v1/mall-links/{id}/product-imports/{importId}',
  tags,
  summary: "One catalogue import's progress",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: { params: ImportParamsSchema },
  responses: {
    200: { description: 'The import', content: { 'application/json': { schema: CatalogueImportSchema } } },
    401: unauthorizedResponse,
    404: problemResponseSpec('No such link or import, or the link belongs to another customer (`/problems/not-found`)'),
  },
});

const unlinkableReasons = ['unlinkable_option_type', 'missing_variant_code'] as const;

export const Cafe24ItemSchema = z
  .object({
    productNo: z.number().int(),
    productCode: z.string().openapi({ example: 'P000000R' }),
    productName: z.string().openapi({ example: '베이직 반팔 티셔츠' }),
    customProductCode: z.string().nullable().openapi({ description: '자체 상품코드', example: 'CP-27' }),
    variantCode: z.string().nullable().openapi({ description: '품목코드; null when Cafe24 gave none', example: 'P000000R000C' }),
    customVariantCode: z.string().nullable().openapi({ description: '자체 품목코드', example: 'SKU-27-3' }),
    optionType: z.enum(['T', 'C', 'S', 'F', 'E']).nullable().openapi({ description: 'C 조합 일체선택형, S 조합 분리선택형, F 독립 선택형, E 상품 연동형 (unlinkable); null without options', example: 'C' }),
    optionText: z.string().nullable().openapi({ example: '색상: 블랙 / 사이즈: M' }),
    options: z.array(z.object({ name: z.string(), value: z.string() })),
    setProduct: z.boolean().openapi({ description: '세트상품' }),
    selling: z.boolean(),
    display: z.boolean(),
    linkable: z.boolean(),
    reason: z.enum(unlinkableReasons).nullable().openapi({ description: 'Why the item can never be linked: unlinkable_option_type (상품 연동형) or missing_variant_code; null when linkable', example: null }),
    linked: z.boolean(),
    linkedGoods: z.array(z.object({ cstGodCd: z.string(), quantity: z.number().int() })).openapi({ description: 'The FMS goods the variant ships as (product_links)' }),
    goneAt: z.string().nullable().openapi({ description: 'When an import covering it no longer found it on Cafe24 (deleted, or out of the imported statuses)' }),
    importedAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Cafe24Item', { description: 'One variant (품목) of the imported Cafe24 catalogue' });

/** Catalogue order: product_no, then variant code. */
export const cafe24ItemPaging = listPaging(z.strictObject({ productNo: z.number().int().min(0).max(2_147_483_647), variantCode: z.string().max(100) }));

export const listCafe24Items = createRoute({
  method: 'get',
  path: '/v1/mall-links/{id}/cafe24-items',
  tags,
  summary: 'The imported Cafe24 catalogue, with links and linkability',
  description: 'One item per variant, in product order. Filled by `POST …/product-imports`.',
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: {
    params: MallLinkParamsSchema,
    query: z.object({
      q: searchText(100).optional().openapi({ description: 'Text in the product name, 품목코드 or custom codes (case-insensitive)', example: '티셔츠' }),
      linked: flag('Only items with (true) or without (false) a product link'),
      linkable: flag('Only linkable (true) or unlinkable (false) items'),
      optionType: z.enum(['C', 'S', 'F', 'E', 'none']).optional().openapi({ description: "Only this option type; `none`: products without options" }),
      selling: flag('Only selling (true) or not selling (false) items'),
      display: flag('Only displayed (true) or hidden (false) items'),
      gone: flag('Only items gone from Cafe24 (true) or still there (false); absent: both'),
      ...cafe24ItemPaging.query,
    }),
  },
  responses: {
    200: {
      description: 'Items in product order',
      content: { 'application/json': { schema: listSchema('Cafe24ItemList', Cafe24ItemSchema) } },
      links: {
        PutProductLink: linkTo('put', '/v1/mall-links/{id}/product-links/{variantCode}', { id: '$request.path.id', variantCode: '$response.body#/items/0/variantCode' }, 'Link the first item to FMS goods'),
      },
    },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    422: problemResponseSpec('Invalid query'),
  },
});

export const FmsGoodsSchema = z
  .object({
    cstGodCd: z.string().openapi({ description: '고객사 상품코드: what a product link names', example: 'G-1001' }),
    name: z.string().openapi({ example: '베이직 반팔 티셔츠 블랙 M' }),
    godCd: z.string().nullable(),
    barcode: z.string().nullable(),
    goodsType: z.string().nullable(),
    inUse: z.boolean(),
    refreshedAt: z.string().openapi({ description: 'When the cache was filled from FMS' }),
  })
  .openapi('FmsGoods', { description: "One goods of the customer's FMS goods master (cached)" });

/** Goods code order. */
export const fmsGoodsPaging = listPaging(z.strictObject({ cstGodCd: z.string().min(1).max(100) }));

export const listFmsGoods = createRoute({
  method: 'get',
  path: '/v1/mall-links/{id}/fms-goods',
  tags,
  summary: "The customer's FMS goods (cached)",
  description: "The link's customer's goods master from FMS's goods API, cached: read from FMS on the first request, then only by `POST …/fms-goods/refresh`.",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: {
    params: MallLinkParamsSchema,
    query: z.object({
      q: searchText(100).optional().openapi({ description: 'Text in the goods code, name or barcode (case-insensitive)' }),
      inUse: flag('Only goods in use (true) or not (false)'),
      ...fmsGoodsPaging.query,
    }),
  },
  responses: {
    200: { description: 'Goods in code order', content: { 'application/json': { schema: listSchema('FmsGoodsList', FmsGoodsSchema) } } },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    422: problemResponseSpec('Invalid query'),
    502: problemResponseSpec('The cache was empty and FMS did not answer (`/problems/fms-unavailable`)'),
  },
});

export const FmsGoodsRefreshSchema = z
  .object({
    cstCd: z.string(),
    goodsCount: z.number().int(),
    refreshedAt: z.string(),
  })
  .openapi('FmsGoodsRefresh');

export const refreshFmsGoods = createRoute({
  method: 'post',
  path: '/v1/mall-links/{id}/fms-goods/refresh',
  tags,
  summary: "Re-read the customer's FMS goods into the cache",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey] as const,
  request: { params: MallLinkParamsSchema },
  responses: {
    200: { description: 'The cache now holds what FMS answered', content: { 'application/json': { schema: FmsGoodsRefreshSchema } } },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    502: problemResponseSpec('FMS did not answer or refused (`/problems/fms-unavailable`); the cache is unchanged'),
  },
});
