import { describe, expect, it } from 'vitest';
import { item, order } from '../../test/support/order-summaries.js';
import type { ProductLinkComponent } from './link-resolution.js';
import { linkRefusals, newlyReadyOrders, planAutoMatch, type AutoMatchVariant, type LinkCheckContext } from './product-linking.js';

const catalogue = new Map([
  ['V-OK', { linkable: true, unlinkableReason: null }],
  ['V-E', { linkable: false, unlinkableReason: '상품 연동형 옵션' }],
]);
const context: LinkCheckContext = {
  catalogueImported: true,
  variant: (code) => catalogue.get(code),
  onHeldOrder: (code) => code === 'V-HELD',
  goodsKnown: (code) => code.startsWith('G-'),
};

describe('linkRefusals', () => {
  it('accepts a known linkable variant with known goods, also a set of several goods', () => {
    expect(linkRefusals('V-OK', [{ cstGodCd: 'G-1', quantity: 1 }, { cstGodCd: 'G-2', quantity: 3 }], context)).toEqual([]);
  });

  it('names each reason: unknown or unlinkable variant, unknown goods, zero or negative quantity, repeated goods', () => {
    const reasons = (variantCode: string, components: ProductLinkComponent[]) => linkRefusals(variantCode, components, context).map((r) => r.reason);
    expect(reasons('V-NEW', [{ cstGodCd: 'G-1', quantity: 1 }])).toEqual(['unknown_variant']);
    expect(reasons('V-E', [{ cstGodCd: 'G-1', quantity: 1 }])).toEqual(['unlinkable_variant']);
    expect(reasons('V-OK', [{ cstGodCd: 'X-1', quantity: 1 }])).toEqual(['unknown_goods']);
    expect(reasons('V-OK', [{ cstGodCd: 'G-1', quantity: 0 }, { cstGodCd: 'G-2', quantity: -2 }])).toEqual(['invalid_quantity', 'invalid_quantity']);
    expect(reasons('V-OK', [{ cstGodCd: 'G-1', quantity: 1 }, { cstGodCd: 'G-1', quantity: 2 }])).toEqual(['duplicate_goods']);
    expect(reasons('bad code!', [])).toEqual(['invalid_variant_code', 'no_components']);
    expect(linkRefusals('V-E', [], context)[0]?.message).toContain('상품 연동형');
  });

  it('before any import every variant is accepted, and a variant on a held order is known without the import', () => {
    expect(linkRefusals('V-NEW', [{ cstGodCd: 'G-1', quantity: 1 }], { ...context, catalogueImported: false })).toEqual([]);
    expect(linkRefusals('V-HELD', [{ cstGodCd: 'G-1', quantity: 1 }], context)).toEqual([]);
  });
});

const variant = (variantCode: string, overrides: Partial<AutoMatchVariant> = {}): AutoMatchVariant => ({
  variantCode,
  hasOptions: true,
  customProductCode: null,
  customVariantCode: null,
  linkable: true,
  unlinkableReason: null,
  ...overrides,
});

describe('planAutoMatch', () => {
  const goods = [
    { cstGodCd: 'SHIRT-RED', inUse: true },
    { cstGodCd: 'MUG', inUse: true },
    { cstGodCd: 'cap', inUse: true },
    { cstGodCd: 'CAP', inUse: true },
    { cstGodCd: 'OLD', inUse: false },
  ];

  it('links on 자체품목코드, and on 자체상품코드 only for a product without options', () => {
    const plan = planAutoMatch(
      [
        variant('V1', { customVariantCode: 'SHIRT-RED', customProductCode: 'MUG' }),
        variant('V2', { hasOptions: false, customProductCode: 'MUG' }),
        variant('V3', { customProductCode: 'MUG' }),
        variant('V4', { customVariantCode: ' shirt-red ' }),
        variant('V5'),
      ],
      goods,
      new Map(),
    );
    expect(plan.link).toEqual([
      { variantCode: 'V1', cstGodCd: 'SHIRT-RED', matchedOn: 'custom_variant_code' },
      { variantCode: 'V2', cstGodCd: 'MUG', matchedOn: 'custom_product_code' },
      { variantCode: 'V4', cstGodCd: 'SHIRT-RED', matchedOn: 'custom_variant_code' },
    ]);
    expect(plan.unmatched).toBe(2);
    expect(plan.ambiguous).toEqual([]);
  });

  it('lists as ambiguous, with why: several goods, linked to something else, unlinkable, goods not in use; an equal link is left alone', () => {
    const plan = planAutoMatch(
      [
        variant('V-CAP', { customVariantCode: 'Cap' }),
        variant('V-BOTH', { hasOptions: false, customVariantCode: 'SHIRT-RED', customProductCode: 'MUG' }),
        variant('V-OTHER', { customVariantCode: 'MUG' }),
        variant('V-SAME', { customVariantCode: 'MUG' }),
        variant('V-E', { customVariantCode: 'MUG', linkable: false, unlinkableReason: '상품 연동형 옵션' }),
        variant('V-OLD', { customVariantCode: 'OLD' }),
      ],
      goods,
      new Map([
        ['V-OTHER', [{ cstGodCd: 'SHIRT-RED', quantity: 1 }]],
        ['V-SAME', [{ cstGodCd: 'MUG', quantity: 1 }]],
      ]),
    );
    expect(plan.link).toEqual([]);
    expect(plan.alreadyLinked).toBe(1);
    expect(plan.ambiguous.map((a) => [a.variantCode, a.reason, a.candidates])).toEqual([
      ['V-CAP', 'several_goods_match', ['CAP', 'cap']],
      ['V-BOTH', 'several_goods_match', ['MUG', 'SHIRT-RED']],
      ['V-OTHER', 'linked_to_other', ['MUG']],
      ['V-E', 'unlinkable', ['MUG']],
      ['V-OLD', 'goods_not_in_use', ['OLD']],
    ]);
    expect(plan.ambiguous.find((a) => a.variantCode === 'V-OTHER')?.currentLink).toEqual([{ cstGodCd: 'SHIRT-RED', quantity: 1 }]);
  });
});

describe('newlyReadyOrders', () => {
  it('lists the held orders whose every item the new links resolve, not those ready already or still short of a link', () => {
    const held = [
      order('A', [item('A1', { variantCode: 'V-1' }), item('A2', { variantCode: 'V-2' })]),
      order('B', [item('B1', { variantCode: 'V-1' }), item('B2', { variantCode: 'V-3' })]),
      order('C', [item('C1', { variantCode: 'V-9' })]),
      order('D', [item('D1', { variantCode: 'V-SET', bundleComponents: [{ variantCode: 'V-1', quantity: 1 }, { variantCode: 'V-2', quantity: 2 }] })]),
    ];
    const link = [{ cstGodCd: 'G', quantity: 1 }];
    const before = new Map([
      ['V-1', link],
      ['V-9', link],
    ]);
    const after = new Map([...before, ['V-2', link]]);
    expect(newlyReadyOrders(held, before, after).map((o) => o.orderId)).toEqual(['A', 'D']);
  });
});
