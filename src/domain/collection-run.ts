import { linkStartInstant } from './collection-window.js';
import { formatKst } from './kst.js';

/** Workflow type name of the collection run, as schedules and the API start it. */
export const collectOrdersWorkflowType = 'collectOrders';

/**
 * Every collection run of a link has a workflow id starting with this: scheduled runs get
 * `collect-orders:{linkId}-{time}` from the schedule, manual runs `collect-orders:{linkId}:manual`.
 */
export const collectOrdersWorkflowIdPrefix = (mallLinkId: string) => `collect-orders:${mallLinkId}`;

/** Failure types of the collection activities that no retry can fix (the workflow lists them as non-retryable). */
export const collectionErrorTypes = { leaseLost: 'CollectionLeaseLost', linkNotFound: 'MallLinkNotFound' } as const;

/** One id for every manual run of a link: a second start while one runs is refused by Temporal. */
export const manualCollectWorkflowId = (mallLinkId: string) => `${collectOrdersWorkflowIdPrefix(mallLinkId)}:manual`;

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
