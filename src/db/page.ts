import { sql, type RawBuilder } from 'kysely';

/**
 * Keyset paging, shared by every repository that lists: a page starts after a position (the
 * sort key of the previous page's last row) and fetches one row more than asked, which only
 * says whether a next page exists.
 */
export interface PageRequest<Position> {
  after?: Position | undefined;
  limit: number;
}

export interface Page<Row, Position> {
  rows: Row[];
  /** Where the following page starts; null on the last page. */
  next: Position | null;
}

/** The page of `found` (fetched with `limit + 1`, already after the position). */
export function pageOf<Row, Position>(found: readonly Row[], limit: number, positionOf: (row: Row) => Position): Page<Row, Position> {
  const rows = found.slice(0, limit);
  return { rows, next: found.length > limit ? positionOf(rows[rows.length - 1]!) : null };
}

/** A timestamptz column as whole microseconds since the epoch, as text: exact, unlike a JS Date. */
export const epochMicros = (column: string): RawBuilder<string> => sql<string>`(extract(epoch from ${sql.ref(column)}) * 1000000)::bigint::text`;

/** The timestamptz of `epochMicros`. */
export const fromEpochMicros = (micros: string): RawBuilder<Date> => sql<Date>`(timestamptz 'epoch' + ${micros}::bigint * interval '1 microsecond')`;
