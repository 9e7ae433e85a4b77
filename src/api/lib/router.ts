import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './types.js';
import { fieldErrors, problemResponse, validationFailed } from './problem.js';

/**
 * A router whose request validation failures become 422 problem+json naming each field. A
 * required JSON body that is missing altogether (no Content-Type, no body: the validator would
 * check `{}`) is a 422 too, so an empty request never passes as an empty update.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.target === 'json' && !c.req.header('content-type')) {
        return problemResponse(c, validationFailed([{ path: '(body)', message: 'a JSON body is required (Content-Type: application/json)' }]).toProblem());
      }
      if (result.success) return;
      const errors = fieldErrors(result.error.issues, result.target === 'json' ? [] : [result.target]);
      return problemResponse(c, validationFailed(errors).toProblem());
    },
  });
}
