/** Strong ETag of a versioned resource. */
export const etagOf = (version: number) => `"${version}"`;

/**
 * RFC 9110 If-Match: absent means "any version", `*` any existing one; otherwise one of the
 * listed (strong) tags must be the current one.
 */
export function ifMatchAccepts(header: string | undefined, version: number): boolean {
  if (header === undefined) return true;
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag === etagOf(version));
}
