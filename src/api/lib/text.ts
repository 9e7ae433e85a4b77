import { z } from '@hono/zod-openapi';

/**
 * Every character JavaScript's trim() or Python's str.isspace() counts as white space, listed
 * one by one so the OpenAPI pattern means the same in both regex dialects (clients and fuzzers
 * read it in theirs; `\s` differs between them).
 */
export const whiteSpace = '\\t\\n\\v\\f\\r \\u001c-\\u001f\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/** PostgreSQL text cannot hold NUL. */
// eslint-disable-next-line no-control-regex -- NUL is exactly the character to exclude
export const withoutNul = /^[^\u0000]*$/;
const withoutNulMessage = 'must not contain NUL characters';

/** Search text of a list's query: up to maxLength characters, no NUL (the document states it as a pattern). */
export const searchText = (maxLength: number) => z.string().max(maxLength).regex(withoutNul, withoutNulMessage);

/** Text stored as given: 1–maxLength characters, no NUL (the document states it as a pattern). */
export const storableText = (maxLength: number) => z.string().min(1).max(maxLength).regex(withoutNul, withoutNulMessage);

/** A free-text field that must not be blank; stored trimmed. The document states the rule as a pattern. */
export const nonBlankText = (maxLength: number) =>
  z
    .string()
    .max(maxLength)
    .regex(new RegExp(`^[^\\u0000]*[^${whiteSpace}\\u0000][^\\u0000]*$`), 'must not be blank or contain NUL characters')
    .transform((text) => text.trim());
