import type { CancellationOutcome } from './cancellations.js';
import { latestCollectablePaymentAt, linkStartInstant, type CollectionRules } from './collection-window.js';
import { selectItems, type NotEligibleReason } from './eligibility.js';
import type { FmsProgressStatus } from './fms-progress.js';
import type { RegistrationStatus } from './invoice-sync.js';
import type { UnlinkedReason } from './link-resolution.js';
import type { OrderSummary } from './order-summary.js';

/**
 * The reconciliation of one KST day: every paid order Cafe24 lists now, set against what our runs
 * recorded. Pure: the service reads Cafe24 and the ledgers, this decides the category of each order.
 * Ids, codes and statuses only — no personal data.
 */

export const reconciliationCategories = ['requested', 'shipped_not_synced', 'cancelled', 'rejected', 'unlinked', 'not_eligible', 'missing'] as const;
export type ReconciliationCategory = (typeof reconciliationCategories)[number];

/** What our ledgers hold about one order (any of it may be absent). */
export interface OrderLedgerFacts {
  /** A run fetched the order (a collected_orders row, kept after the raw order is purged). */
  seenByRun: boolean;
  /** The FMS shipment request of the order, if one was recorded. */
  request: {
    status: 'pending' | 'sending' | 'created' | 'rejected';
    slipNo: string | null;
    fmsStatus: FmsProgressStatus | null;
    /** When an invoice run last read the request's progress from FMS (ISO 8601); null before the first. */
    fmsStatusSeenAt: string | null;
    /** Tracking numbers FMS listed for it at the last invoice run. */
    invoiceCount: number;
    lastError: string | null;
  } | null;
  /** Why FMS refused the request, as collected_orders recorded it. */
  rejectionReason: string | null;
  /** A held (open or outside-range) unlinked order, with the reason of each item. */
  unlinked: { status: 'open' | 'outside_range'; items: { orderItemCode: string; reason: UnlinkedReason }[] } | null;
  cancellation: { outcome: CancellationOutcome } | null;
  /** Tracking-number registrations on Cafe24, by order item. */
  registrations: ReadonlyMap<string, RegistrationStatus>;
  /** The latest outcome the trail recorded for each item. */
  latestOutcomes: ReadonlyMap<string, string>;
}

export interface ReconciliationItem {
  orderItemCode: string;
  variantCode: string | null;
  /** Cafe24's item status now, e.g. N10, N20, C40. */
  cafe24Status: string;
  /** Why this item is where it is (unlinked or not-eligible reason), else null. */
  reason: string | null;
  /** Our latest recorded outcome of the item (order trail), null when no run recorded one. */
  lastOutcome: string | null;
  /** Tracking-number registration on Cafe24, null when none is planned. */
  invoiceStatus: RegistrationStatus | null;
}

export interface ReconciliationEntry {
  orderId: string;
  shopNo: number;
  paidAt: string | null;
  category: ReconciliationCategory;
  /** A short code that says why: cancellation outcome, unlinked/not-eligible reasons, FMS refusal; null for requested. */
  reason: string | null;
  slipNo: string | null;
  /** FMS progress as the last invoice run read it, and when. */
  fmsStatus: FmsProgressStatus | null;
  fmsStatusSeenAt: string | null;
  items: ReconciliationItem[];
}

export interface ReconciliationContext {
  rules: CollectionRules;
  /**
   * The latest slot that should have run by now: orders it (or an earlier slot) should have
   * collected and no run did are missing; orders paid too late for it wait for the next slot.
   */
  asOf: string;
}

const shippedStatuses = new Set<FmsProgressStatus>(['DONE', 'PARTDONE']);
const distinct = (values: readonly string[]) => [...new Set(values)].join(',');

/**
 * Not-eligible reasons of an order at `asOf`, ignoring the collection range: an order that left
 * the range without being collected was still due at an earlier slot, so it counts as missing.
 */
function reasonsAt(order: OrderSummary, rules: CollectionRules, asOf: string): Map<string, NotEligibleReason | null> {
  const unbounded: CollectionRules = { ...rules, collectionRangeDays: Number.POSITIVE_INFINITY };
  const [selection] = selectItems([order], unbounded, asOf);
  return new Map(selection!.items.map((i) => [i.orderItemCode, i.eligible ? null : i.reason]));
}

/**
 * One order's category, first match wins: cancelled (a cancellation was recorded), requested or
 * shipped-but-not-synced (FMS holds it; shipped and some item's tracking number not on Cafe24),
 * rejected (FMS refused it), unlinked (held for product links), missing (due at a slot that has
 * passed but no run collected it: never fetched although paid between the link start and the
 * cut-off of `asOf`, or collectable at `asOf` and not requested), else not eligible with the reasons.
 */
export function classifyOrder(order: OrderSummary, facts: OrderLedgerFacts, context: ReconciliationContext): ReconciliationEntry {
  const base = { orderId: order.orderId, shopNo: order.shopNo, paidAt: order.paidAt, slipNo: facts.request?.slipNo ?? null, fmsStatus: facts.request?.fmsStatus ?? null, fmsStatusSeenAt: facts.request?.fmsStatusSeenAt ?? null };
  const unlinkedReason = new Map(facts.unlinked?.items.map((i) => [i.orderItemCode, i.reason]) ?? []);
  const eligibility = reasonsAt(order, context.rules, context.asOf);
  const items = (reason: (code: string) => string | null): ReconciliationItem[] =>
    order.items.map((item) => ({
      orderItemCode: item.orderItemCode,
      variantCode: item.variantCode,
      cafe24Status: item.status,
      reason: reason(item.orderItemCode),
      lastOutcome: facts.latestOutcomes.get(item.orderItemCode) ?? null,
      invoiceStatus: facts.registrations.get(item.orderItemCode) ?? null,
    }));
  const noReason = () => null;

  if (facts.cancellation) return { ...base, category: 'cancelled', reason: facts.cancellation.outcome, items: items(noReason) };
  if (facts.request?.status === 'created') {
    const shipped = facts.request.fmsStatus !== null && shippedStatuses.has(facts.request.fmsStatus) && facts.request.invoiceCount > 0;
    // Items FMS has not shipped yet (a partial shipment) have no registration: they are not late.
    const registrations = order.items.flatMap((item) => facts.registrations.get(item.orderItemCode) ?? []);
    if (shipped && (registrations.length === 0 || registrations.some((status) => status !== 'synced'))) return { ...base, category: 'shipped_not_synced', reason: null, items: items(noReason) };
    return { ...base, category: 'requested', reason: null, items: items(noReason) };
  }
  if (facts.request?.status === 'rejected' || facts.rejectionReason !== null) {
    return { ...base, category: 'rejected', reason: facts.rejectionReason ?? facts.request?.lastError ?? null, items: items(noReason) };
  }
  if (facts.unlinked) {
    const reason = (code: string) => unlinkedReason.get(code) ?? null;
    return { ...base, category: 'unlinked', reason: distinct(order.items.flatMap((i) => reason(i.orderItemCode) ?? [])), items: items(reason) };
  }

  const reason = (code: string) => eligibility.get(code) ?? null;
  const paidAt = order.paidAt === null ? null : new Date(order.paidAt).getTime();
  const dueNeverFetched =
    !facts.seenByRun && paidAt !== null && paidAt >= linkStartInstant(context.rules.linkStartDate).getTime() && paidAt <= latestCollectablePaymentAt(context.rules.minutesAfterPayment, context.asOf).getTime();
  const collectable = order.items.some((i) => eligibility.get(i.orderItemCode) === null);
  if (dueNeverFetched || collectable) return { ...base, category: 'missing', reason: dueNeverFetched ? 'never_fetched' : 'not_requested', items: items(reason) };
  return { ...base, category: 'not_eligible', reason: distinct(order.items.flatMap((i) => reason(i.orderItemCode) ?? [])), items: items(reason) };
}

export type ReconciliationCounts = Record<ReconciliationCategory, number>;

export function countCategories(entries: readonly { category: ReconciliationCategory }[]): ReconciliationCounts {
  const counts = Object.fromEntries(reconciliationCategories.map((c) => [c, 0])) as ReconciliationCounts;
  for (const { category } of entries) counts[category] += 1;
  return counts;
}

/** Classifies each order (in Cafe24's order) and counts them per category. */
export function reconcileOrders(
  orders: readonly OrderSummary[],
  factsOf: (order: OrderSummary) => OrderLedgerFacts,
  context: ReconciliationContext,
): { counts: ReconciliationCounts; orders: ReconciliationEntry[] } {
  const entries = orders.map((order) => classifyOrder(order, factsOf(order), context));
  return { counts: countCategories(entries), orders: entries };
}

export const reconciliationCsvHeader = ['order_id', 'shop_no', 'paid_at', 'category', 'reason', 'slip_no', 'fms_status', 'fms_status_seen_at', 'order_item_code', 'variant_code', 'cafe24_status', 'item_reason', 'last_outcome', 'invoice_status'] as const;

const csvField = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  // Quote what CSV needs quoted; a leading formula character is defused for spreadsheets.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** One line per order item (an order without items gets one line), header first, CRLF line ends. */
export function reconciliationCsv(entries: readonly ReconciliationEntry[]): string {
  const lines: (string | number | null)[][] = [[...reconciliationCsvHeader]];
  for (const e of entries) {
    const order = [e.orderId, e.shopNo, e.paidAt, e.category, e.reason, e.slipNo, e.fmsStatus, e.fmsStatusSeenAt];
    if (e.items.length === 0) lines.push([...order, null, null, null, null, null, null]);
    for (const i of e.items) lines.push([...order, i.orderItemCode, i.variantCode, i.cafe24Status, i.reason, i.lastOutcome, i.invoiceStatus]);
  }
  return lines.map((line) => line.map(csvField).join(',')).join('\r\n') + '\r\n';
}
