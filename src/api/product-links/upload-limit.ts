import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';
import { problemResponse, problemType } from '../lib/problem.js';
import type { AppEnv } from '../lib/types.js';

/** Room for the multipart framing around the file itself. */
const multipartOverheadBytes = 64 * 1024;

/** Link sheet uploads have their own size limit (PRODUCT_LINK_UPLOAD_MAX_BYTES) instead of the API's general one. */
export const isLinkSheetUpload = (method: string, path: string) => method === 'POST' && /^\/v1\/mall-links\/[^/]+\/product-links\/uploads\/?$/.test(path);

export const linkSheetUploadLimit = createMiddleware<AppEnv>((c, next) => {
  const maxBytes = c.get('deps').config.PRODUCT_LINK_UPLOAD_MAX_BYTES;
  return bodyLimit({
    maxSize: maxBytes + multipartOverheadBytes,
    onError: (ctx) =>
      problemResponse(ctx, { type: problemType('upload-too-large'), title: 'File Too Large', status: 413, detail: `link sheet uploads are limited to ${maxBytes} bytes`, instance: ctx.req.path }),
  })(c, next);
});
