import type { MallLinkRow, MallLinkShopRow } from '../../../db/schema.js';
import { settingsOf } from '../../db/repositories/mall-links.js';
import { defaultShopNo, type MallLinkSettings } from '../../domain/mall-links.js';
import { cafe24InstallUrl } from '../cafe24/install-url.js';

/** The settings that differ, as `{ before, after }` holding only those keys. */
export function settingsDiff(before: MallLinkSettings, after: MallLinkSettings): { before: Partial<MallLinkSettings>; after: Partial<MallLinkSettings> } | null {
  const keys = (Object.keys(after) as (keyof MallLinkSettings)[]).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
  if (keys.length === 0) return null;
  return { before: Object.fromEntries(keys.map((k) => [k, before[k]])), after: Object.fromEntries(keys.map((k) => [k, after[k]])) };
}

export function shopJson(shop: MallLinkShopRow) {
  return { shopNo: shop.shop_no, status: shop.status, requestedAt: shop.requested_at.toISOString(), decidedAt: shop.decided_at?.toISOString() ?? null };
}

const implicitDefaultShop = { shopNo: defaultShopNo, status: 'active' as const, requestedAt: null, decidedAt: null };

export function shopsJson(shops: readonly MallLinkShopRow[]) {
  return [implicitDefaultShop, ...shops.map(shopJson)];
}

/** The link without what is derived per request (install URL, schedule state): also the audit snapshot. */
function mallLinkRecord(row: MallLinkRow, shops: readonly MallLinkShopRow[]) {
  return {
    id: row.id,
    platform: row.platform,
    mallId: row.mall_id,
    cstCd: row.cst_cd,
    ...settingsOf(row),
    shops: shopsJson(shops),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function mallLinkJson(publicBaseUrl: string, row: MallLinkRow, shops: readonly MallLinkShopRow[], scheduleState: MallLinkRow['schedule_state']) {
  return { ...mallLinkRecord(row, shops), installUrl: cafe24InstallUrl(publicBaseUrl, row.id), schedule: { state: scheduleState } };
}

/** What the audit trail keeps of a whole link. */
export const auditSnapshot = mallLinkRecord;
