import { z } from '@hono/zod-openapi';
import type { Page } from '../../db/page.js';

/**
 * The one list convention of this API: every list answers `{ items, nextCursor }` and takes
 * `limit` and `cursor`. Items come in a stable order (a unique sort key); the cursor is opaque to
 * clients: base64url of the JSON of the last item's sort key, checked against the key's schema
 * when it comes back, so a forged or foreign cursor is a 422 naming `query.cursor`.
 */

/** Page size of every list: `limit` is 1–100, 50 when absent. */
export const listLimits = { default: 50, max: 100 } as const;

const cursorProblem = 'not a cursor from this API';

/** Paging of one list whose items are ordered by a position of this schema (the sort key). */
export function listPaging<Position extends z.ZodType>(position: Position) {
  const encode = (value: z.output<Position>) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

  function decode(cursor: string): z.output<Position> | undefined {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const parsed = position.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  }

  return {
    /** `cursor` (decoded to the position) and `limit`, to spread into the route's query schema. */
    query: {
      cursor: z
        .string()
        .transform((cursor, ctx) => {
          const decoded = decode(cursor);
          if (decoded === undefined) ctx.addIssue({ code: 'custom', message: cursorProblem });
          return decoded;
        })
        .optional()
        .openapi({ description: '`nextCursor` of the previous page; absent for the first page' }),
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(listLimits.max)
        .default(listLimits.default)
        .openapi({ description: `Items per page (1–${listLimits.max})`, example: listLimits.default }),
    },
    /** The `{ items, nextCursor }` body of a page. */
    body<Row, Item>(page: Page<Row, z.output<Position>>, toItem: (row: Row) => Item): { items: Item[]; nextCursor: string | null } {
      return { items: page.rows.map(toItem), nextCursor: page.next === null ? null : encode(page.next) };
    },
  };
}

/** The OpenAPI schema `{ items, nextCursor }` of a list of `item`, registered as `name`. */
export function listSchema<Item extends z.ZodType>(name: string, item: Item, description?: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page', example: null }),
    })
    .openapi(name, description === undefined ? {} : { description });
}
