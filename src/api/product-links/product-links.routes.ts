import { createRoute, z } from '@hono/zod-openapi';
import { linkLimits, variantCodePattern } from '../../domain/product-linking.js';
import { xlsxContentType } from '../../services/link-sheet-file.js';
import { requireApiKey } from '../lib/auth.js';
import { listPaging, listSchema } from '../lib/list.js';
import { linkTo } from '../lib/links.js';
import { problemResponseSpec } from '../lib/problem.js';
import { MallLinkParamsSchema, mallLinkNotFoundResponse, orNull, unauthorizedResponse } from '../lib/route-specs.js';
import { linkSheetUploadLimit } from './upload-limit.js';
import { searchText, storableText } from '../lib/text.js';

export const ProductLinkParamsSchema = MallLinkParamsSchema.extend({
  variantCode: z
    .string()
    .regex(variantCodePattern, 'a Cafe24 variant code (품목코드): letters, digits, _ or -, at most 40')
    .openapi({ param: { name: 'variantCode', in: 'path' }, example: 'P000000R000C' }),
});

const cstGodCd = storableText(linkLimits.maxGoodsCodeLength).openapi({ example: 'GOD0001' });
const ComponentSchema = z.object({ cstGodCd, quantity: z.number().int().min(1).max(linkLimits.maxQuantity).openapi({ example: 1 }) }).strict();

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
      .max(linkLimits.maxComponents)
      .transform(mergeRepeatedGoods)
      .openapi({
        description: 'FMS goods one unit of this variant ships as (a set product: several). A cstGodCd listed twice is one component with the quantities added up.',
        example: [{ cstGodCd: 'GOD0001', quantity: 1 }],
      }),
  })
  .strict()
  .openapi('ProductLinkInput');

const ReadyOrderSchema = z
  .object({
    orderId: z.string().openapi({ example: '20261201-0000012' }),
    shopNo: z.number().int(),
    paidAt: z.string().nullable(),
  })
  .openapi('ReadyOrder', { description: 'A held unlinked order this change made ready: the next collection run (its slot, or a manual POST …/collections) requests it' });

const readyOrdersField = z.array(ReadyOrderSchema).openapi({ description: 'Held unlinked orders whose every item is linked now (they were not before)' });

export const ProductLinkSchema = z
  .object({
    mallLinkId: z.string(),
    variantCode: z.string().openapi({ example: 'P000000R000C' }),
    components: z.array(z.object({ cstGodCd, quantity: z.number().int().min(1).openapi({ example: 1 }) })),
    readyOrders: readyOrdersField,
  })
  .openapi('ProductLink');

const CatalogueFactsSchema = z
  .object({
    productName: z.string(),
    optionText: z.string().nullable(),
    linkable: z.boolean(),
    unlinkableReason: z.string().nullable(),
    goneAt: z.string().nullable().openapi({ description: 'Set when the last import no longer found the variant on Cafe24' }),
  })
  .openapi('ProductLinkCatalogueFacts');

export const ListedProductLinkSchema = z
  .object({
    variantCode: z.string().openapi({ example: 'P000000R000C' }),
    components: z.array(ComponentSchema),
    updatedAt: z.string(),
    catalogue: orNull(CatalogueFactsSchema).openapi({ description: 'The imported catalogue’s variant; null when it is not imported (or no import ran)' }),
  })
  .openapi('ListedProductLink');

/** Links by variant code. */
export const productLinkPaging = listPaging(z.strictObject({ variantCode: z.string().regex(variantCodePattern) }));

const booleanQuery = z.enum(['true', 'false']).optional();

export const ProductLinkQuerySchema = z.object({
  q: searchText(100).optional().openapi({ description: 'Case-insensitive text in the variant code, a goods code or the product name', example: 'SHIRT' }),
  cstGodCd: storableText(linkLimits.maxGoodsCodeLength).optional().openapi({ description: 'Only links that ship this FMS goods', example: 'GOD0001' }),
  inCatalogue: booleanQuery.openapi({ description: 'true: the variant is in the imported catalogue; false: it is not', example: 'true' }),
  ...productLinkPaging.query,
});

const AutoMatchBodySchema = z
  .object({ dryRun: z.boolean().default(true).openapi({ description: 'true (default): answer the plan and write nothing' }) })
  .strict()
  .openapi('AutoMatchInput');

const AutoMatchSchema = z
  .object({
    dryRun: z.boolean(),
    link: z
      .array(z.object({ variantCode: z.string(), cstGodCd: z.string(), matchedOn: z.enum(['custom_variant_code', 'custom_product_code']) }))
      .openapi({ description: 'Variants linked (or, in a dry run, to link) to one goods, quantity 1' }),
    ambiguous: z
      .array(
        z.object({
          variantCode: z.string(),
          reason: z.enum(['several_goods_match', 'linked_to_other', 'unlinkable', 'goods_not_in_use']),
          candidates: z.array(z.string()),
          currentLink: z.array(ComponentSchema).nullable(),
          detail: z.string(),
        }),
      )
      .openapi({ description: 'Variants whose code matches goods but that are left alone, with why' }),
    alreadyLinked: z.number().int().openapi({ description: 'Variants linked already to exactly the goods their code names' }),
    unmatched: z.number().int().openapi({ description: 'Variants without an own code, or whose code names no FMS goods' }),
    linked: z.number().int().openapi({ description: 'Links written (0 in a dry run)' }),
    readyOrders: readyOrdersField,
  })
  .openapi('AutoMatchResult');

const RowReportSchema = z
  .object({
    row: z.number().int().openapi({ description: 'Row number in the file (the header is row 1)', example: 2 }),
    variantCode: z.string(),
    cstGodCd: z.string().nullable(),
    quantity: z.number().int().nullable(),
    result: z.enum(['linked', 'unchanged', 'skipped', 'refused']),
    reason: z.string().optional().openapi({ description: 'Why refused: invalid_variant_code, unknown_variant, unlinkable_variant, missing_goods, unknown_goods, invalid_quantity, too_many_components, other_row_of_variant_refused' }),
    message: z.string().optional(),
  })
  .openapi('LinkSheetRowReport');

const RowCountsSchema = z.object({ linked: z.number().int(), unchanged: z.number().int(), skipped: z.number().int(), refused: z.number().int() });

const UploadResultSchema = z
  .object({
    applied: z.literal(true),
    partial: z.boolean(),
    counts: RowCountsSchema,
    rows: z.array(RowReportSchema),
    readyOrders: readyOrdersField,
  })
  .openapi('LinkSheetUploadResult');

const UploadQuerySchema = z.object({
  partial: booleanQuery.openapi({ description: 'true: link the valid variants and report the refused rows; default false: any refused row refuses the whole file', example: 'false' }),
});

const binary = { type: 'string', format: 'binary' } as const;

const UploadBodySchema = z
  .object({
    file: z
      .custom<File>((value) => value instanceof File, 'a file (multipart field "file")')
      .openapi({ ...binary, description: 'The link sheet as .xlsx or .csv (UTF-8, with or without BOM)' }),
  })
  .openapi('LinkSheetUpload');

const tags = ['Product links (상품연결)'];
const security = [{ apiKey: [] }];
const refusedLinkResponse = problemResponseSpec(
  'Invalid input (`/problems/validation-error`, naming each field) or a refused link (`/problems/product-link-refused`, `errors[].reason`: unknown_variant, unlinkable_variant, unknown_goods, invalid_quantity, …)',
);
const fmsUnavailableResponse = problemResponseSpec('FMS could not be asked about goods codes the cache does not know (`/problems/fms-unavailable`); retry');

export const putProductLink = createRoute({
  method: 'put',
  path: '/v1/mall-links/{id}/product-links/{variantCode}',
  tags,
  summary: 'Link a Cafe24 variant to FMS goods (create or replace)',
  description:
    'Checked before it is stored: the goods must be in FMS (the cached goods master, read again from FMS when a code is missing), and once the catalogue is imported the variant must be in it (or on a held order) and linkable (not 상품 연동형). The answer lists the held unlinked orders the link makes ready.',
  security,
  middleware: [requireApiKey] as const,
  request: { params: ProductLinkParamsSchema, body: { required: true, content: { 'application/json': { schema: ProductLinkBodySchema } } } },
  responses: {
    200: {
      description: 'The stored link and the orders it made ready',
      content: { 'application/json': { schema: ProductLinkSchema } },
      links: {
        DeleteProductLink: linkTo('delete', '/v1/mall-links/{id}/product-links/{variantCode}', { id: '$request.path.id', variantCode: '$response.body#/variantCode' }, 'Remove the link just stored'),
        ListProductLinks: linkTo('get', '/v1/mall-links/{id}/product-links', { id: '$request.path.id' }, 'The mall’s product links'),
      },
    },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    422: refusedLinkResponse,
    502: fmsUnavailableResponse,
  },
});

export const deleteProductLink = createRoute({
  method: 'delete',
  path: '/v1/mall-links/{id}/product-links/{variantCode}',
  tags,
  summary: 'Remove the link of a Cafe24 variant',
  security,
  middleware: [requireApiKey] as const,
  request: { params: ProductLinkParamsSchema },
  responses: {
    204: { description: 'Removed' },
    401: unauthorizedResponse,
    404: problemResponseSpec('No such mall link, or the variant is not linked'),
    422: problemResponseSpec('Invalid variant code'),
  },
});

export const listProductLinks = createRoute({
  method: 'get',
  path: '/v1/mall-links/{id}/product-links',
  tags,
  summary: 'The mall’s product links, by variant code',
  security,
  middleware: [requireApiKey] as const,
  request: { params: MallLinkParamsSchema, query: ProductLinkQuerySchema },
  responses: {
    200: {
      description: 'One page of links',
      content: { 'application/json': { schema: listSchema('ProductLinkList', ListedProductLinkSchema) } },
      links: {
        PutProductLink: linkTo('put', '/v1/mall-links/{id}/product-links/{variantCode}', { id: '$request.path.id', variantCode: '$response.body#/items/0/variantCode' }, 'Replace the first link'),
        DeleteProductLink: linkTo('delete', '/v1/mall-links/{id}/product-links/{variantCode}', { id: '$request.path.id', variantCode: '$response.body#/items/0/variantCode' }, 'Remove the first link'),
      },
    },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    422: problemResponseSpec('Invalid filter or cursor'),
  },
});

export const autoMatchProductLinks = createRoute({
  method: 'post',
  path: '/v1/mall-links/{id}/product-links/auto-match',
  tags,
  summary: 'Link variants whose own code (자체품목코드 / 자체상품코드) is an FMS goods code',
  description:
    'Compares the imported catalogue with the FMS goods master. A dry run (the default) answers what would be linked and what is ambiguous, and writes nothing; `dryRun: false` writes the links in one transaction (audited) and lists the held orders they make ready. Existing links are never replaced.',
  security,
  middleware: [requireApiKey] as const,
  request: { params: MallLinkParamsSchema, body: { required: false, content: { 'application/json': { schema: AutoMatchBodySchema } } } },
  responses: {
    200: { description: 'The plan (dry run) or what was linked', content: { 'application/json': { schema: AutoMatchSchema } } },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    409: problemResponseSpec('No catalogue imported yet (`/problems/catalogue-not-imported`)'),
    415: problemResponseSpec('A body that is not JSON'),
    422: problemResponseSpec('Invalid body'),
    502: problemResponseSpec('FMS goods were never read and FMS cannot be reached (`/problems/fms-unavailable`)'),
  },
});

export const downloadLinkSheet = createRoute({
  method: 'get',
  path: '/v1/mall-links/{id}/product-links.xlsx',
  tags,
  summary: 'Download the link sheet (상품연결 엑셀)',
  description:
    'One row per imported variant still on Cafe24 (before any import: per linked variant), current links filled in; a set product has one row per goods with the same 품목코드. Columns: 품목코드, 상품명, 옵션, 자체상품코드, 자체품목코드, 연결가능, FMS상품코드, 수량 — an upload reads 품목코드, FMS상품코드 and 수량.',
  security,
  middleware: [requireApiKey] as const,
  request: { params: MallLinkParamsSchema },
  responses: {
    200: { description: 'The workbook', content: { [xlsxContentType]: { schema: z.string().openapi(binary) } } },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
  },
});

export const uploadLinkSheet = createRoute({
  method: 'post',
  path: '/v1/mall-links/{id}/product-links/uploads',
  tags,
  summary: 'Upload the edited link sheet (.xlsx or .csv) to link in bulk',
  description:
    'Every row is checked like a single link. A variant’s rows with goods become its link (several rows: a set); rows without goods leave their variant as it is. All or nothing by default; `?partial=true` links the valid variants. Limits: PRODUCT_LINK_UPLOAD_MAX_BYTES (default 5 MiB) and PRODUCT_LINK_UPLOAD_MAX_ROWS (default 10,000).',
  security,
  middleware: [requireApiKey, linkSheetUploadLimit] as const,
  request: { params: MallLinkParamsSchema, query: UploadQuerySchema, body: { required: true, content: { 'multipart/form-data': { schema: UploadBodySchema } } } },
  responses: {
    200: { description: 'Applied: the row-by-row report and the orders made ready', content: { 'application/json': { schema: UploadResultSchema } } },
    401: unauthorizedResponse,
    404: mallLinkNotFoundResponse,
    413: problemResponseSpec('File over the size limit (`/problems/upload-too-large`) or over the row limit (`/problems/upload-too-many-rows`); nothing written'),
    415: problemResponseSpec('Not multipart, or a file that is not .xlsx/.csv (`/problems/upload-file-type`); nothing written'),
    422: problemResponseSpec(
      'Refused, nothing written: `/problems/upload-missing-headers` (`missing`), `/problems/upload-formula-cells` (`cells`), `/problems/upload-encoding` (not UTF-8), `/problems/upload-unreadable`, `/problems/upload-conflicting-rows` (`conflicts`), `/problems/upload-rows-refused` (`counts`, `rows`: the row-by-row report), or `/problems/validation-error` (no file)',
    ),
    502: fmsUnavailableResponse,
  },
});
