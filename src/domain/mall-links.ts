import { addDays, kstDate } from './kst.js';

/**
 * Rules of a mall link's settings (DESIGN.md §2) that do not need I/O: defaults, cross-field
 * rules, multi-shop limits and what makes the FMS side of a link complete.
 */

export type CollectionMethod = 'auto' | 'manual';
export type CollectOrderStatus = 'N10' | 'N20';
export type InvoiceDisplay = 'company' | 'orderer';

export interface Sender {
  name: string;
  phone: string;
}

/** The settings a link carries, as the API names them. */
export interface MallLinkSettings {
  enabled: boolean;
  linkStartDate: string;
  collectionMethod: CollectionMethod;
  collectOrderStatus: CollectOrderStatus;
  minutesAfterPayment: number;
  collectionRangeDays: number;
  invoiceSyncEnabled: boolean;
  invoiceDisplay: InvoiceDisplay;
  sender: Sender | null;
}

export const mallLinkDefaults = {
  enabled: true,
  collectionMethod: 'auto',
  collectOrderStatus: 'N10',
  // Orders cancelled right after purchase never reach FMS when we wait a little (FMS guide).
  minutesAfterPayment: 10,
  collectionRangeDays: 3,
  invoiceSyncEnabled: true,
  invoiceDisplay: 'company',
  sender: null,
} as const satisfies Omit<MallLinkSettings, 'linkStartDate'>;

export const collectionRangeDaysBounds = { min: 1, max: 30 } as const;

/** Default link start date: the day after `now`, in Asia/Seoul. */
export function defaultLinkStartDate(now: Date): string {
  return addDays(kstDate(now), 1);
}

export interface SettingsProblem {
  path: string;
  message: string;
}

/** Cross-field rules; an empty list means the settings are consistent. */
export function settingsProblems(settings: MallLinkSettings): SettingsProblem[] {
  if (settings.invoiceDisplay === 'company' && !settings.sender) {
    return [{ path: 'sender', message: 'sender { name, phone } is required when invoiceDisplay is company (송장표시정보: 판매자 정보)' }];
  }
  return [];
}

/** Shop 1 is the mall's default shop: implicit and always active. */
export const defaultShopNo = 1;
/** Cafe24 allows at most 5 extra shops per mall (FASSTO says the same). */
export const maxExtraShops = 5;
/**
 * Extra shops are numbered from 2; Cafe24 does not reuse the number of a deleted shop, so numbers
 * above 6 occur. 99 is a sanity bound, not a Cafe24 limit.
 */
export const extraShopNoBounds = { min: 2, max: 99 } as const;

export type ShopStatus = 'requested' | 'active' | 'rejected';

export type ShopRequestRefusal =
  | { kind: 'duplicate'; status: ShopStatus }
  | { kind: 'limit'; limit: number };

/**
 * Whether an extra shop may be requested, given the link's existing extra shops. A rejected shop
 * may be requested again; requested and active shops count against the limit.
 */
export function shopRequestRefusal(existing: readonly { shopNo: number; status: ShopStatus }[], shopNo: number): ShopRequestRefusal | null {
  const same = existing.find((shop) => shop.shopNo === shopNo);
  if (same && same.status !== 'rejected') return { kind: 'duplicate', status: same.status };
  const counted = existing.filter((shop) => shop.status !== 'rejected').length;
  if (counted >= maxExtraShops) return { kind: 'limit', limit: maxExtraShops };
  return null;
}

/** Approval and rejection decide a request; decided shops stay as they are. */
export function canDecideShop(status: ShopStatus): boolean {
  return status === 'requested';
}

/**
 * Is the FMS side of the link complete, i.e. would a scheduled run do its job once Cafe24 is
 * authorised? Each entry says what is missing, in the words of the FMS settings screen.
 */
export function fmsLinkGaps(settings: MallLinkSettings): SettingsProblem[] {
  const gaps: SettingsProblem[] = [];
  if (!settings.enabled) gaps.push({ path: 'enabled', message: '연동서비스 이용여부가 사용 안 함입니다 (the link is disabled)' });
  gaps.push(...settingsProblems(settings));
  return gaps;
}

/** What the seller must set up on the Cafe24 side for the configured status (shown in the link status). */
export function sellerChecklist(settings: Pick<MallLinkSettings, 'collectOrderStatus'>): string[] {
  return settings.collectOrderStatus === 'N10'
    ? ['카페24 관리자에서 "상품준비중 주문상태 사용"을 설정해야 N10(상품준비중) 주문이 수집됩니다.']
    : ['N20(배송준비중) 수집: 판매자가 주문을 결제완료 → 배송준비중으로 직접 변경해야 수집됩니다.'];
}

/** The settings that differ, as `{ before, after }` holding only those keys. */
export function settingsDiff(before: MallLinkSettings, after: MallLinkSettings): { before: Partial<MallLinkSettings>; after: Partial<MallLinkSettings> } | null {
  const keys = (Object.keys(after) as (keyof MallLinkSettings)[]).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
  if (keys.length === 0) return null;
  return { before: Object.fromEntries(keys.map((k) => [k, before[k]])), after: Object.fromEntries(keys.map((k) => [k, after[k]])) };
}
