import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { fieldErrors } from './problem.js';
import { orNull } from './route-specs.js';

describe('fieldErrors', () => {
  const body = z.object({ sender: orNull(z.object({ name: z.string(), phone: z.string().regex(/^\d+$/, 'digits only') }).openapi('TestSender')).optional() });
  const errorsOf = (value: unknown) => fieldErrors(body.safeParse(value).error!.issues);

  it('names the fields of an or-null object, not the union', () => {
    expect(errorsOf({ sender: { name: 'a', phone: 'x' } })).toEqual([{ path: 'sender.phone', message: 'digits only' }]);
  });

  it('names the value itself when it is neither the object nor null', () => {
    expect(errorsOf({ sender: 'x' })).toEqual([{ path: 'sender', message: expect.any(String) }]);
  });
});
