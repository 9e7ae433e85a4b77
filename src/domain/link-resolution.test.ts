import { describe, expect, it } from 'vitest';
import { item, order } from '../../test/support/order-summaries.js';
import { resolveLinks, variantCodesToResolve, type ProductLinkComponent } from './link-resolution.js';

const links = new Map<string, ProductLinkComponent[]>([
  ['V-A-01', [{ cstGodCd: 'G-SHIRT', quantity: 1 }]],
  ['V-PAIR', [{ cstGodCd: 'G-SOCK', quantity: 2 }]],
  ['V-KIT', [{ cstGodCd: 'G-CUP', quantity: 1 }, { cstGodCd: 'G-LID', quantity: 1 }]],
  ['V-COMP-1', [{ cstGodCd: 'G-SHIRT', quantity: 1 }]],
  ['V-COMP-2', [{ cstGodCd: 'G-CAP', quantity: 1 }]],
]);

describe('resolveLinks', () => {
  it('an order whose items are all linked is ready, with quantities multiplied and equal goods merged', () => {
    const [resolved] = resolveLinks(
      [order('A', [item('A-01', { quantity: 2 }), item('A-02', { variantCode: 'V-PAIR', quantity: 3 }), item('A-03', { variantCode: 'V-KIT' })])],
      links,
    );
    expect(resolved).toEqual({
      kind: 'ready',
      orderId: 'A',
      shopNo: 1,
      items: [
        { orderItemCode: 'A-01', lines: [{ cstGodCd: 'G-SHIRT', quantity: 2 }] },
        { orderItemCode: 'A-02', lines: [{ cstGodCd: 'G-SOCK', quantity: 6 }] },
        {
          orderItemCode: 'A-03',
          lines: [
            { cstGodCd: 'G-CUP', quantity: 1 },
            { cstGodCd: 'G-LID', quantity: 1 },
          ],
        },
      ],
      lines: [
        { cstGodCd: 'G-SHIRT', quantity: 2 },
        { cstGodCd: 'G-SOCK', quantity: 6 },
        { cstGodCd: 'G-CUP', quantity: 1 },
        { cstGodCd: 'G-LID', quantity: 1 },
      ],
    });
  });

  it('a bundle without its own link ships as its linked components', () => {
    const bundle = item('B-01', { variantCode: 'V-SET', quantity: 2, bundleComponents: [{ variantCode: 'V-COMP-1', quantity: 1 }, { variantCode: 'V-COMP-2', quantity: 3 }] });
    expect(resolveLinks([order('B', [bundle])], links)[0]).toMatchObject({
      kind: 'ready',
      lines: [
        { cstGodCd: 'G-SHIRT', quantity: 2 },
        { cstGodCd: 'G-CAP', quantity: 6 },
      ],
    });
  });

  it('a bundle linked as a whole ships as its own link', () => {
    const bundle = item('B-01', { variantCode: 'V-KIT', bundleComponents: [{ variantCode: 'V-NOPE', quantity: 1 }] });
    expect(resolveLinks([order('B', [bundle])], links)[0]).toMatchObject({ kind: 'ready', lines: [{ cstGodCd: 'G-CUP', quantity: 1 }, { cstGodCd: 'G-LID', quantity: 1 }] });
  });

  it('a bundle with an unlinked component is no_link', () => {
    const bundle = item('B-01', { variantCode: 'V-SET', bundleComponents: [{ variantCode: 'V-COMP-1', quantity: 1 }, { variantCode: 'V-NOPE', quantity: 1 }] });
    expect(resolveLinks([order('B', [bundle])], links)[0]).toMatchObject({ kind: 'unlinked', items: [{ orderItemCode: 'B-01', reason: 'no_link' }] });
  });

  it('holds the whole order when one item is not linked, with a reason for every item', () => {
    const [resolved] = resolveLinks(
      [
        order(
          'C',
          [
            item('A-01'),
            item('C-02', { variantCode: 'V-UNKNOWN' }),
            item('C-03', { variantCode: 'V-A-01', optionType: 'E' }),
            item('C-04', { variantCode: null }),
          ],
          { paidAt: '2026-12-01T01:00:00.000Z' },
        ),
      ],
      links,
    );
    expect(resolved).toEqual({
      kind: 'unlinked',
      orderId: 'C',
      shopNo: 1,
      paidAt: '2026-12-01T01:00:00.000Z',
      items: [
        { orderItemCode: 'A-01', variantCode: 'V-A-01', reason: 'other_item_unlinked' },
        { orderItemCode: 'C-02', variantCode: 'V-UNKNOWN', reason: 'no_link' },
        { orderItemCode: 'C-03', variantCode: 'V-A-01', reason: 'unlinkable_option_type' },
        { orderItemCode: 'C-04', variantCode: null, reason: 'missing_variant_code' },
      ],
    });
  });
});

describe('variantCodesToResolve', () => {
  it('lists item and bundle component codes once, sorted, skipping missing codes', () => {
    const orders = [
      order('A', [item('A-01'), item('A-02', { variantCode: null })]),
      order('B', [item('B-01', { variantCode: 'V-SET', bundleComponents: [{ variantCode: 'V-A-01', quantity: 1 }, { variantCode: 'V-Z', quantity: 1 }] })]),
    ];
    expect(variantCodesToResolve(orders)).toEqual(['V-A-01', 'V-SET', 'V-Z']);
  });
});
