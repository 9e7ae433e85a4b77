import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import type { ApiDeps } from './types.js';

// The document only: no request here reaches a handler.
const app = createApp({ config: { PUBLIC_BASE_URL: 'http://api.test' }, log: pino({ level: 'silent' }) } as unknown as ApiDeps);

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is walked as plain JSON */
describe('orNull', () => {
  it('documents every named schema the API may answer null as `anyOf: [$ref, null]`', async () => {
    const doc: any = await (await app.request('/openapi.json')).json();
    const nullableRefs: string[] = [];
    const walk = (where: string, schema: any) => {
      for (const [name, property] of Object.entries<any>(schema?.properties ?? {})) {
        const options = property.anyOf ?? [];
        if (options.some((o: any) => o.type === 'null') && options.some((o: any) => o.$ref)) nullableRefs.push(`${where}.${name}`);
        walk(`${where}.${name}`, property.items ?? property);
      }
    };
    for (const [name, schema] of Object.entries<any>(doc.components.schemas)) walk(name, schema);
    // Each of these is null in some answer or request (an order never held, a link with no sender…);
    // the fuzzer found `unlinked` documented as a bare $ref, refusing the null the API sent.
    expect(nullableRefs.sort()).toEqual(
      [
        'CreateMallLink.sender',
        'ListedProductLink.catalogue',
        'MallLink.sender',
        'MallLinkStatus.lastCollection',
        'MallLinkStatus.lastInvoiceSync',
        'OrderTrail.cancellation',
        'OrderTrail.fmsProgress',
        'OrderTrail.items.invoice',
        'OrderTrail.unlinked',
        'UpdateMallLink.sender',
      ].sort(),
    );
  });
});
