import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './types.js';
import { fieldErrors, problemResponse, validationFailed } from './problem.js';

/** A router whose request validation failures become 422 problem+json naming each field. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const errors = fieldErrors(result.error.issues, result.target === 'json' ? [] : [result.target]);
      return problemResponse(c, validationFailed(errors).toProblem());
    },
  });
}
