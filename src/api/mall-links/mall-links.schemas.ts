import { z } from '@hono/zod-openapi';
import { kstTimeZone } from '../../domain/kst.js';
import { collectionRangeDaysBounds, extraShopNoBounds, maxExtraShops, mallLinkDefaults } from '../../domain/mall-links.js';
import { CollectionRunSchema } from '../collections/collections.routes.js';
import { InvoiceSyncRunSchema } from '../invoice-syncs/invoice-syncs.routes.js';
import { listPaging, listSchema } from '../lib/list.js';
import { MallLinkParamsSchema, orNull } from '../lib/route-specs.js';
import { nonBlankText, withoutNul } from '../lib/text.js';

/** Request and response schemas of the mall-link routes (mall-links.routes.ts), as the OpenAPI document names them. */

const exampleId = '0b6c1a2e-4f3d-4c8e-9a57-2f1e8d3c4b5a';

// ---- field schemas -------------------------------------------------------------------------

const mallId = z
  .string()
  .regex(/^[a-z0-9]{4,16}$/, 'must be 4–16 lowercase letters or digits (카페24 대표 운영자 아이디)')
  .openapi({ description: 'Cafe24 mall id (대표 운영자 아이디); unique per platform', example: 'fasstoshop' });
const cstCd = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1–32 letters, digits, _ or -')
  .openapi({ description: 'FMS customer code (고객사 코드)', example: 'CST0001' });
const enabled = z.boolean().openapi({ description: '연동서비스 이용여부', example: true });
const linkStartDate = z.iso
  .date({ error: 'must be a calendar date YYYY-MM-DD' })
  .openapi({ description: '연동시작일 (KST); orders paid before it are never collected', example: '2026-12-01' });
const collectionMethod = z.enum(['auto', 'manual']).openapi({ description: '주문수집방법: auto 자동수집 (timetable slots) / manual 수동수집', example: 'auto' });
const collectOrderStatus = z.enum(['N10', 'N20']).openapi({ description: '수집할 주문 상태값: N10 상품준비중 / N20 배송준비중', example: 'N10' });
const minutesAfterPayment = z
  .number()
  .int()
  .min(0)
  .max(10_080)
  .openapi({ description: '결제 후 경과시간 (minutes); an order is collected only this long after payment (at most a week)', example: 10 });
const collectionRangeDays = z
  .number()
  .int()
  .min(collectionRangeDaysBounds.min)
  .max(collectionRangeDaysBounds.max)
  .openapi({ description: '일일수집범위: days to look back', example: 3 });
const invoiceSyncEnabled = z.boolean().openapi({ description: '송장등록여부: register FMS tracking numbers on Cafe24', example: true });
const invoiceDisplay = z
  .enum(['company', 'orderer'])
  .openapi({ description: '송장표시정보: company 판매자 정보 (needs `sender`) / orderer 주문자 정보', example: 'company' });
export const SenderSchema = z
  .object({
    name: nonBlankText(50).openapi({ example: '패스토샵' }),
    phone: z
      .string()
      .regex(/^(0\d{1,2}-?\d{3,4}-?\d{4}|1\d{3}-?\d{4})$/, 'must be a Korean phone number, e.g. 02-1234-5678 or 1588-1234')
      .openapi({ example: '02-1234-5678' }),
  })
  .strict()
  .openapi('Sender', { description: 'Sender printed on the invoice (보내는 분) when invoiceDisplay is company' });
const extraShopNoOf = <T extends z.ZodNumber | z.ZodCoercedNumber>(base: T) =>
  base
    .int()
    .min(extraShopNoBounds.min, `extra shops are numbered from ${extraShopNoBounds.min}; shop 1 is always linked`)
    .max(extraShopNoBounds.max)
    .openapi({ description: '멀티쇼핑몰 번호 (shop_no), read from the shop URL, e.g. `/shop2`', example: 2 });
const extraShopNo = extraShopNoOf(z.number());

// ---- bodies ----------------------------------------------------------------------------------

export const CreateMallLinkSchema = z
  .object({
    platform: z.literal('cafe24').optional().openapi({ description: 'Only `cafe24` (the default)', example: 'cafe24' }),
    mallId,
    cstCd,
    enabled: enabled.optional().openapi({ default: mallLinkDefaults.enabled }),
    linkStartDate: linkStartDate.optional().openapi({ description: `연동시작일; default: tomorrow in ${kstTimeZone}` }),
    collectionMethod: collectionMethod.optional().openapi({ default: mallLinkDefaults.collectionMethod }),
    collectOrderStatus: collectOrderStatus.optional().openapi({ default: mallLinkDefaults.collectOrderStatus }),
    minutesAfterPayment: minutesAfterPayment.optional().openapi({ default: mallLinkDefaults.minutesAfterPayment }),
    collectionRangeDays: collectionRangeDays.optional().openapi({ default: mallLinkDefaults.collectionRangeDays }),
    invoiceSyncEnabled: invoiceSyncEnabled.optional().openapi({ default: mallLinkDefaults.invoiceSyncEnabled }),
    invoiceDisplay: invoiceDisplay.optional().openapi({ default: mallLinkDefaults.invoiceDisplay }),
    sender: orNull(SenderSchema).optional(),
    shops: z
      .array(z.object({ shopNo: extraShopNo }).strict())
      .max(maxExtraShops)
      .refine((shops) => new Set(shops.map((s) => s.shopNo)).size === shops.length, 'shop numbers must be distinct')
      .optional()
      // Each item is exactly `{ shopNo }`, so unique items are distinct shop numbers.
      .openapi({ description: `Extra shops to request (status requested, an admin approves); at most ${maxExtraShops}`, uniqueItems: true }),
  })
  .strict()
  .openapi('CreateMallLink', {
    description: 'The default `invoiceDisplay` (company) prints the seller on the invoice, so it needs `sender`; with `invoiceDisplay: orderer` it may be left out.',
    // The same rule, for clients and fuzzers that read the document: orderer, or a sender.
    anyOf: [
      { properties: { invoiceDisplay: { const: 'orderer' } }, required: ['invoiceDisplay'] },
      { properties: { sender: { type: 'object' } }, required: ['sender'] },
    ],
    example: { mallId: 'fasstoshop', cstCd: 'CST0001', invoiceDisplay: 'company', sender: { name: '패스토샵', phone: '02-1234-5678' } },
  });

export const UpdateMallLinkSchema = z
  .object({
    enabled: enabled.optional(),
    linkStartDate: linkStartDate.optional(),
    collectionMethod: collectionMethod.optional(),
    collectOrderStatus: collectOrderStatus.optional(),
    minutesAfterPayment: minutesAfterPayment.optional(),
    collectionRangeDays: collectionRangeDays.optional(),
    invoiceSyncEnabled: invoiceSyncEnabled.optional(),
    invoiceDisplay: invoiceDisplay.optional(),
    sender: orNull(SenderSchema).optional(),
  })
  .strict()
  .refine((changes) => changes.sender !== null || changes.invoiceDisplay === 'orderer', {
    path: ['sender'],
    message: 'clearing sender needs invoiceDisplay: orderer in the same request (송장표시정보: 주문자 정보)',
  })
  .openapi('UpdateMallLink', {
    description:
      'Partial update; absent fields keep their value. `platform`, `mallId` and `cstCd` are fixed at creation (delete and re-create to change them). Extra shops are managed under `/shops`. ' +
      '`sender: null` needs `invoiceDisplay: orderer` in the same body; `invoiceDisplay: company` on a link without a sender needs `sender` (else 409).',
    anyOf: [{ properties: { invoiceDisplay: { const: 'orderer' } }, required: ['invoiceDisplay'] }, { not: { properties: { sender: { type: 'null' } }, required: ['sender'] } }],
    example: { collectionMethod: 'manual', minutesAfterPayment: 30 },
  });

export const RequestShopSchema = z.object({ shopNo: extraShopNo }).strict().openapi('RequestShop', { example: { shopNo: 2 } });

// ---- responses -------------------------------------------------------------------------------

const ScheduleStateSchema = z
  .object({
    state: z.enum(['synced', 'pending']).openapi({
      description: 'synced: the Temporal schedules match this configuration; pending: Temporal was not reachable, a later reconcile repairs it',
      example: 'synced',
    }),
  })
  .openapi('ScheduleState');

export const ShopSchema = z
  .object({
    shopNo: z.number().int().openapi({ example: 2 }),
    status: z.enum(['requested', 'active', 'rejected']).openapi({ description: 'requested 신청 → active 사용 (or rejected 반려)', example: 'requested' }),
    requestedAt: z.string().nullable().openapi({ description: 'null for shop 1, which is implicit', example: '2026-11-30T04:30:00.000Z' }),
    decidedAt: z.string().nullable().openapi({ example: null }),
  })
  .openapi('Shop');

export const MallLinkSchema = z
  .object({
    id: z.uuid().openapi({ example: exampleId }),
    platform: z.literal('cafe24'),
    mallId,
    cstCd,
    enabled,
    linkStartDate,
    collectionMethod,
    collectOrderStatus,
    minutesAfterPayment,
    collectionRangeDays,
    invoiceSyncEnabled,
    invoiceDisplay,
    sender: orNull(SenderSchema),
    shops: z.array(ShopSchema).openapi({ description: 'Shop 1 (always active) and the extra shops' }),
    installUrl: z.string().openapi({
      description: 'Cafe24 app-install link for the seller (카페24 앱 설치): opens Cafe24 consent for this mall; again after `reauth_required`',
      example: `https://link.example.com/cafe24/install?mallLinkId=${exampleId}`,
    }),
    schedule: ScheduleStateSchema,
    createdAt: z.string().openapi({ example: '2026-11-30T04:30:00.000Z' }),
    updatedAt: z.string().openapi({ example: '2026-11-30T04:30:00.000Z' }),
  })
  .openapi('MallLink');

export const MallLinkListSchema = listSchema('MallLinkList', MallLinkSchema);

export const ShopChangeSchema = ShopSchema.extend({ schedule: ScheduleStateSchema }).openapi('ShopChange');

const AuditEntrySchema = z
  .object({
    id: z.number().int().openapi({ example: 17 }),
    action: z.string().openapi({ description: 'mall_link.created | mall_link.updated | mall_link.deleted | shop.requested | shop.approved | shop.rejected', example: 'mall_link.updated' }),
    actorKeyId: z.string().nullable().openapi({ description: 'The API key that made the change', example: '5f0e3c1a-8a3b-4a49-9d0e-1f2a3b4c5d6e' }),
    before: z.unknown().openapi({ example: { minutesAfterPayment: 10 } }),
    after: z.unknown().openapi({ example: { minutesAfterPayment: 30 } }),
    at: z.string().openapi({ example: '2026-11-30T04:31:00.000Z' }),
  })
  .openapi('AuditEntry');

export const LinkStatusSchema = z
  .object({
    mallLinkId: z.uuid().openapi({ example: exampleId }),
    cafe24Auth: z.object({
      status: z.enum(['not_installed', 'authorized', 'reauth_required']).openapi({ description: '카페24 계정 인증: not_installed 앱 미설치 / authorized 인증 완료 / reauth_required 재인증 필요', example: 'authorized' }),
      accessTokenExpiresAt: z.string().nullable().openapi({ description: 'When the stored access token expires (refreshed automatically); null before the app is installed', example: '2026-12-01T06:30:00.000Z' }),
      refreshTokenExpiresAt: z.string().nullable().openapi({ description: 'When the stored refresh token expires (renewed daily within 7 days of it); null before the app is installed', example: '2026-12-14T04:30:00.000Z' }),
      sellerAction: z.string().nullable().openapi({ description: 'What the seller must do (install, or install again after Cafe24 rejected the authorization — the schedules are paused until then); null when authorized', example: null }),
      installUrl: z.string().openapi({ description: 'Where the seller installs the Cafe24 app', example: 'https://link.example.com/cafe24/install?mallLinkId=3f2b0c1e-0000-4000-8000-000000000001' }),
    }),
    fmsLink: z.object({
      complete: z.boolean().openapi({ description: 'FMS 연동 설정 완료: enabled, and a sender when invoiceDisplay is company', example: true }),
      gaps: z.array(z.object({ path: z.string(), message: z.string() })).openapi({ example: [] }),
      sellerChecklist: z.array(z.string()).openapi({ description: 'What the seller must set up in Cafe24 for the chosen status', example: ['카페24 관리자에서 "상품준비중 주문상태 사용"을 설정해야 N10(상품준비중) 주문이 수집됩니다.'] }),
    }),
    schedule: z.object({
      state: z.enum(['synced', 'pending']),
      paused: z.boolean().nullable().openapi({ description: 'Whether the collection schedule is paused (as the last sync applied it, else as Temporal reports it); null when Temporal does not answer or the schedule does not exist yet', example: false }),
      note: z.string().nullable().openapi({ description: 'Why it is paused (e.g. 수동수집 manual mode)', example: null }),
      nextRunTimes: z.array(z.string()).nullable().openapi({ description: 'Next 5 run times in KST: of the schedule the last sync applied (recorded in PostgreSQL, computed from the calendar as Temporal runs it), else as Temporal reports them; null when the link is not in sync and Temporal does not answer', example: ['2026-12-01T08:10:00+09:00'] }),
    }),
    lastCollection: orNull(CollectionRunSchema).openapi({ description: 'The latest collection run (as in `GET /v1/mall-links/{id}/collections`); null before the first run' }),
    lastInvoiceSync: orNull(InvoiceSyncRunSchema).openapi({ description: 'The latest invoice sync run (as in `GET /v1/mall-links/{id}/invoice-syncs`); null before the first run' }),
    unlinkedOrderCount: z.number().int().openapi({ description: '미연동 주문: open held orders (`GET /v1/mall-links/{id}/unlinked-orders?status=open`)', example: 2 }),
  })
  .openapi('MallLinkStatus');

// ---- parameters ------------------------------------------------------------------------------

// Shop 1 is a shop too (the list shows it), so it is a valid path value; it is never a request to decide (404).
export const ShopParams = MallLinkParamsSchema.extend({
  shopNo: z.coerce
    .number()
    .int()
    .min(1)
    .max(extraShopNoBounds.max)
    .openapi({ param: { name: 'shopNo', in: 'path' }, description: '멀티쇼핑몰 번호 (shop_no), as `GET …/shops` lists it', example: 2 }),
});
export const IfMatchHeaders = z.object({
  'if-match': z.string().optional().openapi({ param: { name: 'if-match', in: 'header' }, description: 'The ETag last read; 412 when the link changed since', example: '"3"' }),
});
/** Links in creation order: creation time in whole microseconds, then id. */
export const mallLinkPaging = listPaging(
  z.strictObject({ createdAtMicros: z.string().regex(/^\d{1,17}$/), id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/) }),
);
/** Shops by shop number. */
export const shopPaging = listPaging(z.number().int().min(1).max(extraShopNoBounds.max));
/** Audit entries oldest first, by id. */
export const auditPaging = listPaging(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER));

export const ListQuery = z.object({
  cstCd: z.string().regex(withoutNul).optional().openapi({ example: 'CST0001' }),
  mallId: z.string().regex(withoutNul).optional().openapi({ example: 'fasstoshop' }),
  enabled: z.enum(['true', 'false']).optional().openapi({ example: 'true' }),
  collectionMethod: collectionMethod.optional(),
  ...mallLinkPaging.query,
});

export const ShopQuery = z.object(shopPaging.query);
export const AuditQuery = z.object(auditPaging.query);

export const ShopListSchema = listSchema('ShopList', ShopSchema);

export const AuditListSchema = listSchema('AuditList', AuditEntrySchema);
