import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

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

export interface Database {
  api_keys: ApiKeysTable;
  mall_links: MallLinksTable;
  mall_link_shops: MallLinkShopsTable;
  audit_log: AuditLogTable;
  cafe24_tokens: Cafe24TokensTable;
  cafe24_oauth_states: Cafe24OauthStatesTable;
}

export type ApiKeyRow = Selectable<ApiKeysTable>;
export type MallLinkRow = Selectable<MallLinksTable>;
export type NewMallLink = Insertable<MallLinksTable>;
export type MallLinkUpdate = Updateable<MallLinksTable>;
export type MallLinkShopRow = Selectable<MallLinkShopsTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type Cafe24TokenRow = Selectable<Cafe24TokensTable>;
