import { linkStartInstant } from './collection-window.js';
import { formatKst } from './kst.js';

/** The one-line summary operators see on a run in the Temporal UI. */
export function collectionRunSummary(mallId: string, slotAt: string): string {
  return `카페24 ${mallId} · ${formatKst(slotAt)} · 주문수집`;
}

/** Why a link cannot be collected at a slot, checked before any order is fetched. */
export type CollectionBlocker = 'link_disabled' | 'before_start_date' | 'not_authorized';

/** Takes the mall link's stored settings (a `mall_links` row has these columns). */
export function collectionBlocker(
  link: { enabled: boolean; link_start_date: string; cafe24_auth_status: 'not_installed' | 'authorized' | 'reauth_required' },
  slotAt: string,
): CollectionBlocker | null {
  if (!link.enabled) return 'link_disabled';
  if (new Date(slotAt) < linkStartInstant(link.link_start_date)) return 'before_start_date';
  if (link.cafe24_auth_status !== 'authorized') return 'not_authorized';
  return null;
}
