import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AlertKind } from '../src/domain/alerts.js';
import type { CancellationOutcome } from '../src/domain/cancellations.js';
import type { FmsProgressStatus } from '../src/domain/fms-progress.js';
import type { RegistrationStatus } from '../src/domain/invoice-sync.js';
import type { ResolvedItem } from '../src/domain/link-resolution.js';
import type { CatalogueImportStatus, ProductStatusFilter, UnlinkableReason } from '../src/domain/catalogue.js';

/** The typed shape of the application database. Migrations in ./migrations produce it. */

type CreatedAt = ColumnType<Date, never, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** DATE columns are read as 'YYYY-MM-DD' strings (see src/db/database.ts), never as JS Dates. */
type CalendarDate = string;
type Json = ColumnType<unknown, string | null, string | null>;

export interface ApiKeysTable {
  id: Generated<string>;
  name: string;
  role: 'admin' | 'customer';
  cst_cd: string | null;
  key_prefix: string;
  key_hash: string;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export type Cafe24AuthStatus = 'not_installed' | 'authorized' | 'reauth_required';

export interface MallLinksTable {
  id: Generated<string>;
  platform: 'cafe24';
  mall_id: string;
  cst_cd: string;
  enabled: boolean;
  link_start_date: CalendarDate;
  collection_method: 'auto' | 'manual';
  collect_order_status: 'N10' | 'N20';
  minutes_after_payment: number;
  collection_range_days: number;
  invoice_sync_enabled: boolean;
  invoice_display: 'company' | 'orderer';
  sender_name: string | null;
  sender_phone: string | null;
  version: Generated<number>;
  schedule_state: Generated<'synced' | 'pending'>;
  /** linkScheduleRevision of the schedules the last successful sync put on Temporal; null while pending. */
  schedule_revision: string | null;
  /** Maintained by the Cafe24 OAuth/token code; read by reconcile (pauses unauthorized links). */
  cafe24_auth_status: Generated<Cafe24AuthStatus>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface MallLinkShopsTable {
  mall_link_id: string;
  shop_no: number;
  status: 'requested' | 'active' | 'rejected';
  requested_at: CreatedAt;
  decided_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  mall_link_id: string;
  actor_key_id: string | null;
  action: string;
  before: Json;
  after: Json;
  at: CreatedAt;
}

export interface TimetableVersionsTable {
  version: number;
  /** { business, saturday, sunday_holiday }: sorted 'HH:MM' lists (see src/domain/timetable.ts). */
  slots: ColumnType<Record<'business' | 'saturday' | 'sunday_holiday', string[]>, string, never>;
  created_by_key_id: string | null;
  created_at: CreatedAt;
}

export interface CalendarOverridesTable {
  date: CalendarDate;
  kind: 'holiday' | 'business_day';
  note: string;
  updated_by_key_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/**
 * One FMS shipment request per ordNo. pending: nothing sent yet; sending: a create was sent and
 * its outcome is unknown until looked up; created: FMS holds it; rejected: FMS refused it, so
 * nothing is stored there.
 */
export type FmsShipmentRequestStatus = 'pending' | 'sending' | 'created' | 'rejected';

export interface FmsShipmentRequestsTable {
  ord_no: string;
  mall_link_id: string;
  shop_no: number;
  order_id: string;
  cst_cd: string;
  /** YYYYMMDD (KST) sent as ordDt; the lookup by ordNo starts there. */
  ord_dt: string;
  payload_hash: string;
  status: FmsShipmentRequestStatus;
  fms_slip_no: string | null;
  attempts: Generated<number>;
  /** When the last create was sent; a younger send may still be in flight. */
  last_sent_at: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** The Cafe24 items this request ships and the goods of each; null on requests older than invoice sync. */
  items: ColumnType<ResolvedItem[] | null, string | null, string | null>;
  fms_status: FmsProgressStatus | null;
  /** The status as FMS sent it (a code such as `3` or a word), for operators. */
  fms_status_raw: string | null;
  fms_status_seen_at: Timestamp | null;
  invoices: ColumnType<FmsInvoice[], string | undefined, string>;
  /** Nothing left to register: every item on Cafe24 or refused, or FMS cancelled the request. */
  invoice_settled_at: Timestamp | null;
  /** The last invoice run that examined this request, and whether FMS listed it in that run. */
  invoice_run_id: number | null;
  invoice_listed: boolean | null;
  /** When we cancelled the request in FMS (the buyer cancelled on Cafe24): it is never requested again. */
  cancelled_at: Timestamp | null;
}

/** A parcel of an FMS request as last read: tracking number and FMS carrier. */
export interface FmsInvoice {
  invoiceNo: string;
  /** normalizeFmsCarrier's key (CJ, HANJIN, or the code FMS sent); null when FMS named no carrier. */
  carrierKey: string | null;
  carrierName: string | null;
}

/** FMS carrier (by normalizeFmsCarrier's key) → Cafe24 shipping_company_code. */
export interface CarrierMappingsTable {
  fms_carrier_key: string;
  carrier_name: string;
  cafe24_shipping_company_code: string;
  /** false: taken from circulating lists, to be confirmed against a mall's GET /carriers. */
  confirmed: Generated<boolean>;
  note: string | null;
  updated_by_key_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/**
 * One tracking number to put on one Cafe24 order item, exactly once. pending: to send; sending:
 * sent, answer unknown until the order's shipments are read back; synced: on Cafe24; held: waits
 * for a fix (reason); rejected: Cafe24 refused it (reason), never sent again.
 */
export interface InvoiceRegistrationsTable {
  mall_link_id: string;
  order_item_code: string;
  order_id: string;
  shop_no: number;
  ord_no: string;
  invoice_no: string;
  fms_carrier_key: string | null;
  fms_carrier_name: string | null;
  shipping_company_code: string | null;
  status: RegistrationStatus;
  reason: string | null;
  shipping_code: string | null;
  attempts: Generated<number>;
  last_sent_at: Timestamp | null;
  synced_at: Timestamp | null;
  invoice_sync_run_id: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** The run ledger of syncInvoices: requests examined and their outcomes. */
export interface InvoiceSyncRunsTable {
  id: Generated<number>;
  mall_link_id: string;
  workflow_id: string;
  run_id: string;
  trigger: 'schedule' | 'manual';
  slot_at: Timestamp;
  status: CollectionRunStatus;
  outcome: string;
  requests_examined: Generated<number>;
  counts: ColumnType<Record<string, number>, string | undefined, string>;
  items_synced: Generated<number>;
  error: string | null;
  started_at: CreatedAt;
  finished_at: Timestamp | null;
  /** Requests the run's cancellation sweep looked at, by decision. */
  cancellation_counts: ColumnType<Record<string, number>, string | undefined, string>;
}

/** One shipment request found cancelled or claimed on Cafe24 after we requested it (see src/domain/cancellations.ts). */
export interface CancellationsTable {
  ord_no: string;
  mall_link_id: string;
  shop_no: number;
  order_id: string;
  outcome: CancellationOutcome;
  cancelled_items: ColumnType<string[], string | undefined, string>;
  fms_status: FmsProgressStatus | null;
  fms_code: string | null;
  fms_message: string | null;
  attempts: Generated<number>;
  /** When the last cancel was sent; set with outcome pending, the answer may have been lost. */
  last_sent_at: Timestamp | null;
  invoice_sync_run_id: number | null;
  detected_at: CreatedAt;
  resolved_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface ProductLinksTable {
  mall_link_id: string;
  variant_code: string;
  cst_god_cd: string;
  quantity: number;
  updated_at: Timestamp;
}

/** Raw Cafe24 orders (StoredOrder in `raw`): the one place buyers' personal data lives. */
export interface CollectedOrdersTable {
  mall_link_id: string;
  order_id: string;
  shop_no: number;
  paid_at: Timestamp | null;
  raw: Json;
  first_fetched_at: Timestamp;
  last_fetched_at: Timestamp;
  request_outcome: 'created' | 'already_requested' | 'rejected' | null;
  slip_no: string | null;
  request_warnings: Json;
  request_reason: string | null;
  requested_at: Timestamp | null;
  requested_run_id: number | null;
  /** When the purge stripped the personal data from `raw` (RETENTION_DAYS after the last fetch); null while it holds them. */
  raw_purged_at: Timestamp | null;
}

export type CollectionRunStatus = 'running' | 'completed' | 'skipped' | 'failed';

/** The run ledger: one row per collectOrders run, counts of every item by outcome. */
export interface CollectionRunsTable {
  id: Generated<number>;
  mall_link_id: string;
  workflow_id: string;
  run_id: string;
  trigger: 'schedule' | 'manual';
  slot_at: Timestamp;
  window_from: Timestamp | null;
  window_to: Timestamp | null;
  status: CollectionRunStatus;
  outcome: string;
  orders_fetched: Generated<number>;
  items_fetched: Generated<number>;
  counts: ColumnType<Record<string, number>, string | undefined, string>;
  error: string | null;
  started_at: CreatedAt;
  finished_at: Timestamp | null;
}

export interface OrderTrailTable {
  id: Generated<number>;
  mall_link_id: string;
  order_id: string;
  order_item_code: string;
  collection_run_id: number;
  outcome: string;
  at: CreatedAt;
}

export interface UnlinkedOrderItem {
  orderItemCode: string;
  variantCode: string | null;
  reason: string;
}

export interface UnlinkedOrdersTable {
  mall_link_id: string;
  order_id: string;
  shop_no: number;
  paid_at: Timestamp | null;
  items: ColumnType<UnlinkedOrderItem[], string, string>;
  /** not_eligible: held, then cancelled, claimed or moved to another status: nothing left to link. */
  status: 'open' | 'outside_range' | 'resolved' | 'not_eligible';
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  resolved_at: Timestamp | null;
  resolved_run_id: number | null;
}

/** Held by the one collectOrders run that may work on a mall; expires unless renewed. */
export interface CollectionLeasesTable {
  mall_link_id: string;
  workflow_id: string;
  run_id: string;
  acquired_at: Timestamp;
  expires_at: Timestamp;
}

/** Cafe24 OAuth tokens of a mall link, AES-256-GCM encrypted (src/clients/cafe24/token-cipher.ts). */
export interface Cafe24TokensTable {
  mall_link_id: string;
  mall_id: string;
  access_token_enc: string;
  access_token_expires_at: Timestamp;
  refresh_token_enc: string;
  refresh_token_expires_at: Timestamp;
  scopes: string[];
  refreshed_at: Timestamp;
  created_at: CreatedAt;
}

/** Issued install `state` nonces; `used_at` makes each single-use. */
export interface Cafe24OauthStatesTable {
  nonce: string;
  mall_link_id: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

/** One problem an operator must see (src/domain/alerts.ts); at most one open per kind, link and subject. */
export interface AlertsTable {
  id: Generated<number>;
  kind: AlertKind;
  mall_link_id: string | null;
  subject: Generated<string>;
  status: Generated<'open' | 'closed'>;
  since: Timestamp;
  message: string;
  action: string;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  opened_at: Generated<Date>;
  closed_at: Timestamp | null;
  /** Outbox of the alert webhook: set once the signed POST of that event was delivered. */
  opened_notified_at: Timestamp | null;
  closed_notified_at: Timestamp | null;
  updated_at: Timestamp;
}

/** One import of a link's Cafe24 catalogue: its scope, paging checkpoint and counts. */
export interface Cafe24CatalogueImportsTable {
  id: Generated<string>;
  mall_link_id: string;
  statuses: ProductStatusFilter[];
  status: Generated<CatalogueImportStatus>;
  workflow_id: string | null;
  run_id: string | null;
  since_product_no: Generated<number>;
  paging_done: Generated<boolean>;
  pages: Generated<number>;
  products_seen: Generated<number>;
  variants_seen: Generated<number>;
  variants_new: Generated<number>;
  variants_gone: Generated<number>;
  error: string | null;
  started_at: Generated<Date>;
  updated_at: Generated<Date>;
  finished_at: Timestamp | null;
}

/** The imported Cafe24 catalogue: one row per variant (품목) of a link's mall. */
export interface Cafe24CatalogueVariantsTable {
  mall_link_id: string;
  product_no: number;
  /** '' when Cafe24 gave no 품목코드. */
  variant_code: string;
  product_code: string;
  product_name: string;
  custom_product_code: string | null;
  custom_variant_code: string | null;
  has_option: boolean;
  option_type: string | null;
  options: ColumnType<{ name: string; value: string }[], string, string>;
  option_text: string | null;
  set_product: boolean;
  selling: boolean;
  display: boolean;
  linkable: boolean;
  unlinkable_reason: UnlinkableReason | null;
  last_import_id: string | null;
  gone_at: Timestamp | null;
  imported_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Cached FMS goods master of a customer (cstCd). */
export interface FmsGoodsTable {
  cst_cd: string;
  cst_god_cd: string;
  name: string;
  god_cd: string | null;
  barcode: string | null;
  goods_type: string | null;
  in_use: boolean;
  refreshed_at: Timestamp;
}

/** When each customer's goods master was last read from FMS. */
export interface FmsGoodsRefreshesTable {
  cst_cd: string;
  goods_count: number;
  refreshed_at: Timestamp;
}

export interface Database {
  api_keys: ApiKeysTable;
  mall_links: MallLinksTable;
  mall_link_shops: MallLinkShopsTable;
  audit_log: AuditLogTable;
  timetable_versions: TimetableVersionsTable;
  calendar_overrides: CalendarOverridesTable;
  fms_shipment_requests: FmsShipmentRequestsTable;
  product_links: ProductLinksTable;
  collected_orders: CollectedOrdersTable;
  collection_runs: CollectionRunsTable;
  order_trail: OrderTrailTable;
  unlinked_orders: UnlinkedOrdersTable;
  collection_leases: CollectionLeasesTable;
  cafe24_tokens: Cafe24TokensTable;
  cafe24_oauth_states: Cafe24OauthStatesTable;
  carrier_mappings: CarrierMappingsTable;
  invoice_registrations: InvoiceRegistrationsTable;
  invoice_sync_runs: InvoiceSyncRunsTable;
  cancellations: CancellationsTable;
  alerts: AlertsTable;
  cafe24_catalogue_imports: Cafe24CatalogueImportsTable;
  cafe24_catalogue_variants: Cafe24CatalogueVariantsTable;
  fms_goods: FmsGoodsTable;
  fms_goods_refreshes: FmsGoodsRefreshesTable;
}

export type ApiKeyRow = Selectable<ApiKeysTable>;
export type MallLinkRow = Selectable<MallLinksTable>;
export type NewMallLink = Insertable<MallLinksTable>;
export type MallLinkUpdate = Updateable<MallLinksTable>;
export type MallLinkShopRow = Selectable<MallLinkShopsTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type TimetableVersionRow = Selectable<TimetableVersionsTable>;
export type CalendarOverrideRow = Selectable<CalendarOverridesTable>;
export type FmsShipmentRequestRow = Selectable<FmsShipmentRequestsTable>;
export type CollectionRunRow = Selectable<CollectionRunsTable>;
export type UnlinkedOrderRow = Selectable<UnlinkedOrdersTable>;
export type CollectedOrderRow = Selectable<CollectedOrdersTable>;
export type Cafe24TokenRow = Selectable<Cafe24TokensTable>;
export type CarrierMappingRow = Selectable<CarrierMappingsTable>;
export type InvoiceRegistrationRow = Selectable<InvoiceRegistrationsTable>;
export type InvoiceSyncRunRow = Selectable<InvoiceSyncRunsTable>;
export type CancellationRow = Selectable<CancellationsTable>;
export type AlertRow = Selectable<AlertsTable>;
export type CatalogueImportRow = Selectable<Cafe24CatalogueImportsTable>;
export type CatalogueVariantRow = Selectable<Cafe24CatalogueVariantsTable>;
export type FmsGoodsRow = Selectable<FmsGoodsTable>;
