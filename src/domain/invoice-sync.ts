import { collectionBlocker, type CollectionBlocker } from './collection-run.js';
import { formatKst } from './kst.js';
import { isShippedStatus, type FmsCarrier, type FmsProgressStatus } from './fms-progress.js';
import type { ResolvedItem, ShipmentLine } from './link-resolution.js';

/**
 * Invoice sync rules (송장등록), pure: which Cafe24 items a shipped FMS request covers and under
 * which tracking number, which Cafe24 carrier code an FMS carrier is, and how a run accounts for
 * every request it examined.
 */

/** One parcel FMS sent: its tracking number, carrier and, when FMS says, the goods in it. */
export interface ShippedParcel {
  invoiceNo: string;
  /** null when FMS named no carrier. */
  carrier: FmsCarrier | null;
  /** null when FMS did not say what the parcel holds. */
  goods: ShipmentLine[] | null;
}

export interface ItemShipment {
  orderItemCode: string;
  invoiceNo: string;
  carrier: FmsCarrier | null;
}

/**
 * The items that have shipped, each with the parcel that completed it. Parcels are taken in the
 * order FMS lists them and their goods added up; an item counts as shipped at the first parcel by
 * which all of its goods have shipped (items are served in order, so two items of the same goods
 * ship first-come). DONE means everything shipped: items the goods lists do not cover take the
 * last parcel, and without goods lists every item takes the first parcel. PARTDONE registers only
 * what the goods lists prove shipped. No parcel, no shipment.
 */
export function shippedItems(status: FmsProgressStatus, items: readonly ResolvedItem[], parcels: readonly ShippedParcel[]): ItemShipment[] {
  if (!isShippedStatus(status) || parcels.length === 0) return [];
  const shipped: ItemShipment[] = [];
  const pending = [...items];
  const available = new Map<string, number>();
  for (const parcel of parcels) {
    for (const line of parcel.goods ?? []) available.set(line.cstGodCd, (available.get(line.cstGodCd) ?? 0) + line.quantity);
    for (let i = 0; i < pending.length; ) {
      const item = pending[i]!;
      if (item.lines.length > 0 && item.lines.every((line) => (available.get(line.cstGodCd) ?? 0) >= line.quantity)) {
        for (const line of item.lines) available.set(line.cstGodCd, available.get(line.cstGodCd)! - line.quantity);
        shipped.push({ orderItemCode: item.orderItemCode, invoiceNo: parcel.invoiceNo, carrier: parcel.carrier });
        pending.splice(i, 1);
      } else {
        i += 1;
      }
    }
  }
  if (status === 'DONE') {
    const fallback = parcels.some((p) => p.goods !== null) ? parcels[parcels.length - 1]! : parcels[0]!;
    for (const item of pending) shipped.push({ orderItemCode: item.orderItemCode, invoiceNo: fallback.invoiceNo, carrier: fallback.carrier });
  }
  return shipped;
}

export interface CarrierMapping {
  fmsCarrierKey: string;
  cafe24ShippingCompanyCode: string;
}

/** How a newly shipped item's registration starts: to send, or held until its carrier is mapped. */
export function newRegistrationHold(shippingCompanyCode: string | null): HeldReason | null {
  return shippingCompanyCode === null ? 'unknown_carrier' : null;
}

/** The Cafe24 shipping_company_code of an FMS carrier, by its normalised key; null when unmapped or unnamed. */
export function cafe24CarrierCode(mappings: readonly CarrierMapping[], carrier: FmsCarrier | null): string | null {
  if (carrier === null) return null;
  return mappings.find((m) => m.fmsCarrierKey === carrier.key)?.cafe24ShippingCompanyCode ?? null;
}

/** Why an item with a tracking number is not registered yet; each clears by itself once fixed. */
export type HeldReason =
  /** FMS named no carrier, or one without a mapping: add it at /v1/carrier-mappings. */
  | 'unknown_carrier'
  /** FMS says the request shipped but gave no tracking number. */
  | 'missing_invoice_no'
  /** A partial shipment of a request made before item breakdowns were kept: which items shipped is unknown until it completes. */
  | 'items_unknown';

export type RegistrationStatus = 'pending' | 'sending' | 'synced' | 'held' | 'rejected';

/** What became of one request examined by one invoice run. */
export type InvoiceRequestOutcome =
  /** Shipped whole, and every item's tracking number is on Cafe24 (or was refused, see rejected). */
  | 'synced'
  /** Shipped in part; the shipped items are on Cafe24, the rest wait for FMS. */
  | 'partially_synced'
  /** FMS has not shipped anything yet (ORDER, WORKING, SHORTAGE or a status we could not read). */
  | 'not_shipped'
  /** Shipped, on a link with invoice registration off: watched for cancellations, nothing registered. */
  | 'shipped_not_registered'
  /** FMS does not list the request (yet). */
  | 'not_listed'
  /** FMS cancelled the request: nothing to register. */
  | 'cancelled_in_fms'
  /** Cafe24 refused at least one item (e.g. cancelled on Cafe24 first); never retried. */
  | 'rejected'
  | `held:${HeldReason}`
  /** Registration did not finish in this run (a failed run); the next run carries on. */
  | 'pending';

export type InvoiceOutcomeCounts = Partial<Record<InvoiceRequestOutcome, number>>;

export interface RequestInvoiceState {
  status: FmsProgressStatus | null;
  /** false when FMS did not list the request in this run. */
  listed: boolean;
  registrations: readonly { status: RegistrationStatus; reason: string | null }[];
  /** The link's invoice registration is off (a watch-only run). */
  watchOnly?: boolean;
}

/** One outcome per examined request, worst first: a refusal or a hold needs a person before anything else. */
export function invoiceRequestOutcome({ status, listed, registrations, watchOnly = false }: RequestInvoiceState): InvoiceRequestOutcome {
  if (!listed) return 'not_listed';
  if (status === 'CANCEL') return 'cancelled_in_fms';
  if (watchOnly) return status !== null && isShippedStatus(status) ? 'shipped_not_registered' : 'not_shipped';
  if (registrations.some((r) => r.status === 'rejected')) return 'rejected';
  const held = registrations.find((r) => r.status === 'held');
  if (held) return `held:${(held.reason ?? 'unknown_carrier') as HeldReason}`;
  if (registrations.some((r) => r.status === 'pending' || r.status === 'sending')) return 'pending';
  if (registrations.length === 0) return 'not_shipped';
  return status === 'DONE' ? 'synced' : 'partially_synced';
}

/**
 * Nothing more will happen to this request's invoices: FMS cancelled it, or it shipped whole and
 * every item is registered or refused (in a watch-only run: shipped whole). Held items keep a
 * request open (they clear once fixed).
 */
export function invoiceSettled(status: FmsProgressStatus | null, itemCount: number, registrations: readonly { status: RegistrationStatus }[], watchOnly = false): boolean {
  if (status === 'CANCEL') return true;
  if (status !== 'DONE') return false;
  if (watchOnly) return true;
  return registrations.length === itemCount && registrations.every((r) => r.status === 'synced' || r.status === 'rejected');
}

/** Tracking numbers Cafe24 accepts (≤ 40 characters); FMS may pad or space them. */
export function cleanInvoiceNo(value: string | null | undefined): string | null {
  const cleaned = (value ?? '').replace(/[\s-]/g, '');
  return cleaned === '' ? null : cleaned.slice(0, 40);
}

/** A registration counts as on Cafe24 when one of the order's shipments carries its tracking number for its item. */
export function findRegisteredShipment(
  shipments: readonly { trackingNo: string; orderItemCodes: readonly string[]; shippingCode: string }[],
  registration: { orderItemCode: string; invoiceNo: string },
): string | null {
  const found = shipments.find((s) => cleanInvoiceNo(s.trackingNo) === registration.invoiceNo && s.orderItemCodes.includes(registration.orderItemCode));
  return found?.shippingCode ?? null;
}

/** An order item as the order list shows it: its main invoice once shipped, and whether its status comes before shipping. */
export interface ItemShippingState {
  orderItemCode: string;
  trackingNo: string | null;
  shippingCode: string | null;
  /** Its status holds no registration with status `shipping` (src/clients/cafe24/unconfirmed.ts). */
  beforeShipping: boolean;
}

export type RegistrationOnItem = { kind: 'found'; shippingCode: string } | { kind: 'absent' } | { kind: 'unknown' };

/**
 * What an item as the order list shows it says of our registration on it (we register with status
 * `shipping`): found when its main invoice is ours, absent when it carries none and has not shipped,
 * unknown otherwise (shipped under another invoice, where ours may be an extra one, closed by a
 * claim, or not listed): only the order's shipments tell.
 */
export function registrationOnItem(item: ItemShippingState | undefined, invoiceNo: string): RegistrationOnItem {
  if (!item) return { kind: 'unknown' };
  if (item.shippingCode !== null && cleanInvoiceNo(item.trackingNo) === invoiceNo) return { kind: 'found', shippingCode: item.shippingCode };
  if (item.trackingNo === null && item.beforeShipping) return { kind: 'absent' };
  return { kind: 'unknown' };
}

/** The one-line summary operators see on an invoice run in the Temporal UI. */
export function invoiceSyncRunSummary(mallId: string, slotAt: string): string {
  return `카페24 ${mallId} · ${formatKst(slotAt)} · 송장등록`;
}

type InvoiceRunLink = Parameters<typeof collectionBlocker>[0] & { invoice_sync_enabled: boolean };

/**
 * How an invoice run of the link at `slotAt` goes: skipped for a collection blocker, else run —
 * watch-only (FMS progress and the cancellation sweep, nothing registered) when invoice
 * registration is off, since open requests must still be watched for cancellations.
 */
export function invoiceRunMode(link: InvoiceRunLink, slotAt: string): { skip: CollectionBlocker } | { skip: null; watchOnly: boolean } {
  const skip = collectionBlocker(link, slotAt);
  return skip ? { skip } : { skip: null, watchOnly: !link.invoice_sync_enabled };
}

/**
 * Why a person cannot start an invoice run now: the run's own blockers, or invoice registration
 * off (a manual run is for registering invoices; the scheduled runs keep watching such a link).
 */
export function invoiceSyncBlocker(link: InvoiceRunLink, slotAt: string): CollectionBlocker | 'invoice_sync_disabled' | null {
  return link.invoice_sync_enabled ? invoiceRunMode(link, slotAt).skip : 'invoice_sync_disabled';
}
