import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../database.js';
import type { CollectionRunRow, InvoiceSyncRunRow, MallLinkRow } from '../../../db/schema.js';

/**
 * What the link status shows from PostgreSQL, read in one statement with the link itself: the
 * status is the API's most frequent request, and five reads cost five round trips on five pooled
 * connections. Each table's rows still map to its row type: the link and the latest runs come with
 * every column named, not through JSON, so timestamps stay Dates.
 */
export interface LinkStatusRows {
  tokenExpiry: { accessTokenExpiresAt: Date; refreshTokenExpiresAt: Date } | null;
  lastRun: CollectionRunRow | null;
  lastInvoiceSync: InvoiceSyncRunRow | null;
  openUnlinkedOrders: number;
}

// Every column of each row type: the compiler refuses a list that misses one added to the schema.
const mallLinkColumns = Object.keys({
  id: true, platform: true, mall_id: true, cst_cd: true, enabled: true, link_start_date: true, collection_method: true,
  collect_order_status: true, minutes_after_payment: true, collection_range_days: true, invoice_sync_enabled: true,
  invoice_display: true, sender_name: true, sender_phone: true, version: true, schedule_state: true, schedule_revision: true,
  cafe24_auth_status: true, created_at: true, updated_at: true,
} satisfies Record<keyof MallLinkRow, true>);
const collectionRunColumns = Object.keys({
  id: true, mall_link_id: true, workflow_id: true, run_id: true, trigger: true, slot_at: true, window_from: true, window_to: true,
  status: true, outcome: true, orders_fetched: true, items_fetched: true, counts: true, error: true, started_at: true, finished_at: true,
} satisfies Record<keyof CollectionRunRow, true>);
const invoiceSyncRunColumns = Object.keys({
  id: true, mall_link_id: true, workflow_id: true, run_id: true, trigger: true, slot_at: true, status: true, outcome: true,
  requests_examined: true, counts: true, items_synced: true, error: true, started_at: true, finished_at: true, cancellation_counts: true,
} satisfies Record<keyof InvoiceSyncRunRow, true>);

const prefixed = (alias: string, columns: readonly string[]): RawBuilder<unknown> =>
  sql.join(columns.map((c) => sql`${sql.ref(`${alias}.${c}`)} as ${sql.id(`${alias}_${c}`)}`));

/** The columns of one alias, unprefixed; null when the join found no row. */
function rowOf<T>(row: Record<string, unknown>, alias: string, columns: readonly string[]): T | null {
  if (row[`${alias}_id`] === null) return null;
  return Object.fromEntries(columns.map((c) => [c, row[`${alias}_${c}`]])) as T;
}

export interface LinkWithStatusRows {
  link: MallLinkRow;
  rows: LinkStatusRows;
}

/** The link with this id and what its status shows; undefined when there is no such link. */
export async function findLinkWithStatusRows(db: Db, mallLinkId: string): Promise<LinkWithStatusRows | undefined> {
  const { rows } = await sql<Record<string, unknown>>`
    select
      ${prefixed('m', mallLinkColumns)},
      t.access_token_expires_at as token_access, t.refresh_token_expires_at as token_refresh,
      (select count(*) from unlinked_orders u where u.mall_link_id = m.id and u.status = 'open')::int as open_unlinked,
      ${prefixed('cr', collectionRunColumns)},
      ${prefixed('ir', invoiceSyncRunColumns)}
    from mall_links m
    left join cafe24_tokens t on t.mall_link_id = m.id
    left join lateral (select * from collection_runs where mall_link_id = m.id order by id desc limit 1) as cr on true
    left join lateral (select * from invoice_sync_runs where mall_link_id = m.id order by id desc limit 1) as ir on true
    where m.id = ${mallLinkId}::uuid`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  return {
    link: rowOf<MallLinkRow>(row, 'm', mallLinkColumns)!,
    rows: {
      tokenExpiry: row.token_access === null ? null : { accessTokenExpiresAt: row.token_access as Date, refreshTokenExpiresAt: row.token_refresh as Date },
      lastRun: rowOf<CollectionRunRow>(row, 'cr', collectionRunColumns),
      lastInvoiceSync: rowOf<InvoiceSyncRunRow>(row, 'ir', invoiceSyncRunColumns),
      openUnlinkedOrders: row.open_unlinked as number,
    },
  };
}
