import { z } from '@hono/zod-openapi';
import { problemResponseSpec } from './problem.js';

/** The path parameter of every `/v1/mall-links/{id}…` route. */
export const MallLinkParamsSchema = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '0b6c1a2e-4f3d-4c8e-9a57-2f1e8d3c4b5a' }),
});

/**
 * A named (registered) schema, or null. `.nullable()` on a registered schema loses its null in
 * the document (zod-to-openapi renders the bare `$ref`), so the document would refuse the null
 * the API sends; a union renders as `anyOf: [$ref, null]`.
 */
export const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

/** Problem responses shared by the `/v1` routes. */
export const unauthorizedResponse = problemResponseSpec('No API key, or an unknown or revoked one (`/problems/unauthorized`)');
export const adminOnlyResponse = problemResponseSpec('Not an admin key (`/problems/forbidden`)');
export const mallLinkNotFoundResponse = problemResponseSpec('No such link, or it belongs to another customer (`/problems/not-found`)');
