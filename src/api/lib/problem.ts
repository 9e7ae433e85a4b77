import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from '@hono/zod-openapi';

/** RFC 9457 problem details, the body of every error this API returns. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** For validation problems: one entry per offending field. */
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

export const problemContentType = 'application/problem+json';

/** Problem types are relative URIs documented in the README's error table. */
export const problemType = (slug: string) => `/problems/${slug}`;

/** Thrown anywhere in a request; app.onError renders it. */
export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }

  toProblem(instance?: string): Problem {
    return {
      type: problemType(this.slug),
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }
}

export function problemResponse(c: Context, problem: Problem, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, {
    'content-type': problemContentType,
    ...headers,
  });
}

export const notFound = (what: string) => new ProblemError(404, 'not-found', 'Not Found', `${what} was not found`);

/** Turns zod issues into `{ path, message }` entries; unknown keys are named one by one. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix: string[] = []): { path: string; message: string }[] {
  return issues.flatMap((issue) => {
    const base = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key].join('.'), message: 'unknown field' }));
    }
    if (issue.code === 'invalid_union') {
      // An or-null value (`orNull`) that is an object with bad fields: name those fields, not the
      // union. Options the value is simply not of the type of fail at their root.
      const near = issue.errors.filter((option) => !option.every((nested) => nested.path.length === 0 && nested.code === 'invalid_type'));
      if (near.length === 1) return fieldErrors(near[0]!, base);
    }
    return [{ path: base.join('.') || '(body)', message: issue.message }];
  });
}

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: '/problems/validation-error' }),
    title: z.string().openapi({ example: 'Validation Failed' }),
    status: z.number().int().openapi({ example: 422 }),
    detail: z.string().openapi({ example: 'minutesAfterPayment: Too small: expected number to be >=0' }),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ example: [{ path: 'minutesAfterPayment', message: 'Too small: expected number to be >=0' }] }),
  })
  .openapi('Problem');

/** Response entry for an error status in a route definition. */
export const problemResponseSpec = (description: string) => ({
  description,
  content: { [problemContentType]: { schema: ProblemSchema } },
});

/** 422 naming each offending field; the same shape request validation produces. */
export function validationFailed(errors: { path: string; message: string }[]): ProblemError {
  return new ProblemError(422, 'validation-error', 'Validation Failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
}
